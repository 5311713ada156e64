import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Box, Card, CardContent, makeStyles, Typography } from '@material-ui/core';
import { CATALYST_ENTITY_KINDS } from '@internal/plugin-catalyst-common';
import { changeRequestRouteRef } from '../../routes';
import { EnvironmentApplication } from '../../utils/groupApplications';
import { ApplicationStatusBadge } from '../ApplicationStatusBadge';

const useStyles = makeStyles(theme => ({
  card: { height: '100%' },
  top: { display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: theme.spacing(1) },
  line: { marginTop: theme.spacing(0.5) },
}));

export interface ApplicationCardProps {
  environment: string;
  application: EnvironmentApplication;
  /** Backing-service cards list their dependents. */
  showUsedBy?: boolean;
}

/** The Application card (reference §8.6): name, `bp-x @ version`, status with reason, pods, dependencies. */
export function ApplicationCard(props: ApplicationCardProps) {
  const { environment, application: a, showUsedBy } = props;
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const changeRequestLink = useRouteRef(changeRequestRouteRef);
  const pending = a.view?.openChangeRequests ?? [];
  const link = (name: string) =>
    entityRoute({ kind: CATALYST_ENTITY_KINDS.application.toLocaleLowerCase('en-US'), namespace: environment, name });
  const blueprint = a.summary?.blueprint ?? a.view?.blueprint ?? 'unknown Blueprint';
  const version = a.view?.version ?? a.summary?.version ?? '?';
  const target = a.view?.targetVersion;
  const dependencies = a.summary?.dependencies ?? [];
  return (
    <Card variant="outlined" className={classes.card} data-testid={`application-card-${a.name}`}>
      <CardContent>
        <Box className={classes.top}>
          <Typography variant="h6" component="h4">
            <Link to={link(a.name)}>{a.name}</Link>
          </Typography>
          <ApplicationStatusBadge status={a.view?.status} />
        </Box>
        <Typography variant="body2" color="textSecondary">
          {blueprint} @ {version}
          {target && target !== version ? ` → ${target}` : ''}
        </Typography>
        {a.view && (
          <Typography variant="body2" className={classes.line}>
            {a.view.pods.ready} / {a.view.pods.total} pods
            {a.view.reason ? ` · ${a.view.reason}` : ''}
          </Typography>
        )}
        {pending.length > 0 && (
          <Typography variant="body2" className={classes.line} data-testid="application-card-pending">
            Waiting for{' '}
            {pending.map((id, i) => (
              <span key={id}>
                {i > 0 && ', '}
                <Link to={changeRequestLink({ id })}>{id}</Link>
              </span>
            ))}
          </Typography>
        )}
        {dependencies.length > 0 && (
          <Typography variant="body2" className={classes.line}>
            {dependencies.map((d, i) => (
              <span key={d.alias}>
                {i > 0 && ', '}
                {d.alias} → <Link to={link(d.application)}>{d.application}</Link>
              </span>
            ))}
          </Typography>
        )}
        {showUsedBy && (
          <Typography variant="body2" className={classes.line}>
            Used by:{' '}
            {a.usedBy.length === 0
              ? 'no Application yet'
              : a.usedBy.map((u, i) => (
                  <span key={u}>
                    {i > 0 && ', '}
                    <Link to={link(u)}>{u}</Link>
                  </span>
                ))}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}
