import { Box, makeStyles, Typography } from '@material-ui/core';
import { APPLICATION_STATUSES, ApplicationStatus } from '@internal/plugin-catalyst-common';
import { ApplicationStatusBadge } from '../ApplicationStatusBadge';

const useStyles = makeStyles(theme => ({
  root: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5, 2), alignItems: 'center' },
}));

/** Counts Applications per status, from views (`status` fields). */
export function countByStatus(
  views: ReadonlyArray<{ status: ApplicationStatus }>,
): Partial<Record<ApplicationStatus, number>> {
  const out: Partial<Record<ApplicationStatus, number>> = {};
  for (const v of views) out[v.status] = (out[v.status] ?? 0) + 1;
  return out;
}

export interface StatusCountsProps {
  counts: Partial<Record<ApplicationStatus, number>>;
}

/** "● 12 Running  ◒ 1 Degraded": only the statuses that occur, in the badge order. */
export function StatusCounts(props: StatusCountsProps) {
  const classes = useStyles();
  const present = APPLICATION_STATUSES.filter(s => (props.counts[s] ?? 0) > 0);
  if (present.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No Applications
      </Typography>
    );
  }
  return (
    <Box className={classes.root}>
      {present.map(s => (
        <Box key={s} display="flex" alignItems="center" data-testid={`count-${s}`}>
          <Typography variant="body2" component="span" style={{ marginRight: 4 }}>
            {props.counts[s]}
          </Typography>
          <ApplicationStatusBadge status={s} />
        </Box>
      ))}
    </Box>
  );
}
