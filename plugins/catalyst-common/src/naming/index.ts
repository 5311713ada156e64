export * from './codes';
export * from './names';
export * from './versions';
