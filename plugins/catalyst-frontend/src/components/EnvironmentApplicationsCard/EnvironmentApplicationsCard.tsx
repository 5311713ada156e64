import { ReactNode, useMemo, useState } from 'react';
import { EmptyState, InfoCard } from '@backstage/core-components';
import { Box, Grid, InputAdornment, makeStyles, TextField, Typography } from '@material-ui/core';
import SearchIcon from '@material-ui/icons/Search';
import type { ApplicationSummary } from '@internal/plugin-catalyst-common';
import { LiveEnvironment } from '../../live/liveEnvironment';
import { EnvironmentApplication, groupApplications } from '../../utils/groupApplications';
import { ApplicationCard } from '../ApplicationCard';
import { ApplicationStatusBadge } from '../ApplicationStatusBadge';

const useStyles = makeStyles(theme => ({
  section: { marginBottom: theme.spacing(3) },
  heading: { display: 'flex', alignItems: 'center', gap: theme.spacing(1), marginBottom: theme.spacing(1.5) },
}));

export interface EnvironmentApplicationsCardProps {
  environment: string;
  applications: readonly ApplicationSummary[];
  live?: LiveEnvironment;
  /** Category of a Blueprint, to tell backing services apart. */
  categoryOf: (blueprint: string) => string | undefined;
}

function Section(props: {
  title: ReactNode;
  testId: string;
  environment: string;
  apps: EnvironmentApplication[];
  usedBy?: boolean;
}) {
  const classes = useStyles();
  return (
    <Box className={classes.section} data-testid={props.testId}>
      <Box className={classes.heading}>{props.title}</Box>
      <Grid container spacing={2}>
        {props.apps.map(a => (
          <Grid item xs={12} sm={6} lg={4} key={a.name}>
            <ApplicationCard environment={props.environment} application={a} showUsedBy={props.usedBy} />
          </Grid>
        ))}
      </Grid>
    </Box>
  );
}

/** The Environment view (reference §8.6): sections per live status with counts, and Backing services. */
export function EnvironmentApplicationsCard(props: EnvironmentApplicationsCardProps) {
  const { environment, applications, live, categoryOf } = props;
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const term = filter.trim().toLowerCase();
    const keep = (name: string, blueprint?: string | null) =>
      !term || name.toLowerCase().includes(term) || (blueprint ?? '').toLowerCase().includes(term);
    const views = Object.fromEntries(Object.entries(live?.applications ?? {}).filter(([n, v]) => keep(n, v.blueprint)));
    return groupApplications(
      applications.filter(a => keep(a.name, a.blueprint)),
      views,
      categoryOf,
    );
  }, [applications, live, categoryOf, filter]);
  const total =
    groups.byStatus.reduce((n, s) => n + s.applications.length, 0) + groups.unknown.length + groups.backing.length;

  return (
    <InfoCard
      title="Applications"
      action={
        <Box mt={1}>
          <TextField
            id="catalyst-environment-filter"
            size="small"
            label="Filter"
            value={filter}
            onChange={e => setFilter(e.target.value)}
            InputProps={{
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon fontSize="small" />
                </InputAdornment>
              ),
            }}
          />
        </Box>
      }
    >
      {total === 0 ? (
        <EmptyState
          missing="data"
          title={filter ? 'No Application matches' : 'No Applications yet'}
          description={filter ? 'Try another name.' : 'Use Install to add the first Application from the marketplace.'}
        />
      ) : (
        <>
          {groups.byStatus.map(s => (
            <Section
              key={s.status}
              testId={`section-${s.status}`}
              environment={environment}
              apps={s.applications}
              title={
                <>
                  <ApplicationStatusBadge status={s.status} />
                  <Typography variant="h6" component="h3">
                    ({s.applications.length})
                  </Typography>
                </>
              }
            />
          ))}
          {groups.unknown.length > 0 && (
            <Section
              testId="section-unknown"
              environment={environment}
              apps={groups.unknown}
              title={
                <Typography variant="h6" component="h3">
                  {live?.ready ? 'Not yet seen by the read side' : 'Status loading'} ({groups.unknown.length})
                </Typography>
              }
            />
          )}
          {groups.backing.length > 0 && (
            <Section
              testId="section-backing"
              environment={environment}
              apps={groups.backing}
              usedBy
              title={
                <Typography variant="h6" component="h3">
                  Backing services ({groups.backing.length})
                </Typography>
              }
            />
          )}
        </>
      )}
    </InfoCard>
  );
}
