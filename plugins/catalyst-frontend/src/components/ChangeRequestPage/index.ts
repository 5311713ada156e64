export { ChangeRequestPage, ChangeRequestStateChip, ChangeRequestView } from './ChangeRequestPage';
export type { ChangeRequestViewProps } from './ChangeRequestPage';
