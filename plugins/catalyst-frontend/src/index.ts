export {
  catalystPlugin,
  CatalystPage,
  EntityCatalystApplicationEventsContent,
  EntityCatalystApplicationHistoryContent,
  EntityCatalystApplicationManifestsContent,
  EntityCatalystApplicationOverviewContent,
  EntityCatalystApplicationPromotionContent,
  EntityCatalystApplicationSettingsContent,
  EntityCatalystApplicationTopologyContent,
  EntityCatalystBlueprintCompareContent,
  EntityCatalystBlueprintOverviewContent,
  EntityCatalystEnvironmentContent,
} from './plugin';
export { isCatalystApplication, isCatalystAvailable, isCatalystBlueprint, isCatalystEnvironment } from './conditions';
export { catalystLiveApiRef } from './api/CatalystLiveApi';
export type { CatalystLiveApi, LiveConnectionState } from './api/CatalystLiveApi';
export { CatalystLiveClient } from './api/CatalystLiveClient';
export type { LiveEnvironment } from './live/liveEnvironment';
export * from './api';
export * from './scaffolder';
export { CatalystSignInPage, catalystAuthApiRef, CatalystAuthClient } from './signIn';
export type { CatalystAuthApi, CatalystSignInAuthApi } from './signIn';
