export * from './requests';
export * from './responses';
export * from './errors';
export * from './liveEvents';
export * from './responseSchemas';
export * from './operations';
export * from './CatalystClient';
export * from './forbiddenKeys';
