export { catalystPlugin, CatalystPage } from './plugin';
export * from './api';
