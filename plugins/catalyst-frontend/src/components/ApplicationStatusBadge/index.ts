export { ApplicationStatusBadge, isApplicationStatus, statusColours } from './ApplicationStatusBadge';
export type { ApplicationStatusBadgeProps } from './ApplicationStatusBadge';
