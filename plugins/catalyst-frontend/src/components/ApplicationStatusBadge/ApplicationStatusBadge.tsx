import { makeStyles, Theme, Tooltip } from '@material-ui/core';
import { APPLICATION_STATUSES, ApplicationStatus } from '@internal/plugin-catalyst-common';

/**
 * The badge of reference §8.6: glyph, colour and label per status. core-components' StatusRunning
 * and StatusPending are grey in this version, while the contract asks for blue and purple, so the
 * badge paints its own glyph with the theme's status colours.
 */
const GLYPHS: Record<ApplicationStatus, string> = {
  Running: '●',
  Installing: '◐',
  Updating: '◑',
  Degraded: '◒',
  Failed: '◓',
  Paused: '○',
  'Pending approval': '◔',
};

type Tone = 'ok' | 'progress' | 'warning' | 'error' | 'paused' | 'approval' | 'unknown';

const TONES: Record<ApplicationStatus, Tone> = {
  Running: 'ok',
  Installing: 'progress',
  Updating: 'progress',
  Degraded: 'warning',
  Failed: 'error',
  Paused: 'paused',
  'Pending approval': 'approval',
};

export const statusColours = (theme: Theme): Record<Tone, string> => ({
  ok: theme.palette.status?.ok ?? '#3E8635',
  progress: theme.palette.info?.main ?? '#2196F3',
  warning: theme.palette.status?.warning ?? '#F0AB00',
  error: theme.palette.status?.error ?? '#C9190B',
  paused: theme.palette.status?.aborted ?? '#6A6E73',
  approval: '#8E44AD',
  unknown: theme.palette.text.secondary,
});

const useStyles = makeStyles(theme => {
  const colours = statusColours(theme);
  return {
    root: { display: 'inline-flex', alignItems: 'center', fontWeight: 500, whiteSpace: 'nowrap' },
    glyph: { marginRight: theme.spacing(0.75), fontSize: '1.1em', lineHeight: 1 },
    ...Object.fromEntries(Object.entries(colours).map(([tone, colour]) => [tone, { color: colour }])),
  };
});

export function isApplicationStatus(value: unknown): value is ApplicationStatus {
  return typeof value === 'string' && (APPLICATION_STATUSES as readonly string[]).includes(value);
}

export interface ApplicationStatusBadgeProps {
  /** `undefined` while the live read model has nothing for the Application. */
  status: ApplicationStatus | undefined;
  /** Shown as a tooltip (cards show the reason as text beside the badge themselves). */
  reason?: string;
}

export function ApplicationStatusBadge(props: ApplicationStatusBadgeProps) {
  const { status, reason } = props;
  const classes = useStyles() as Record<string, string>;
  const tone: Tone = status ? TONES[status] : 'unknown';
  const label = status ?? 'Status unknown';
  const badge = (
    <span
      className={`${classes.root} ${classes[tone]}`}
      data-testid="application-status"
      data-status={label}
      data-tone={tone}
    >
      <span className={classes.glyph} aria-hidden="true">
        {status ? GLYPHS[status] : '◌'}
      </span>
      {label}
    </span>
  );
  return reason ? <Tooltip title={reason}>{badge}</Tooltip> : badge;
}
