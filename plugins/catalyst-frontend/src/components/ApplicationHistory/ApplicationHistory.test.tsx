import { fireEvent, waitFor, waitForElementToBeRemoved, within } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import { siteCommitDiff, siteHistory } from '../../__testUtils__/fixtures';
import { fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { ApplicationHistory } from './ApplicationHistory';

const now = () => Date.parse('2026-11-23T12:00:00Z');

/** Shows the page's query string, to see what the History tab writes into the URL. */
function Where() {
  return <span data-testid="where">{useLocation().search}</span>;
}

describe('ApplicationHistory', () => {
  it('shows progress while loading', async () => {
    const { getByTestId } = await renderCatalyst(<ApplicationHistory environment="acme-dev" application="site" />, {
      api: fakeCatalystApi({ history: pending }),
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    const api = fakeCatalystApi({ history: () => Promise.reject(new Error('repository unreadable')) });
    const { findAllByText } = await renderCatalyst(<ApplicationHistory environment="acme-dev" application="site" />, {
      api,
    });
    expect((await findAllByText(/repository unreadable/))[0]).toBeInTheDocument();
  });

  it('says when there is no history', async () => {
    const { findByText } = await renderCatalyst(<ApplicationHistory environment="acme-dev" application="site" />, {
      api: fakeCatalystApi({ history: async () => [] }),
    });
    expect(await findByText('No history')).toBeInTheDocument();
  });

  it('lists commits, shows the selected one’s diff, and rolls it back after confirmation', async () => {
    const api = fakeCatalystApi({
      history: async () => siteHistory,
      getCommit: async (_env, sha) =>
        sha === siteHistory[0].sha ? siteCommitDiff : { ...siteHistory[1], changes: [] },
      rollback: async () => ({
        action: 'rollback' as const,
        environment: 'acme-dev',
        commit: { ...siteHistory[1], sha: 'e'.repeat(40), subject: 'Roll back bbbbbbb: Install site' },
        applications: ['site'],
        replayed: false,
        changed: true,
      }),
    });
    const { findByText, getByText, findByTestId, getByRole } = await renderCatalyst(
      <ApplicationHistory environment="acme-dev" application="site" now={now} />,
      { api },
    );
    expect(await findByText('2 hours ago')).toBeInTheDocument();
    expect(getByText('layla')).toBeInTheDocument();
    // the newest commit is selected first
    expect(await findByTestId('diff-applications/site/values.yaml')).toBeInTheDocument();
    expect(api.getCommit).toHaveBeenCalledWith('acme-dev', siteHistory[0].sha, { application: 'site' });

    fireEvent.click(getByText('Install site (bp-static-site 1.2.0)'));
    expect(await findByText('This commit changed no file of the Application.')).toBeInTheDocument();

    fireEvent.click(getByRole('button', { name: 'Roll back this change' }));
    const dialog = getByRole('dialog');
    expect(within(dialog).getByText(/reverts what bbbbbbb changed/)).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(api.rollback).toHaveBeenCalledWith('acme-dev', { commit: siteHistory[1].sha }));
    expect(await findByTestId('rollback-done')).toHaveTextContent('Rolled back as commit eeeeeee');
    // the list reloads with the new head
    await waitFor(() => expect(api.history).toHaveBeenCalledTimes(2));
  });

  it('links the change request a governed Environment opened for the rollback (202)', async () => {
    const api = fakeCatalystApi({
      history: async () => siteHistory,
      getCommit: async () => siteCommitDiff,
      rollback: async () => ({
        action: 'rollback' as const,
        environment: 'acme-prod',
        commit: { ...siteHistory[1], sha: 'e'.repeat(40), subject: 'Roll back ccccccc: Configure site' },
        changeRequest: { id: 'cr-8', number: 8, state: 'open' as const, merged: false },
        applications: ['site'],
        replayed: false,
        changed: true,
      }),
    });
    const { findByRole, getByRole, findByTestId } = await renderCatalyst(
      <ApplicationHistory environment="acme-prod" application="site" />,
      { api },
    );
    fireEvent.click(await findByRole('button', { name: 'Roll back this change' }));
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Roll back' }));
    const done = await findByTestId('rollback-done');
    expect(done).toHaveTextContent('Rollback requested as change request cr-8: acme-prod is governed');
    expect(await within(done).findByRole('link', { name: 'change request cr-8' })).toHaveAttribute(
      'href',
      '/catalyst/change-requests/cr-8',
    );
  });

  it('does nothing on cancel and shows why a rollback is refused', async () => {
    const refusal = Object.assign(new Error('Request failed with 409'), {
      body: {
        error: {
          message:
            'Cannot roll back ccccccc: applications/site/values.yaml: changed again after that commit; roll back the later commit first',
        },
      },
    });
    const api = fakeCatalystApi({
      history: async () => siteHistory,
      getCommit: async () => siteCommitDiff,
      rollback: () => Promise.reject(refusal),
    });
    const { findByRole, getByRole, findByTestId, queryByRole } = await renderCatalyst(
      <ApplicationHistory environment="acme-dev" application="site" />,
      { api },
    );
    fireEvent.click(await findByRole('button', { name: 'Roll back this change' }));
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    await waitForElementToBeRemoved(() => queryByRole('dialog'));
    expect(api.rollback).not.toHaveBeenCalled();
    fireEvent.click(getByRole('button', { name: 'Roll back this change' }));
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Roll back' }));
    expect(await findByTestId('rollback-failed')).toHaveTextContent('roll back the later commit first');
  });

  it('opens on the commit named by ?commit= (the link a finished task ends with) and keeps the selection in the URL', async () => {
    const api = fakeCatalystApi({
      history: async () => siteHistory,
      getCommit: async (_env, sha) =>
        sha === siteHistory[0].sha ? siteCommitDiff : { ...siteHistory[1], changes: [] },
    });
    const { findByText, getByText, getByTestId, queryByTestId } = await renderCatalyst(
      <>
        <ApplicationHistory environment="acme-dev" application="site" now={now} />
        <Where />
      </>,
      { api, routeEntries: [`/history?commit=${siteHistory[1].sha.slice(0, 7)}`] },
    );
    expect(await findByText('This commit changed no file of the Application.')).toBeInTheDocument();
    expect(api.getCommit).toHaveBeenCalledWith('acme-dev', siteHistory[1].sha, { application: 'site' });
    expect(api.getCommit).not.toHaveBeenCalledWith('acme-dev', siteHistory[0].sha, expect.anything());
    expect(queryByTestId('commit-not-listed')).toBeNull();

    fireEvent.click(getByText('Configure site'));
    await waitFor(() => expect(getByTestId('where')).toHaveTextContent(`?commit=${siteHistory[0].sha}`));
    expect(await findByText('applications/site/values.yaml')).toBeInTheDocument();
  });

  it('says when ?commit= names a commit that is not listed, and shows the newest', async () => {
    const api = fakeCatalystApi({ history: async () => siteHistory, getCommit: async () => siteCommitDiff });
    const { findByTestId } = await renderCatalyst(<ApplicationHistory environment="acme-dev" application="site" />, {
      api,
      routeEntries: [`/history?commit=${'d'.repeat(40)}`],
    });
    expect(await findByTestId('commit-not-listed')).toHaveTextContent(
      'Commit dddddddddddd is not among the 2 latest commits touching site',
    );
    await waitFor(() =>
      expect(api.getCommit).toHaveBeenCalledWith('acme-dev', siteHistory[0].sha, { application: 'site' }),
    );
  });

  it('does not offer rollback to users who may not configure the Environment', async () => {
    const api = fakeCatalystApi({ history: async () => siteHistory, getCommit: async () => siteCommitDiff });
    const { findByRole, findByTitle } = await renderCatalyst(
      <ApplicationHistory environment="acme-uat" application="site" />,
      { api, allow: false },
    );
    await waitFor(async () => expect(await findByRole('button', { name: 'Roll back this change' })).toBeDisabled());
    // who may (acme-uat's Organization is not known to this page without reading the Environment)
    expect(
      await findByTitle(
        'Rolling back a change in acme-uat needs org-admin or org-developer in its Organization (catalyst.configure)',
      ),
    ).toBeInTheDocument();
  });

  it('says who may roll back when the server refuses the person (from the error code, not the words)', async () => {
    const refused = Object.assign(new Error('Request failed with 403'), {
      statusCode: 403,
      body: { error: { name: 'NotAllowedError', message: 'words not read', code: 'not-allowed' } },
    });
    const api = fakeCatalystApi({
      history: async () => siteHistory,
      getCommit: async () => siteCommitDiff,
      rollback: () => Promise.reject(refused),
    });
    const { findByRole, getByRole, findByTestId } = await renderCatalyst(
      <ApplicationHistory environment="acme-dev" application="site" />,
      { api },
    );
    fireEvent.click(await findByRole('button', { name: 'Roll back this change' }));
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Roll back' }));
    expect(await findByTestId('rollback-failed')).toHaveTextContent(
      'Rolling back a change in acme-dev needs org-admin or org-developer in its Organization (catalyst.configure)',
    );
  });
});
