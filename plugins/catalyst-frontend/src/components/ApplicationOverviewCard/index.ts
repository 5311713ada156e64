export { ApplicationOverviewCard, endpointOf } from './ApplicationOverviewCard';
