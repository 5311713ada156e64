import { useEffect, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Tooltip,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import AddIcon from '@material-ui/icons/Add';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { GitToken } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { useNow } from '../../hooks/useNow';
import { relativeTime } from '../../utils/relativeTime';
import { CreateGitTokenDialog } from './CreateGitTokenDialog';
import { dayOf, gitTokenState, messageOf } from './gitAccess';

export interface GitTokensCardProps {
  /** Preselects the new token's Organization (a link from an Environment page passes its own). */
  organization?: string;
  /** The Environment whose clone command the new token's dialog shows. */
  environment?: string;
  now?: () => number;
}

function StateOf(props: { token: GitToken; now: number }) {
  const { token, now } = props;
  switch (gitTokenState(token, now)) {
    case 'revoked':
      return <StatusError>Revoked {relativeTime(token.revokedAt ?? '', now)}</StatusError>;
    case 'expired':
      return <StatusWarning>Expired</StatusWarning>;
    default:
      return <StatusOK>Active</StatusOK>;
  }
}

/** Asks before revoking: clients using the token stop working at once. */
function RevokeDialog(props: { token: GitToken; onRevoke: () => void; onCancel: () => void }) {
  return (
    <Dialog open onClose={props.onCancel} aria-labelledby="git-token-revoke-title">
      <DialogTitle id="git-token-revoke-title">Revoke {props.token.name}?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Every clone and push with this token is refused from now on. Clones made with it stay where they are; they
          need another token to fetch or push.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button color="secondary" variant="contained" onClick={props.onRevoke}>
          Revoke
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * "Git tokens": the person's personal Git tokens (never their secrets: the server does not keep
 * them), New token (the secret shown once, in its dialog) and Revoke with a confirmation. Revoked
 * tokens stay listed, marked, as the server keeps them.
 */
export function GitTokensCard(props: GitTokensCardProps) {
  const api = useApi(catalystApiRef);
  const now = useNow(props.now);
  const listed = useAsyncRetry(() => api.listGitTokens(), [api]);
  const organizations = useAsyncRetry(() => api.listOrganizations(), [api]);
  // the list as this page changed it: a created token added, a revoked one replaced by the answer
  const [tokens, setTokens] = useState<GitToken[] | undefined>();
  useEffect(() => setTokens(listed.value), [listed.value]);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<GitToken | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  const revoke = async (token: GitToken) => {
    setRevoking(undefined);
    setBusy(token.id);
    setFailure(undefined);
    try {
      const revoked = await api.revokeGitToken(token.id);
      setTokens(list => list?.map(t => (t.id === revoked.id ? revoked : t)));
    } catch (error) {
      setFailure(`Could not revoke ${token.name}: ${messageOf(error)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const readable = organizations.value ?? [];
  let cannotCreate: string | undefined;
  if (organizations.error) cannotCreate = `The Organizations did not load: ${messageOf(organizations.error)}`;
  else if (organizations.value && readable.length === 0)
    cannotCreate = 'You have no role in any Organization yet, so a token could open nothing';

  const columns: TableColumn<GitToken>[] = [
    { title: 'Name', field: 'name', highlight: true },
    { title: 'Organization', field: 'organization' },
    { title: 'Created', render: t => dayOf(t.createdAt) },
    { title: 'Expires', render: t => (t.expiresAt ? dayOf(t.expiresAt) : 'never') },
    { title: 'Last used', render: t => (t.lastUsedAt ? relativeTime(t.lastUsedAt, now) : 'never') },
    { title: 'State', render: t => <StateOf token={t} now={now} /> },
    {
      title: '',
      align: 'right',
      render: t =>
        t.revokedAt ? null : (
          <Button
            size="small"
            color="secondary"
            disabled={busy === t.id}
            onClick={() => setRevoking(t)}
            aria-label={`Revoke ${t.name}`}
          >
            Revoke
          </Button>
        ),
    },
  ];

  let body;
  if (listed.error) body = <ResponseErrorPanel error={listed.error} />;
  else if (!tokens) body = <Progress />;
  else if (tokens.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No Git tokens yet"
        description="Make one to clone an Environment's repo or your Organization's shared Blueprints with git. Its secret is shown once."
      />
    );
  } else {
    body = (
      <Table<GitToken>
        options={{ paging: false, search: false, toolbar: false, padding: 'dense' }}
        columns={columns}
        data={tokens.map(t => ({ ...t }))}
      />
    );
  }

  return (
    <InfoCard
      title="Git tokens"
      subheader="Personal tokens for git over HTTPS: the password when you clone or push"
      action={
        <Tooltip title={cannotCreate ?? ''}>
          <span>
            <Button
              color="primary"
              variant="contained"
              startIcon={<AddIcon />}
              disabled={!organizations.value || readable.length === 0}
              onClick={() => setCreating(true)}
              style={{ marginTop: 8 }}
            >
              New token
            </Button>
          </span>
        </Tooltip>
      }
    >
      {cannotCreate && (
        <Alert severity={organizations.error ? 'error' : 'info'} style={{ marginBottom: 8 }}>
          {cannotCreate}
        </Alert>
      )}
      {failure && (
        <Alert severity="error" style={{ marginBottom: 8 }} data-testid="git-token-revoke-failed">
          {failure}
        </Alert>
      )}
      {body}
      {creating && (
        <CreateGitTokenDialog
          organizations={readable}
          organization={props.organization}
          environment={props.environment}
          onCreated={created => setTokens(list => [created.token, ...(list ?? [])])}
          onClose={() => setCreating(false)}
        />
      )}
      {revoking && (
        <RevokeDialog token={revoking} onRevoke={() => revoke(revoking)} onCancel={() => setRevoking(undefined)} />
      )}
    </InfoCard>
  );
}
