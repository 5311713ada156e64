import { Grid } from '@material-ui/core';
import { EntityLayout } from '@backstage/plugin-catalog';
import { EntityKubernetesContent, isKubernetesAvailable } from '@backstage/plugin-kubernetes';
import {
  EntityCatalystApplicationEventsContent,
  EntityCatalystApplicationHistoryContent,
  EntityCatalystApplicationManifestsContent,
  EntityCatalystApplicationOverviewContent,
  EntityCatalystApplicationPromotionContent,
  EntityCatalystApplicationSettingsContent,
  EntityCatalystApplicationTopologyContent,
} from '@internal/plugin-catalyst-frontend';
import { entityWarningContent } from './entityContent';

/** A Catalyst Application: the tabs of DESIGN §9, with the kubernetes plugin's own tab. */
export const applicationPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      <Grid container spacing={3}>
        {entityWarningContent}
        <Grid item xs={12}>
          <EntityCatalystApplicationOverviewContent />
        </Grid>
      </Grid>
    </EntityLayout.Route>
    <EntityLayout.Route path="/settings" title="Settings">
      <EntityCatalystApplicationSettingsContent />
    </EntityLayout.Route>
    <EntityLayout.Route path="/topology" title="Topology">
      <EntityCatalystApplicationTopologyContent />
    </EntityLayout.Route>
    <EntityLayout.Route path="/promotion" title="Promotion">
      <EntityCatalystApplicationPromotionContent />
    </EntityLayout.Route>
    <EntityLayout.Route path="/history" title="History">
      <EntityCatalystApplicationHistoryContent />
    </EntityLayout.Route>
    <EntityLayout.Route path="/manifests" title="Manifests">
      <EntityCatalystApplicationManifestsContent />
    </EntityLayout.Route>
    <EntityLayout.Route path="/kubernetes" title="Kubernetes" if={isKubernetesAvailable}>
      <EntityKubernetesContent />
    </EntityLayout.Route>
    <EntityLayout.Route path="/events" title="Events">
      <EntityCatalystApplicationEventsContent />
    </EntityLayout.Route>
  </EntityLayout>
);
