import { ReactNode } from 'react';
import { EmptyState, InfoCard, Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Box, Grid, makeStyles, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { CATALYST_ENTITY_KINDS } from '@internal/plugin-catalyst-common';
import { useCatalystApplication, useCatalystHistory } from '../../hooks/useCatalystData';
import { useCatalystLiveApplication } from '../../hooks/useCatalystLive';
import { isNotFound } from '../../utils/errors';
import { displayActor, relativeTime } from '../../utils/relativeTime';
import { ApplicationStatusBadge } from '../ApplicationStatusBadge';
import { LiveIndicator } from '../LiveIndicator';
import { PendingChangeRequests } from '../PendingChangeRequests';
import { ApplicationUpgradeOffer } from '../ApplicationUpgradeOffer';

const useStyles = makeStyles(theme => ({
  status: { fontSize: '1.25rem' },
  reason: { marginTop: theme.spacing(0.5) },
  label: { color: theme.palette.text.secondary, fontSize: '0.75rem', textTransform: 'uppercase', fontWeight: 600 },
}));

function Field(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <Grid item xs={12} sm={6} md={4}>
      <Typography className={classes.label}>{props.label}</Typography>
      <Box>{props.children}</Box>
    </Grid>
  );
}

/** `domain` is a host name in the Blueprints that have one; anything else is not linked. */
export function endpointOf(values: Record<string, unknown> | undefined): string | undefined {
  const domain = values?.domain;
  return typeof domain === 'string' && /^[A-Za-z0-9.-]+(:\d+)?$/.test(domain) ? `https://${domain}` : undefined;
}

/** Why there is no status to show yet. */
function noStatusReason(live: { error?: string; ready: boolean }): string {
  if (live.error) return `Live status unavailable: ${live.error}`;
  if (live.ready) return 'The read side has not seen this Application yet (just committed?)';
  return 'Waiting for live status…';
}

export interface ApplicationOverviewCardProps {
  environment: string;
  application: string;
  /** For "2 hours ago"; tests pass a fixed clock. */
  now?: () => number;
}

/** The Application card as a page (reference §8.6): live status with reason, version, endpoint, placement, pods, dependencies, last deploy. */
export function ApplicationOverviewCard(props: ApplicationOverviewCardProps) {
  const { environment, application, now = Date.now } = props;
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const live = useCatalystLiveApplication(environment, application);
  // a commit touching the Application (seen live) reloads what Git says
  const revision = live.view?.desired?.revision;
  const { application: app, loading, error } = useCatalystApplication(environment, application, revision);
  const { history } = useCatalystHistory(environment, application, revision, 1);

  if (error && isNotFound(error)) {
    // the page may be open before the install commit: it reloads when the read model sees the Application
    // (in a governed Environment, a change request that would install it is pending meanwhile)
    let description = 'It appears here as soon as it is installed.';
    if (live.view?.openChangeRequests?.length) description = 'It is installed when the change request merges.';
    else if (live.view) description = 'The read side knows it; loading it from the repository…';
    return (
      <>
        <PendingChangeRequests environment={environment} application={application} />
        <EmptyState
          missing="data"
          title={`No Application ${application} in ${environment}`}
          description={description}
        />
      </>
    );
  }
  if (error) return <ResponseErrorPanel error={error} />;
  if (!app) return loading ? <Progress /> : null;

  const link = (name: string) =>
    entityRoute({ kind: CATALYST_ENTITY_KINDS.application.toLocaleLowerCase('en-US'), namespace: environment, name });
  const view = live.view;
  const version = view?.version ?? app.version;
  const target = view?.targetVersion ?? (view && app.version !== version ? app.version : null);
  const endpoint = endpointOf(app.values);
  const last = history?.[0];

  return (
    <InfoCard
      title={app.name}
      subheader={`${app.blueprint} @ ${version}${target && target !== version ? ` → ${target}` : ''}`}
      action={
        <Box mt={1}>
          <LiveIndicator />
        </Box>
      }
    >
      <Box mb={3} data-testid="application-live-status">
        <span className={classes.status}>
          <ApplicationStatusBadge status={view?.status} />
        </span>
        <Typography className={classes.reason} variant="body1" data-testid="application-status-reason">
          {view?.reason || noStatusReason(live)}
        </Typography>
      </Box>
      <Box mb={2}>
        <PendingChangeRequests environment={environment} application={application} />
      </Box>
      <Box mb={2}>
        <ApplicationUpgradeOffer environment={environment} application={app} />
      </Box>
      {view?.status === 'Failed' && (
        <Alert severity="error" style={{ marginBottom: 16 }}>
          {view.reason || 'The install or update failed.'} Fix the settings or roll back the last change in History.
        </Alert>
      )}
      <Grid container spacing={2}>
        <Field label="Blueprint">
          <Link
            to={entityRoute({
              kind: 'blueprint',
              namespace: app.source === 'catalog' ? 'default' : app.organization,
              name: app.blueprint,
            })}
          >
            {app.blueprint}
          </Link>{' '}
          @ {app.version}
          {app.overlay ? ` (${app.overlay})` : ''}
        </Field>
        <Field label="Endpoint">
          {endpoint ? <Link to={endpoint}>{endpoint.replace(/^https:\/\//, '')} ↗</Link> : '—'}
        </Field>
        <Field label="Pods">{view ? `${view.pods.ready} / ${view.pods.total} pods` : '—'}</Field>
        <Field label="Placement">
          {app.placement.mode}
          {app.placement.regions?.length ? ` in ${app.placement.regions.join(', ')}` : ''}
        </Field>
        <Field label="Depends on">
          {app.dependencies.length === 0
            ? 'Nothing'
            : app.dependencies.map((d, i) => (
                <span key={d.alias}>
                  {i > 0 && ', '}
                  {d.alias} → <Link to={link(d.application)}>{d.application}</Link>
                </span>
              ))}
        </Field>
        <Field label="Used by">
          {app.dependents.length === 0
            ? 'No Application'
            : app.dependents.map((d, i) => (
                <span key={d}>
                  {i > 0 && ', '}
                  <Link to={link(d)}>{d}</Link>
                </span>
              ))}
        </Field>
        <Field label="Last deploy">
          {last ? (
            <span title={last.committer.time}>
              {relativeTime(last.committer.time, now())} by {displayActor(last.actor) ?? last.author.name}:{' '}
              {last.subject}
            </span>
          ) : (
            '—'
          )}
        </Field>
        <Field label="Environment">
          <Link to={entityRoute({ kind: 'environment', namespace: app.organization, name: environment })}>
            {environment}
          </Link>
        </Field>
      </Grid>
    </InfoCard>
  );
}
