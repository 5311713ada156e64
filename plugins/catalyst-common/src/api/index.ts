export * from './requests';
export * from './responses';
export * from './errors';
export * from './liveEvents';
