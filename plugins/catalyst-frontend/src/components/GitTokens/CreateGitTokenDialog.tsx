import { useState } from 'react';
import { CodeSnippet, CopyTextButton } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { CreatedGitToken, OrganizationSummary } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { checkGitTokenForm, cloneUrlOf, createFailureOf, GitTokenFieldErrors, GitTokenForm } from './gitAccess';

export interface CreateGitTokenDialogProps {
  /** The Organizations the person may read: a token is for one of them. */
  organizations: OrganizationSummary[];
  /** Preselected (from an Environment page's link). */
  organization?: string;
  /** The Environment whose clone command to show, when it is in the token's Organization. */
  environment?: string;
  onCreated: (created: CreatedGitToken) => void;
  onClose: () => void;
}

/** The secret, once, with the commands that use it. */
function CreatedToken(props: { created: CreatedGitToken; environment: string; onClose: () => void }) {
  const { created, environment } = props;
  const org = created.token.organization;
  const clone = `git clone ${cloneUrlOf(created.gitBaseUrl, environment)}`;
  return (
    <>
      <DialogTitle id="git-token-title">
        Token {created.token.name} for {org}
      </DialogTitle>
      <DialogContent>
        <Alert severity="warning">
          Copy it now: Catalyst keeps only a hash of it and cannot show it again. Lost it? Revoke it and make another.
        </Alert>
        <Box display="flex" alignItems="center" mt={2} mb={2}>
          <TextField
            fullWidth
            variant="outlined"
            label="Token"
            value={created.secret}
            InputProps={{ readOnly: true, style: { fontFamily: 'monospace' } }}
            inputProps={{ 'data-testid': 'git-token-secret' }}
          />
          <CopyTextButton text={created.secret} aria-label="Copy the token" tooltipText="Token copied" />
        </Box>
        <Typography variant="subtitle2">Clone</Typography>
        <CodeSnippet language="shell" text={clone} showCopyCodeButton />
        <DialogContentText component="div" style={{ marginTop: 8 }}>
          <Typography variant="body2" paragraph>
            Git asks for a user name and a password: any user name does, the token is the password. A credential helper
            (<code>git config --global credential.helper store</code>, or your system&apos;s keychain) keeps it so Git
            does not ask again.
          </Typography>
          <Typography variant="body2" paragraph>
            Every Environment repo of {org} is at <code>{cloneUrlOf(created.gitBaseUrl, '<environment>')}</code>, its
            shared Blueprints at <code>{cloneUrlOf(created.gitBaseUrl, 'shared-blueprints')}</code>. The token acts with
            your roles in {org} at the time of each request: clone where you may read, push where you may configure (a
            push to a governed Environment&apos;s main is refused; a pushed branch becomes a change request).
          </Typography>
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button color="primary" variant="contained" onClick={props.onClose}>
          Done
        </Button>
      </DialogActions>
    </>
  );
}

/**
 * "New Git token": a name, the Organization and an optional expiry, checked with the server's schema
 * before sending; then the secret, shown in this dialog only (closing it forgets the secret).
 */
export function CreateGitTokenDialog(props: CreateGitTokenDialogProps) {
  const { organizations, onCreated, onClose } = props;
  const api = useApi(catalystApiRef);
  const preselected =
    organizations.find(o => o.name === props.organization)?.name ??
    (organizations.length === 1 ? organizations[0].name : '');
  const [form, setForm] = useState<GitTokenForm>({ name: '', organization: preselected, expiresInDays: '' });
  const [fields, setFields] = useState<GitTokenFieldErrors>({});
  const [other, setOther] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedGitToken | undefined>();

  const set = (field: keyof GitTokenForm) => (event: { target: { value: unknown } }) => {
    setForm(f => ({ ...f, [field]: String(event.target.value) }));
    setFields(f => ({ ...f, [field]: undefined }));
  };

  const create = async () => {
    const checked = checkGitTokenForm(form);
    setOther([]);
    if (!checked.ok) {
      setFields(checked.fields);
      return;
    }
    setBusy(true);
    try {
      const answer = await api.createGitToken(checked.body);
      setCreated(answer);
      onCreated(answer);
    } catch (error) {
      const failure = createFailureOf(error);
      setFields(failure.fields);
      setOther(failure.other);
    } finally {
      setBusy(false);
    }
  };

  // the clone example: the Environment the person came from, else one of the Organization's
  const exampleOf = (organization: string) => {
    const environments = organizations.find(o => o.name === organization)?.environments ?? [];
    if (props.environment && environments.includes(props.environment)) return props.environment;
    return environments[0] ?? '<environment>';
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby="git-token-title" fullWidth maxWidth="md">
      {created ? (
        <CreatedToken created={created} environment={exampleOf(created.token.organization)} onClose={onClose} />
      ) : (
        <>
          <DialogTitle id="git-token-title">New Git token</DialogTitle>
          <DialogContent>
            <DialogContentText>
              A personal token for cloning and pushing one Organization&apos;s repos over HTTPS. It can do what your
              roles there allow, no more.
            </DialogContentText>
            <TextField
              id="git-token-name"
              fullWidth
              margin="normal"
              variant="outlined"
              label="Name"
              placeholder="where it is used, e.g. laptop"
              value={form.name}
              onChange={set('name')}
              error={Boolean(fields.name)}
              helperText={fields.name}
              inputProps={{ 'aria-label': 'Name', maxLength: 80 }}
            />
            <TextField
              id="git-token-organization"
              select
              fullWidth
              margin="normal"
              variant="outlined"
              label="Organization"
              value={form.organization}
              onChange={set('organization')}
              error={Boolean(fields.organization)}
              helperText={fields.organization}
              SelectProps={{ SelectDisplayProps: { 'aria-label': 'Organization' } as object }}
            >
              {organizations.map(o => (
                <MenuItem key={o.name} value={o.name}>
                  {o.displayName && o.displayName !== o.name ? `${o.displayName} (${o.name})` : o.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              id="git-token-expiry"
              fullWidth
              margin="normal"
              variant="outlined"
              type="number"
              label="Expires in (days)"
              placeholder="empty: until you revoke it"
              value={form.expiresInDays}
              onChange={set('expiresInDays')}
              error={Boolean(fields.expiresInDays)}
              helperText={fields.expiresInDays ?? '1 to 365; empty: until you revoke it'}
              inputProps={{ 'aria-label': 'Expires in (days)', min: 1, max: 365 }}
            />
            {other.map(text => (
              <Alert key={text} severity="error" data-testid="git-token-create-failed">
                {text}
              </Alert>
            ))}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button color="primary" variant="contained" disabled={busy} onClick={create}>
              Create token
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}
