import { fireEvent, waitFor, within } from '@testing-library/react';
import type { CreatedGitToken, GitToken, OrganizationSummary } from '@internal/plugin-catalyst-common';
import { catalystError, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { GitTokensCard } from './GitTokensCard';

const now = () => Date.parse('2026-12-03T12:00:00Z');

const acme: OrganizationSummary = {
  name: 'acme',
  displayName: 'Acme',
  sovereign: 'openova',
  teams: ['team-platform'],
  environments: ['acme-dev', 'acme-prod'],
};
const globex: OrganizationSummary = { ...acme, name: 'globex', displayName: 'Globex', environments: ['globex-dev'] };

const token = (over: Partial<GitToken>): GitToken => ({
  id: 'gt-000000000001',
  name: 'ci runner',
  organization: 'acme',
  userRef: 'user:default/ada',
  createdAt: '2026-11-20T09:00:00Z',
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  ...over,
});

const ciRunner = token({ lastUsedAt: '2026-12-03T10:00:00Z' });
const oldLaptop = token({
  id: 'gt-000000000002',
  name: 'old laptop',
  expiresAt: '2026-12-01T09:00:00Z',
});
const revoked = token({ id: 'gt-000000000003', name: 'leaked', revokedAt: '2026-12-02T12:00:00Z' });

const SECRET = `cgt_${'s3cr3t'.repeat(6)}`;
const created: CreatedGitToken = {
  token: token({
    id: 'gt-00000000000a',
    name: 'laptop',
    createdAt: '2026-12-03T12:00:00Z',
    expiresAt: '2027-01-02T12:00:00Z',
  }),
  secret: SECRET,
  gitBaseUrl: 'http://example.com/api/catalyst/git/acme',
};

/** The dialog's form filled in and sent. */
function fillAndCreate(dialog: HTMLElement, form: { name: string; expiresInDays?: string }) {
  fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: form.name } });
  if (form.expiresInDays)
    fireEvent.change(within(dialog).getByLabelText('Expires in (days)'), { target: { value: form.expiresInDays } });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Create token' }));
}

describe('GitTokensCard', () => {
  it('shows progress while the tokens load', async () => {
    const api = fakeCatalystApi({ listGitTokens: pending, listOrganizations: pending });
    const { getByTestId } = await renderCatalyst(<GitTokensCard now={now} />, { api });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows why the tokens could not be listed', async () => {
    const api = fakeCatalystApi({
      listGitTokens: () =>
        Promise.reject(
          catalystError(403, 'Git tokens belong to people: sign in to the portal to make one', { code: 'not-allowed' }),
        ),
      listOrganizations: async () => [acme],
    });
    const { findAllByText } = await renderCatalyst(<GitTokensCard now={now} />, { api });
    expect((await findAllByText(/Request failed with 403/))[0]).toBeInTheDocument();
  });

  it('says there are no tokens yet', async () => {
    const api = fakeCatalystApi({ listGitTokens: async () => [], listOrganizations: async () => [acme] });
    const { findByText } = await renderCatalyst(<GitTokensCard now={now} />, { api });
    expect(await findByText('No Git tokens yet')).toBeInTheDocument();
  });

  it('lists the tokens with their Organization, dates and state; revoked ones have no Revoke', async () => {
    const api = fakeCatalystApi({
      listGitTokens: async () => [ciRunner, oldLaptop, revoked],
      listOrganizations: async () => [acme],
    });
    const { findByRole, getByRole } = await renderCatalyst(<GitTokensCard now={now} />, { api });
    const ci = await findByRole('row', { name: /ci runner/ });
    expect(ci).toHaveTextContent('acme');
    expect(ci).toHaveTextContent('2026-11-20');
    expect(ci).toHaveTextContent('never'); // no expiry
    expect(ci).toHaveTextContent('2 hours ago');
    expect(ci).toHaveTextContent('Active');
    const laptop = getByRole('row', { name: /old laptop/ });
    expect(laptop).toHaveTextContent('2026-12-01');
    expect(laptop).toHaveTextContent('Expired');
    const leaked = getByRole('row', { name: /leaked/ });
    expect(leaked).toHaveTextContent('Revoked 1 day ago');
    expect(within(leaked).queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
    expect(within(ci).getByRole('button', { name: 'Revoke ci runner' })).toBeEnabled();
  });

  it('shows the secret once, with the clone command, and lists the token without it', async () => {
    const api = fakeCatalystApi({
      listGitTokens: async () => [ciRunner],
      listOrganizations: async () => [acme],
      createGitToken: async () => created,
    });
    const { findByRole, getByRole, queryByRole } = await renderCatalyst(
      <GitTokensCard now={now} organization="acme" environment="acme-prod" />,
      { api },
    );
    await findByRole('row', { name: /ci runner/ });
    const newToken = getByRole('button', { name: 'New token' });
    await waitFor(() => expect(newToken).toBeEnabled());
    fireEvent.click(newToken);
    fillAndCreate(getByRole('dialog'), { name: 'laptop', expiresInDays: '30' });

    await waitFor(() =>
      expect(api.createGitToken).toHaveBeenCalledWith({ name: 'laptop', organization: 'acme', expiresInDays: 30 }),
    );
    const dialog = getByRole('dialog');
    expect(await within(dialog).findByTestId('git-token-secret')).toHaveValue(SECRET);
    expect(within(dialog).getByText(/cannot show it again/)).toBeInTheDocument();
    // the Environment the person came from, at the Organization's base the server answered with
    expect(dialog).toHaveTextContent('git clone http://example.com/api/catalyst/git/acme/acme-prod.git');
    expect(dialog).toHaveTextContent('any user name does, the token is the password');
    expect(within(dialog).getByRole('button', { name: 'Copy the token' })).toBeInTheDocument();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(queryByRole('dialog')).not.toBeInTheDocument());
    const row = getByRole('row', { name: /laptop/ });
    expect(row).toHaveTextContent('2027-01-02');
    expect(row).toHaveTextContent('Active');
    // gone for good: not in the list, not anywhere on the page
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(api.createGitToken).toHaveBeenCalledTimes(1);
  });

  it('names the field the server refused', async () => {
    const api = fakeCatalystApi({
      listGitTokens: async () => [],
      listOrganizations: async () => [acme, globex],
      createGitToken: () =>
        Promise.reject(
          catalystError(400, 'Invalid request: name: you already have a token named laptop', {
            code: 'invalid-request',
            issues: [{ code: 'invalid-request', path: 'name', message: 'you already have a token named laptop' }],
          }),
        ),
    });
    const { findByText, getByRole } = await renderCatalyst(<GitTokensCard now={now} organization="globex" />, {
      api,
    });
    await findByText('No Git tokens yet');
    await waitFor(() => expect(getByRole('button', { name: 'New token' })).toBeEnabled());
    fireEvent.click(getByRole('button', { name: 'New token' }));
    const dialog = getByRole('dialog');
    fillAndCreate(dialog, { name: 'laptop' });
    await waitFor(() => expect(api.createGitToken).toHaveBeenCalledWith({ name: 'laptop', organization: 'globex' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Name')).toHaveAccessibleDescription(
        'you already have a token named laptop',
      ),
    );
    expect(within(dialog).queryByTestId('git-token-secret')).not.toBeInTheDocument();
  });

  it('names the field before sending what the server would refuse', async () => {
    const api = fakeCatalystApi({ listGitTokens: async () => [], listOrganizations: async () => [acme] });
    const { findByText, getByRole } = await renderCatalyst(<GitTokensCard now={now} />, { api });
    await findByText('No Git tokens yet');
    await waitFor(() => expect(getByRole('button', { name: 'New token' })).toBeEnabled());
    fireEvent.click(getByRole('button', { name: 'New token' }));
    const dialog = getByRole('dialog');
    fillAndCreate(dialog, { name: 'my laptop!', expiresInDays: '400' });
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Name')).toHaveAccessibleDescription(
        'letters, digits, spaces and . _ : @ / - only',
      ),
    );
    expect(within(dialog).getByLabelText('Expires in (days)')).toHaveAccessibleDescription(
      'a whole number of days from 1 to 365, or empty for no expiry',
    );
    expect(api.createGitToken).not.toHaveBeenCalled();
  });

  it('shows a refusal that names no field as a sentence', async () => {
    const api = fakeCatalystApi({
      listGitTokens: async () => [],
      listOrganizations: async () => [acme],
      createGitToken: () =>
        Promise.reject(catalystError(403, 'You may not read the Organization acme', { code: 'not-allowed' })),
    });
    const { findByText, getByRole, findByTestId } = await renderCatalyst(<GitTokensCard now={now} />, { api });
    await findByText('No Git tokens yet');
    await waitFor(() => expect(getByRole('button', { name: 'New token' })).toBeEnabled());
    fireEvent.click(getByRole('button', { name: 'New token' }));
    fillAndCreate(getByRole('dialog'), { name: 'laptop' });
    expect(await findByTestId('git-token-create-failed')).toHaveTextContent('You may not read the Organization acme');
  });

  it('revokes after asking, and marks the row revoked', async () => {
    const api = fakeCatalystApi({
      listGitTokens: async () => [ciRunner],
      listOrganizations: async () => [acme],
      revokeGitToken: async id => ({ ...ciRunner, id, revokedAt: '2026-12-03T12:00:00Z' }),
    });
    const { findByRole, getByRole, queryByRole } = await renderCatalyst(<GitTokensCard now={now} />, { api });
    fireEvent.click(await findByRole('button', { name: 'Revoke ci runner' }));
    const dialog = getByRole('dialog');
    expect(dialog).toHaveTextContent('Revoke ci runner?');
    expect(api.revokeGitToken).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(api.revokeGitToken).toHaveBeenCalledWith('gt-000000000001'));
    await waitFor(() => expect(queryByRole('dialog')).not.toBeInTheDocument());
    const row = getByRole('row', { name: /ci runner/ });
    await waitFor(() => expect(row).toHaveTextContent('Revoked just now'));
    expect(within(row).queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
  });

  it('keeps the token when revoking is cancelled, and says when revoking fails', async () => {
    const api = fakeCatalystApi({
      listGitTokens: async () => [ciRunner],
      listOrganizations: async () => [acme],
      revokeGitToken: () =>
        Promise.reject(catalystError(404, 'You have no Git token gt-000000000001', { code: 'not-found' })),
    });
    const { findByRole, getByRole, queryByRole, findByTestId } = await renderCatalyst(<GitTokensCard now={now} />, {
      api,
    });
    fireEvent.click(await findByRole('button', { name: 'Revoke ci runner' }));
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(queryByRole('dialog')).not.toBeInTheDocument());
    expect(api.revokeGitToken).not.toHaveBeenCalled();
    fireEvent.click(getByRole('button', { name: 'Revoke ci runner' }));
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    expect(await findByTestId('git-token-revoke-failed')).toHaveTextContent(
      'Could not revoke ci runner: You have no Git token gt-000000000001',
    );
    expect(getByRole('row', { name: /ci runner/ })).toHaveTextContent('Active');
  });

  it('offers no new token to someone with no role in any Organization, and says why', async () => {
    const api = fakeCatalystApi({ listGitTokens: async () => [], listOrganizations: async () => [] });
    const { findByText, getByRole } = await renderCatalyst(<GitTokensCard now={now} />, { api });
    expect(await findByText(/no role in any Organization yet/)).toBeInTheDocument();
    expect(getByRole('button', { name: 'New token' })).toBeDisabled();
  });
});
