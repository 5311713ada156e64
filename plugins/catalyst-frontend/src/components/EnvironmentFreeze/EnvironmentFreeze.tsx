import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Switch,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { EnvironmentOverview } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { refusalOf } from '../../permissions/refusals';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { displayActor, relativeTime } from '../../utils/relativeTime';

type Freeze = EnvironmentOverview['freeze'];

function messageOf(error: Error): string {
  const e = error as Error & { body?: { error?: { message?: string } }; cause?: { message?: string } };
  return e.body?.error?.message ?? e.cause?.message ?? e.message;
}

export interface EnvironmentFreezeProps {
  environment: EnvironmentOverview;
  now?: () => number;
}

/**
 * The Environment's freeze switch: frozen (with who, since when and why), no change request merges,
 * breaking glass aside. Freezing asks for a reason; lifting does not. Offered to those the server
 * lets freeze (org-admin, security-officer), disabled with who may for everyone else.
 */
export function EnvironmentFreeze(props: EnvironmentFreezeProps) {
  const { environment: e, now = Date.now } = props;
  const api = useApi(catalystApiRef);
  const { allowed, loading, reason } = useCatalystPermission({
    doing: 'freeze',
    environment: e.name,
    organization: e.organization,
  });
  // the server's answer to a freeze or lift replaces what the page loaded with
  const [freeze, setFreeze] = useState<Freeze | null>(e.freeze ?? null);
  const [asking, setAsking] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();

  const change = async (frozen: boolean) => {
    setAsking(false);
    setBusy(true);
    setFailure(undefined);
    try {
      const state = frozen
        ? await api.freezeEnvironment(e.name, { reason: text.trim() })
        : await api.liftFreeze(e.name);
      setFreeze(
        state.frozen
          ? {
              reason: state.reason ?? '',
              ...(state.by ? { by: state.by } : {}),
              ...(state.since ? { since: state.since } : {}),
            }
          : null,
      );
    } catch (error) {
      setFailure(
        refusalOf(error, 'freeze', { environment: e.name, organization: e.organization }) ?? messageOf(error as Error),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box data-testid="environment-freeze" data-frozen={freeze ? 'true' : 'false'}>
      <Tooltip title={allowed ? '' : reason ?? ''}>
        <span>
          <FormControlLabel
            control={
              <Switch
                checked={Boolean(freeze)}
                disabled={loading || !allowed || busy}
                onChange={(_event, checked) => {
                  if (checked) {
                    setText('');
                    setAsking(true);
                  } else change(false);
                }}
                inputProps={{ 'aria-label': 'Freeze' }}
              />
            }
            label={freeze ? 'Frozen' : 'Not frozen'}
          />
        </span>
      </Tooltip>
      <Typography variant="body2" component="span" data-testid="freeze-state">
        {freeze
          ? `No change request merges${freeze.by ? ` — frozen by ${displayActor(freeze.by)}` : ''}${
              freeze.since ? ` ${relativeTime(freeze.since, now())}` : ''
            }: ${freeze.reason}`
          : 'Change requests merge when their rules pass.'}
      </Typography>
      {!loading && !allowed && reason && (
        <Typography variant="body2" color="textSecondary" data-testid="freeze-refusal">
          {reason}
        </Typography>
      )}
      {failure && (
        <Alert severity="error" style={{ marginTop: 8 }} data-testid="freeze-failed">
          {failure}
        </Alert>
      )}
      <Dialog open={asking} onClose={() => setAsking(false)} aria-labelledby="freeze-title" fullWidth>
        <DialogTitle id="freeze-title">Freeze {e.name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            While {e.name} is frozen no change request merges into it, whatever its approvals — not even by breaking
            glass — until the freeze is lifted. Everyone sees the reason.
          </DialogContentText>
          <TextField
            fullWidth
            variant="outlined"
            label="Reason"
            value={text}
            onChange={event => setText(event.target.value)}
            inputProps={{ 'aria-label': 'Reason', maxLength: 500 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setAsking(false)}>Cancel</Button>
          <Button color="secondary" variant="contained" disabled={!text.trim()} onClick={() => change(true)}>
            Freeze
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
