export {
  ApplicationEventsContent,
  ApplicationHistoryContent,
  ApplicationManifestsContent,
  ApplicationOverviewContent,
  ApplicationSettingsContent,
  ApplicationTopologyContent,
} from './ApplicationPages';
