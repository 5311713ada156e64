import { useCallback, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  ListItemText,
  Menu,
  MenuItem,
  Tooltip,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { ChangeResponse, EnvironmentOverview } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { refusalOf } from '../../permissions/refusals';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { describePolicy } from '../../utils/describePolicy';
import { ChangeOutcome } from '../ChangeOutcome';

function messageOf(error: Error): string {
  const e = error as Error & { body?: { error?: { message?: string } }; cause?: { message?: string } };
  return e.body?.error?.message ?? e.cause?.message ?? e.message;
}

/**
 * Copying one Application from its Environment to others of its Organization (`POST /promotions`):
 * which copy is under way, where each went (a commit, or a change request where the destination is
 * governed), and the last refusal, explained by its error code. Shared by the Promotion tab and the
 * Blueprint page's usage table.
 */
export function useCopyApplication(sourceEnvironment: string, application: string) {
  const api = useApi(catalystApiRef);
  const [copying, setCopying] = useState<string | undefined>();
  const [results, setResults] = useState<Record<string, ChangeResponse>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const copy = useCallback(
    async (target: EnvironmentOverview) => {
      setCopying(target.name);
      setFailure(undefined);
      try {
        const result = await api.promote({ sourceEnvironment, application, targetEnvironment: target.name });
        setResults(previous => ({ ...previous, [target.name]: result }));
      } catch (e) {
        setFailure(
          refusalOf(e, 'promote', { environment: target.name, organization: target.organization }) ??
            messageOf(e as Error),
        );
      } finally {
        setCopying(undefined);
      }
    },
    [api, sourceEnvironment, application],
  );
  return { copy, copying, results, failure };
}

/** "Copy to <Environment>" for those who may promote there; disabled with who may, or with `sameReason`. */
export function CopyApplicationButton(props: {
  target: EnvironmentOverview;
  onCopy: (target: EnvironmentOverview) => void;
  /** Why there is nothing to copy (the target already runs the same), if so. */
  sameReason?: string;
  /** A copy is under way (this one: `copying`). */
  busy: boolean;
  copying: boolean;
}) {
  const { target, onCopy, sameReason, busy, copying } = props;
  const { allowed, loading, reason } = useCatalystPermission({
    doing: 'promote',
    environment: target.name,
    organization: target.organization,
  });
  const why = !loading && !allowed ? reason : sameReason;
  return (
    <Tooltip title={why ?? ''}>
      {/* a span, because a disabled button fires no events for the tooltip */}
      <span>
        <Button
          size="small"
          variant="outlined"
          color="primary"
          disabled={loading || !allowed || Boolean(sameReason) || busy}
          onClick={() => onCopy(target)}
        >
          {copying ? `Copying to ${target.name}…` : `Copy to ${target.name}`}
        </Button>
      </span>
    </Tooltip>
  );
}

/** Asks before a copy: what the destination gets, and whether it is a commit or a change request. */
export function CopyApplicationDialog(props: {
  application: string;
  sourceEnvironment: string;
  blueprint: string;
  version: string;
  /** The destination; the dialog is open while there is one. */
  target?: EnvironmentOverview;
  onCancel: () => void;
  onConfirm: (target: EnvironmentOverview) => void;
}) {
  const { application, sourceEnvironment, blueprint, version, target, onCancel, onConfirm } = props;
  return (
    <Dialog open={Boolean(target)} onClose={onCancel} aria-labelledby="copy-title">
      {target && (
        <>
          <DialogTitle id="copy-title">
            Copy {application} to {target.name}?
          </DialogTitle>
          <DialogContent>
            <DialogContentText>
              {target.name} gets {blueprint} @ {version} with the values {application} has in {sourceEnvironment}.{' '}
              {target.governed
                ? `${target.name} is governed (${describePolicy(target.policy?.rules)}): this opens a change request.`
                : `This is one commit in ${target.name}.`}
            </DialogContentText>
          </DialogContent>
          <DialogActions>
            <Button onClick={onCancel}>Cancel</Button>
            <Button color="primary" variant="contained" onClick={() => onConfirm(target)}>
              Copy
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}

function CopyTargetItem(props: { target: EnvironmentOverview; note?: string; onPick: () => void }) {
  const { target, note, onPick } = props;
  const { allowed, loading, reason } = useCatalystPermission({
    doing: 'promote',
    environment: target.name,
    organization: target.organization,
  });
  const secondary = [note, target.governed ? 'opens a change request' : undefined, !loading && !allowed ? reason : '']
    .filter(Boolean)
    .join(' · ');
  return (
    <MenuItem disabled={loading || !allowed} onClick={onPick}>
      <ListItemText primary={target.name} secondary={secondary || undefined} />
    </MenuItem>
  );
}

export interface CopyToMenuProps {
  application: string;
  sourceEnvironment: string;
  blueprint: string;
  version: string;
  /** The other Environments of the Application's Organization. */
  targets: EnvironmentOverview[];
  /** A word on what each target has now, e.g. "runs 1.1.0". */
  noteOf?: (target: EnvironmentOverview) => string | undefined;
}

/**
 * "Copy to …": the Promotion tab's copy for a place that lists many Applications (the Blueprint
 * page's usage table) — a menu of the other Environments (each disabled with who may, where the
 * person may not promote), the same confirmation, and where each copy went.
 */
export function CopyToMenu(props: CopyToMenuProps) {
  const { application, sourceEnvironment, blueprint, version, targets, noteOf } = props;
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [confirming, setConfirming] = useState<EnvironmentOverview | undefined>();
  const { copy, copying, results, failure } = useCopyApplication(sourceEnvironment, application);
  return (
    <Box>
      <Button
        size="small"
        variant="outlined"
        color="primary"
        aria-haspopup="true"
        disabled={targets.length === 0 || copying !== undefined}
        onClick={e => setAnchor(e.currentTarget)}
      >
        {copying ? `Copying to ${copying}…` : 'Copy to …'}
      </Button>
      <Menu anchorEl={anchor} keepMounted open={Boolean(anchor)} onClose={() => setAnchor(null)}>
        {targets.map(t => (
          <CopyTargetItem
            key={t.name}
            target={t}
            note={noteOf?.(t)}
            onPick={() => {
              setAnchor(null);
              setConfirming(t);
            }}
          />
        ))}
      </Menu>
      <CopyApplicationDialog
        application={application}
        sourceEnvironment={sourceEnvironment}
        blueprint={blueprint}
        version={version}
        target={confirming}
        onCancel={() => setConfirming(undefined)}
        onConfirm={t => {
          setConfirming(undefined);
          copy(t);
        }}
      />
      {failure && (
        <Box mt={1}>
          <Alert severity="error" data-testid={`copy-failed-${sourceEnvironment}-${application}`}>
            {failure}
          </Alert>
        </Box>
      )}
      {Object.entries(results).map(([target, result]) => (
        <Box key={target} mt={1}>
          <ChangeOutcome
            result={result}
            done={`Copied ${application} to ${target}`}
            data-testid={`copy-result-${sourceEnvironment}-${application}-${target}`}
          />
        </Box>
      ))}
    </Box>
  );
}
