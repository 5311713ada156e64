import { Chip, makeStyles, Tooltip } from '@material-ui/core';
import { LiveConnectionState } from '../../api/CatalystLiveApi';
import { useCatalystLiveConnection } from '../../hooks/useCatalystLive';

const useStyles = makeStyles(theme => ({
  dot: { width: 8, height: 8, borderRadius: '50%', marginLeft: theme.spacing(1) },
  live: { backgroundColor: theme.palette.status?.ok ?? '#3E8635' },
  reconnecting: { backgroundColor: theme.palette.status?.warning ?? '#F0AB00' },
  connecting: { backgroundColor: theme.palette.text.disabled },
  idle: { backgroundColor: theme.palette.text.disabled },
}));

const LABELS: Record<LiveConnectionState, { label: string; help: string }> = {
  live: { label: 'Live', help: 'Status updates arrive as they happen.' },
  connecting: { label: 'Connecting…', help: 'Opening the live status stream.' },
  reconnecting: {
    label: 'Reconnecting…',
    help: 'The live status stream dropped; it resumes where it stopped, and statuses may be behind until then.',
  },
  idle: { label: 'Not live', help: 'No live status stream is open.' },
};

/** "Live" / "Reconnecting…": whether the statuses on the page are current. */
export function LiveIndicator() {
  const state = useCatalystLiveConnection();
  const classes = useStyles();
  const { label, help } = LABELS[state];
  return (
    <Tooltip title={help}>
      <Chip
        size="small"
        variant="outlined"
        data-testid="live-indicator"
        data-state={state}
        icon={<span className={`${classes.dot} ${classes[state]}`} />}
        label={label}
      />
    </Tooltip>
  );
}
