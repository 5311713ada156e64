export { ChangeRequestsPage } from './ChangeRequestsPage';
