export { ApplicationTopology } from './ApplicationTopology';
