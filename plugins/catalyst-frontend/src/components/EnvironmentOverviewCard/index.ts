export { EnvironmentOverviewCard } from './EnvironmentOverviewCard';
