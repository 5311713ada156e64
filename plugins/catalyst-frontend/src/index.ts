export { catalystPlugin, CatalystPage } from './plugin';
