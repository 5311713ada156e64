export { catalystPlugin as default } from './plugin';
