export { EnvironmentFreeze } from './EnvironmentFreeze';
