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
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { ChangeRequest, ChangeRequestPermission } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { CatalystDoing, refusalOf } from '../../permissions/refusals';
import { isWaiting } from '../../utils/changeRequestWords';

/** The server's own minimum for a break-glass reason (catalyst-common's mergeBodySchema). */
const BREAK_GLASS_MIN = 10;

type Decision = 'approve' | 'reject' | 'merge' | 'break-glass' | 'rebase';

const LABELS: Record<Decision, string> = {
  approve: 'Approve',
  reject: 'Reject',
  merge: 'Merge',
  'break-glass': 'Break glass',
  rebase: 'Rebase',
};

const PERMISSION_OF: Record<Decision, keyof ChangeRequest['can']> = {
  approve: 'approve',
  reject: 'reject',
  merge: 'merge',
  'break-glass': 'breakGlass',
  rebase: 'rebase',
};

function messageOf(error: Error): string {
  const e = error as Error & { body?: { error?: { message?: string } }; cause?: { message?: string } };
  return e.body?.error?.message ?? e.cause?.message ?? e.message;
}

export interface ChangeRequestActionsProps {
  changeRequest: ChangeRequest;
  /** The request as the server answered the decision. */
  onChanged: (changeRequest: ChangeRequest) => void;
  /** A decision was refused: the request is reloaded, since the refusal means it moved on. */
  onRefused: () => void;
}

/**
 * Approve, reject (with a reason), merge, break glass (org-admin, with a written reason) and rebase.
 * Each is offered as the server's `can` says, and disabled with its reason otherwise; the server
 * checks again, and a refusal is explained by its error code.
 */
export function ChangeRequestActions(props: ChangeRequestActionsProps) {
  const { changeRequest: cr, onChanged, onRefused } = props;
  const api = useApi(catalystApiRef);
  const [open, setOpen] = useState<Decision | undefined>();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState<Decision | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  if (!isWaiting(cr.state)) return null;

  const run = async (decision: Decision) => {
    setOpen(undefined);
    setBusy(decision);
    setFailure(undefined);
    const reason = text.trim();
    try {
      let next: ChangeRequest;
      switch (decision) {
        case 'approve':
          next = await api.approveChangeRequest(cr.id, reason ? { comment: reason } : {});
          break;
        case 'reject':
          next = await api.rejectChangeRequest(cr.id, { reason });
          break;
        case 'merge':
          next = await api.mergeChangeRequest(cr.id, {});
          break;
        case 'break-glass':
          next = await api.mergeChangeRequest(cr.id, { breakGlass: { reason } });
          break;
        default:
          next = await api.rebaseChangeRequest(cr.id);
      }
      setText('');
      onChanged(next);
    } catch (e) {
      const doing: CatalystDoing = decision;
      setFailure(
        refusalOf(e, doing, { environment: cr.environment, organization: cr.organization }) ?? messageOf(e as Error),
      );
      onRefused();
    } finally {
      setBusy(undefined);
    }
  };

  const ask = (decision: Decision) => {
    setText('');
    // a rebase only recomputes the change on the Environment's main and decides nothing: no question
    if (decision === 'rebase') run(decision);
    else setOpen(decision);
  };

  const permissionOf = (decision: Decision): ChangeRequestPermission => cr.can[PERMISSION_OF[decision]];
  const decisions: Decision[] = ['approve', 'reject', 'merge', 'break-glass', 'rebase'];
  const refused = decisions.filter(d => !permissionOf(d).allowed && permissionOf(d).reason);

  const MIN_LENGTH: Record<Decision, number> = {
    approve: 0,
    reject: 1,
    merge: 0,
    'break-glass': BREAK_GLASS_MIN,
    rebase: 0,
  };
  const minLength = open ? MIN_LENGTH[open] : 0;
  const tooShort = text.trim().length < minLength;

  return (
    <Box data-testid="change-request-actions">
      <Box display="flex" flexWrap="wrap" gridGap={8}>
        {decisions.map(d => {
          const permission = permissionOf(d);
          return (
            <Tooltip key={d} title={permission.allowed ? '' : permission.reason ?? ''}>
              {/* a span, because a disabled button fires no events for the tooltip */}
              <span>
                <Button
                  variant={d === 'approve' || d === 'merge' ? 'contained' : 'outlined'}
                  color={d === 'reject' || d === 'break-glass' ? 'secondary' : 'primary'}
                  disabled={!permission.allowed || busy !== undefined}
                  onClick={() => ask(d)}
                >
                  {busy === d ? `${LABELS[d]}…` : LABELS[d]}
                </Button>
              </span>
            </Tooltip>
          );
        })}
      </Box>
      {refused.length > 0 && (
        <Box mt={1} data-testid="change-request-refusals">
          {refused.map(d => (
            <Typography key={d} variant="body2" color="textSecondary">
              {LABELS[d]}: {permissionOf(d).reason}
            </Typography>
          ))}
        </Box>
      )}
      {failure && (
        <Alert severity="error" style={{ marginTop: 16 }} data-testid="change-request-failed">
          {failure}
        </Alert>
      )}
      <Dialog open={open !== undefined} onClose={() => setOpen(undefined)} aria-labelledby="decision-title" fullWidth>
        {open && (
          <>
            <DialogTitle id="decision-title">
              {open === 'break-glass' ? `Break glass and merge ${cr.id}?` : `${LABELS[open]} ${cr.id}?`}
            </DialogTitle>
            <DialogContent>
              <DialogContentText>
                {open === 'approve' &&
                  `Your approval counts for the teams you belong to. It stops counting if the change is revised.`}
                {open === 'reject' && `Rejecting closes the change request; ${cr.environment} stays as it is.`}
                {open === 'merge' && `The change is merged into ${cr.environment}'s main and applied by Flux.`}
                {open === 'break-glass' &&
                  `Merging now bypasses soak and change windows (never approvals, never a freeze: lift it first). The reason goes into the merge commit, the audit trail and a notification to the security officers.`}
              </DialogContentText>
              {open !== 'merge' && (
                <TextField
                  fullWidth
                  multiline
                  minRows={2}
                  variant="outlined"
                  label={open === 'approve' ? 'Comment (optional)' : 'Reason'}
                  value={text}
                  onChange={e => setText(e.target.value)}
                  helperText={open === 'break-glass' ? `Say why, in at least ${BREAK_GLASS_MIN} characters` : undefined}
                  inputProps={{ 'aria-label': open === 'approve' ? 'Comment' : 'Reason' }}
                />
              )}
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setOpen(undefined)}>Cancel</Button>
              <Button
                variant="contained"
                color={open === 'reject' || open === 'break-glass' ? 'secondary' : 'primary'}
                disabled={tooShort}
                onClick={() => run(open)}
              >
                {open === 'break-glass' ? 'Break glass and merge' : LABELS[open]}
              </Button>
            </DialogActions>
          </>
        )}
      </Dialog>
    </Box>
  );
}
