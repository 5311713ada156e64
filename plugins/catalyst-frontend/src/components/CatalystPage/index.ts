export { CatalystPage } from './CatalystPage';
