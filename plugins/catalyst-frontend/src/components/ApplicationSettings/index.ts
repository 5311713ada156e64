export { ApplicationSettings } from './ApplicationSettings';
