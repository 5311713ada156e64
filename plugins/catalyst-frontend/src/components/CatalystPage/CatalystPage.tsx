import { Navigate, Route, Routes } from 'react-router-dom';
import { EnvironmentsPage } from '../EnvironmentsPage';
import { MarketplacePage } from '../MarketplacePage';

/** `/catalyst/*`: the marketplace and the Environments list (entity pages live in the catalog). */
export function CatalystPage() {
  return (
    <Routes>
      <Route path="/" element={<Navigate to="marketplace" replace />} />
      <Route path="/marketplace" element={<MarketplacePage />} />
      <Route path="/environments" element={<EnvironmentsPage />} />
    </Routes>
  );
}
