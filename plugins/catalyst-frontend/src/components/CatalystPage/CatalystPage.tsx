import { Navigate, Route, Routes } from 'react-router-dom';
import { ApplicationPage } from '../ApplicationPage';
import { EnvironmentsPage } from '../EnvironmentsPage';
import { MarketplacePage } from '../MarketplacePage';

/**
 * `/catalyst/*`: the marketplace, the Environments list, and an Application page that does not wait
 * for the catalog (the entity pages live in the catalog).
 */
export function CatalystPage() {
  return (
    <Routes>
      <Route path="/" element={<Navigate to="marketplace" replace />} />
      <Route path="/marketplace" element={<MarketplacePage />} />
      <Route path="/environments" element={<EnvironmentsPage />} />
      <Route path="/applications/:environment/:application/*" element={<ApplicationPage />} />
    </Routes>
  );
}
