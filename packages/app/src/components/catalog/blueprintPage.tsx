import { Grid } from '@material-ui/core';
import { EntityLayout } from '@backstage/plugin-catalog';
import {
  EntityCatalystBlueprintCompareContent,
  EntityCatalystBlueprintOverviewContent,
} from '@internal/plugin-catalyst-frontend';
import { entityWarningContent } from './entityContent';

/** Catalyst's kinds (docs/contracts.md §5): live status comes from the read side, never the entity. */
export const blueprintPage = (
  <EntityLayout>
    <EntityLayout.Route path="/" title="Overview">
      <Grid container spacing={3}>
        {entityWarningContent}
        <Grid item xs={12}>
          <EntityCatalystBlueprintOverviewContent />
        </Grid>
      </Grid>
    </EntityLayout.Route>
    <EntityLayout.Route path="/compare" title="Compare versions">
      <EntityCatalystBlueprintCompareContent />
    </EntityLayout.Route>
  </EntityLayout>
);
