export { EnvironmentApplicationsCard } from './EnvironmentApplicationsCard';
