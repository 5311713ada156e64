export { ChangeRequestVerdicts } from './ChangeRequestVerdicts';
