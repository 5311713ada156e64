export * from './checkUpgrade';
export * from './checkUninstall';
