import { useCallback } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { Grid } from '@material-ui/core';
import { useCatalystBlueprints, useCatalystEnvironment } from '../../hooks/useCatalystData';
import { useCatalystLiveEnvironment } from '../../hooks/useCatalystLive';
import { CatalystEntityGuard } from '../CatalystEntityGuard';
import { ChangeRequestsTable } from '../ChangeRequestsTable';
import { EnvironmentApplicationsCard } from '../EnvironmentApplicationsCard';
import { EnvironmentOverviewCard } from '../EnvironmentOverviewCard';
import { CloneRepoCard } from '../GitTokens';

function EnvironmentView(props: { name: string }) {
  const { live } = useCatalystLiveEnvironment(props.name);
  // a new commit in the read model reloads the desired state, so new Applications appear without polling
  const { environment, applications, loading, error } = useCatalystEnvironment(
    props.name,
    live?.summary?.lastCommit?.sha,
  );
  const { blueprints } = useCatalystBlueprints();
  const categoryOf = useCallback((b: string) => blueprints?.find(x => x.name === b)?.card.category, [blueprints]);
  if (error) return <ResponseErrorPanel error={error} />;
  if (!environment || !applications) return loading ? <Progress /> : null;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <EnvironmentOverviewCard environment={environment} live={live} />
      </Grid>
      {/* only a governed Environment takes changes as change requests (or had some before it stopped being one) */}
      {(environment.governed || (environment.openChangeRequests ?? 0) > 0) && (
        <Grid item xs={12}>
          <ChangeRequestsTable environment={environment.name} title={`Change requests to ${environment.name}`} />
        </Grid>
      )}
      <Grid item xs={12}>
        <EnvironmentApplicationsCard
          environment={environment.name}
          applications={applications}
          live={live}
          categoryOf={categoryOf}
        />
      </Grid>
      <Grid item xs={12}>
        <CloneRepoCard environment={environment} />
      </Grid>
    </Grid>
  );
}

/**
 * The Environment entity page: overview with policy (and the freeze switch where a policy governs),
 * the change requests waiting for it, its Applications grouped by live status, and how to clone its
 * repo with a personal Git token.
 */
export function EnvironmentContent() {
  return (
    <CatalystEntityGuard>
      {names => (names.environment ? <EnvironmentView name={names.environment} /> : null)}
    </CatalystEntityGuard>
  );
}
