import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isCatalystApplication, isCatalystBlueprint, isCatalystEnvironment } from '../conditions';

/**
 * The Catalyst kinds' parts of the catalog's entity page, shown for exactly the entities
 * `conditions.ts` decides (the legacy app's EntitySwitch uses the same functions). The first tab
 * is the catalog's own Overview: each kind adds a full-width card there; the other tabs are
 * entity contents. Each part still shows "missing annotation" for a hand-written entity.
 */

const blueprintPages = () => import('../components/BlueprintPages');
const applicationPages = () => import('../components/ApplicationPages');

/** Blueprint overview: header, README, Applications using it across Environments. */
export const blueprintOverviewCard = EntityCardBlueprint.make({
  name: 'blueprint-overview',
  params: {
    type: 'content',
    filter: isCatalystBlueprint,
    loader: () => blueprintPages().then(m => <m.BlueprintOverviewContent />),
  },
});

export const blueprintCompareContent = EntityContentBlueprint.make({
  name: 'blueprint-compare',
  params: {
    path: '/compare',
    title: 'Compare versions',
    filter: isCatalystBlueprint,
    loader: () => blueprintPages().then(m => <m.BlueprintCompareContent />),
  },
});

/** Environment: its policy in words, its Applications grouped by live status, backing services. */
export const environmentCard = EntityCardBlueprint.make({
  name: 'environment',
  params: {
    type: 'content',
    filter: isCatalystEnvironment,
    loader: () => import('../components/EnvironmentPage').then(m => <m.EnvironmentContent />),
  },
});

/** Application overview: live status with its reason, pods, dependencies, latest events. */
export const applicationOverviewCard = EntityCardBlueprint.make({
  name: 'application-overview',
  params: {
    type: 'content',
    filter: isCatalystApplication,
    loader: () => applicationPages().then(m => <m.ApplicationOverviewContent />),
  },
});

export const applicationSettingsContent = EntityContentBlueprint.make({
  name: 'application-settings',
  params: {
    path: '/settings',
    title: 'Settings',
    filter: isCatalystApplication,
    loader: () => applicationPages().then(m => <m.ApplicationSettingsContent />),
  },
});

export const applicationTopologyContent = EntityContentBlueprint.make({
  name: 'application-topology',
  params: {
    path: '/topology',
    title: 'Topology',
    filter: isCatalystApplication,
    loader: () => applicationPages().then(m => <m.ApplicationTopologyContent />),
  },
});

/** "Copy to …": the Application in every Environment of its Organization. */
export const applicationPromotionContent = EntityContentBlueprint.make({
  name: 'application-promotion',
  params: {
    path: '/promotion',
    title: 'Promotion',
    filter: isCatalystApplication,
    loader: () => applicationPages().then(m => <m.ApplicationPromotionContent />),
  },
});

export const applicationHistoryContent = EntityContentBlueprint.make({
  name: 'application-history',
  params: {
    path: '/history',
    title: 'History',
    filter: isCatalystApplication,
    loader: () => applicationPages().then(m => <m.ApplicationHistoryContent />),
  },
});

export const applicationManifestsContent = EntityContentBlueprint.make({
  name: 'application-manifests',
  params: {
    path: '/manifests',
    title: 'Manifests',
    filter: isCatalystApplication,
    loader: () => applicationPages().then(m => <m.ApplicationManifestsContent />),
  },
});

export const applicationEventsContent = EntityContentBlueprint.make({
  name: 'application-events',
  params: {
    path: '/events',
    title: 'Events',
    filter: isCatalystApplication,
    loader: () => applicationPages().then(m => <m.ApplicationEventsContent />),
  },
});
