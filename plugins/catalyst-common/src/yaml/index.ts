export * from './safeYaml';
export * from './stringifyYaml';
