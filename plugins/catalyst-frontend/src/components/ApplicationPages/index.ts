export {
  ApplicationEventsContent,
  ApplicationHistoryContent,
  ApplicationManifestsContent,
  ApplicationOverviewContent,
  ApplicationPromotionContent,
  ApplicationSettingsContent,
  ApplicationTopologyContent,
} from './ApplicationPages';
