export { ApplicationEvents, eventKind } from './ApplicationEvents';
