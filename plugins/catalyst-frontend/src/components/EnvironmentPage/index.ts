export { EnvironmentContent } from './EnvironmentPage';
