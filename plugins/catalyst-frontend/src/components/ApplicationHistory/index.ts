export { ApplicationHistory } from './ApplicationHistory';
