import { ReactNode } from 'react';
import { InfoCard, LinkButton } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, Chip, Grid, makeStyles, Typography } from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import { EnvironmentOverview } from '@internal/plugin-catalyst-common';
import { LiveEnvironment } from '../../live/liveEnvironment';
import { governedReason } from '../../permissions/refusals';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { marketplaceRouteRef } from '../../routes';
import { describePolicy } from '../../utils/describePolicy';
import { EnvironmentFreeze } from '../EnvironmentFreeze';
import { displayActor, relativeTime } from '../../utils/relativeTime';
import { LiveIndicator } from '../LiveIndicator';
import { countByStatus, StatusCounts } from '../StatusCounts';

const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.secondary, fontSize: '0.75rem', textTransform: 'uppercase', fontWeight: 600 },
  policy: { fontSize: '1rem' },
}));

function Field(props: { label: string; children: ReactNode; wide?: boolean }) {
  const classes = useStyles();
  return (
    <Grid item xs={12} sm={props.wide ? 12 : 6}>
      <Typography className={classes.label}>{props.label}</Typography>
      <Box>{props.children}</Box>
    </Grid>
  );
}

export interface EnvironmentOverviewCardProps {
  environment: EnvironmentOverview;
  live?: LiveEnvironment;
  now?: () => number;
}

/** `Environment: <env>` with + Install, the policy in words and live counts. */
export function EnvironmentOverviewCard(props: EnvironmentOverviewCardProps) {
  const { environment: e, live, now = Date.now } = props;
  const classes = useStyles();
  const marketplace = useRouteRef(marketplaceRouteRef);
  const { allowed, loading, reason } = useCatalystPermission({
    doing: 'install',
    environment: e.name,
    organization: e.organization,
  });
  const mayInstall = allowed && e.canInstall !== false;
  // the permission's reason names who may; a governed Environment takes changes as change requests
  let refusal: string | undefined;
  if (!loading && !mayInstall)
    refusal = reason ?? (e.governed ? governedReason(e.name) : `You may not install into ${e.name}`);
  else if (e.governed) refusal = `Installing in ${e.name} opens a change request for its EnvironmentPolicy`;
  const openChangeRequests = live?.summary?.openChangeRequests ?? e.openChangeRequests;
  const lastCommit = live?.summary?.lastCommit;
  return (
    <InfoCard
      title={`Environment: ${e.name}`}
      subheader={`${e.envType} Environment of ${e.organization}`}
      action={
        <Box display="flex" alignItems="center" gridGap={8} mt={1}>
          <LiveIndicator />
          <LinkButton
            to={`${marketplace()}?${new URLSearchParams({ environment: e.name })}`}
            color="primary"
            variant="contained"
            startIcon={<AddIcon />}
            disabled={loading || !mayInstall}
            title={refusal}
          >
            Install
          </LinkButton>
        </Box>
      }
    >
      <Grid container spacing={2}>
        <Field label="Policy" wide>
          {e.governed && <Chip size="small" color="secondary" label="Governed" style={{ marginRight: 8 }} />}
          <Typography component="span" className={classes.policy} data-testid="policy-in-words">
            {describePolicy(e.policy?.rules)}
          </Typography>
        </Field>
        {(e.governed || e.freeze) && (
          <Field label="Freeze" wide>
            <EnvironmentFreeze environment={e} now={now} />
          </Field>
        )}
        {e.governed && (
          <Field label="Change requests">
            <span data-testid="open-change-requests">
              {openChangeRequests === undefined ? '—' : `${openChangeRequests} waiting`}
            </span>
          </Field>
        )}
        <Field label="Applications">
          {live?.ready ? (
            <StatusCounts counts={countByStatus(Object.values(live.applications))} />
          ) : (
            `${e.applicationCount}`
          )}
        </Field>
        <Field label="Placement">
          {e.placement.preset}
          {e.placement.regions.length ? ` in ${e.placement.regions.join(', ')}` : ''}
        </Field>
        <Field label="Repository">
          <code>{e.repository}</code>
          {e.head ? ` @ ${e.head.slice(0, 7)}` : ' (no commits yet)'}
        </Field>
        <Field label="Last change">
          {lastCommit ? (
            <span title={lastCommit.time}>
              {lastCommit.message.split('\n')[0]} — {displayActor(lastCommit.author) ?? lastCommit.author},{' '}
              {relativeTime(lastCommit.time, now())}
            </span>
          ) : (
            '—'
          )}
        </Field>
      </Grid>
    </InfoCard>
  );
}
