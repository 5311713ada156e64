export { ChangeRequestActions } from './ChangeRequestActions';
