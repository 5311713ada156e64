import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { Grid } from '@material-ui/core';
import type { BlueprintDetail } from '@internal/plugin-catalyst-common';
import { useCatalystBlueprint } from '../../hooks/useCatalystData';
import { CatalystEntityGuard } from '../CatalystEntityGuard';
import { BlueprintAboutCard } from '../BlueprintAboutCard';
import { BlueprintCompareVersions } from '../BlueprintCompareVersions';
import { BlueprintReadmeCard } from '../BlueprintReadmeCard';
import { BlueprintUsageCard } from '../BlueprintUsageCard';

function WithBlueprint(props: { name?: string; organization?: string; children: (b: BlueprintDetail) => JSX.Element }) {
  const { blueprint, loading, error } = useCatalystBlueprint(props.name, props.organization);
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading || !blueprint) return <Progress />;
  return props.children(blueprint);
}

/** The Blueprint entity page's overview: header, Applications using it, README. */
export function BlueprintOverviewContent() {
  return (
    <CatalystEntityGuard>
      {names => (
        <WithBlueprint name={names.blueprint} organization={names.blueprintOrganization}>
          {b => (
            <Grid container spacing={3}>
              <Grid item xs={12} md={6}>
                <BlueprintAboutCard blueprint={b} />
              </Grid>
              <Grid item xs={12} md={6}>
                <BlueprintReadmeCard blueprint={b} />
              </Grid>
              <Grid item xs={12}>
                <BlueprintUsageCard blueprint={b} />
              </Grid>
            </Grid>
          )}
        </WithBlueprint>
      )}
    </CatalystEntityGuard>
  );
}

/** The Blueprint entity page's "Compare versions" tab. */
export function BlueprintCompareContent() {
  return (
    <CatalystEntityGuard>
      {names => (
        <WithBlueprint name={names.blueprint} organization={names.blueprintOrganization}>
          {b => <BlueprintCompareVersions blueprint={b} />}
        </WithBlueprint>
      )}
    </CatalystEntityGuard>
  );
}
