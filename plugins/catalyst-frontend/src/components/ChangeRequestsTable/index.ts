export { ChangeRequestsTable } from './ChangeRequestsTable';
