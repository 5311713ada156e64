import { Grid } from '@material-ui/core';
import { EntityLayout } from '@backstage/plugin-catalog';
import { EntityCatalogGraphCard } from '@backstage/plugin-catalog-graph';
import { EntityCatalystEnvironmentContent } from '@internal/plugin-catalyst-frontend';
import { entityWarningContent } from './entityContent';

/** A Catalyst Environment: its Applications by live status, and its relations. */
export const environmentPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Applications">
      <Grid container spacing={3}>
        {entityWarningContent}
        <Grid item xs={12}>
          <EntityCatalystEnvironmentContent />
        </Grid>
      </Grid>
    </EntityLayout.Route>
    <EntityLayout.Route path="/relations" title="Relations">
      <EntityCatalogGraphCard height={600} />
    </EntityLayout.Route>
  </EntityLayout>
);
