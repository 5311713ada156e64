export * from './configSchema';
export * from './validateBlueprint';
export * from './catalog';
