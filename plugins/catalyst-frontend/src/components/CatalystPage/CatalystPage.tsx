import { Navigate, Route, Routes } from 'react-router-dom';
import { ApplicationPage } from '../ApplicationPage';
import { ChangeRequestPage } from '../ChangeRequestPage';
import { ChangeRequestsPage } from '../ChangeRequestsPage';
import { EnvironmentsPage } from '../EnvironmentsPage';
import { GitAccessPage } from '../GitTokens';
import { MarketplacePage } from '../MarketplacePage';
import { GIT_ACCESS_PATH } from '../../routes';

/**
 * `/catalyst/*`: the marketplace, the Environments list, an Application page that does not wait
 * for the catalog (the entity pages live in the catalog), and change requests (the backend's
 * notifications link to `/catalyst/change-requests/<id>`), and Git access (personal Git tokens).
 */
export function CatalystPage() {
  return (
    <Routes>
      <Route path="/" element={<Navigate to="marketplace" replace />} />
      <Route path="/marketplace" element={<MarketplacePage />} />
      <Route path="/environments" element={<EnvironmentsPage />} />
      <Route path="/applications/:environment/:application/*" element={<ApplicationPage />} />
      <Route path="/change-requests" element={<ChangeRequestsPage />} />
      <Route path="/change-requests/:id" element={<ChangeRequestPage />} />
      <Route path={GIT_ACCESS_PATH} element={<GitAccessPage />} />
    </Routes>
  );
}
