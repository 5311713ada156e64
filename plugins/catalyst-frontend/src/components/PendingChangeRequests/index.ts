export { PendingChangeRequests } from './PendingChangeRequests';
