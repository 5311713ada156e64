import { act } from '@testing-library/react';
import { liveChangeRequest, view } from '../../__testUtils__/fixtures';
import { FakeLiveApi, renderCatalyst } from '../../__testUtils__/fakes';
import { PendingChangeRequests } from './PendingChangeRequests';

describe('PendingChangeRequests', () => {
  it('shows nothing while no change request for the Application is open', async () => {
    const live = new FakeLiveApi();
    live.set('acme-prod', { applications: [view('site', 'Running')] });
    const { queryByTestId } = await renderCatalyst(
      <PendingChangeRequests environment="acme-prod" application="site" />,
      {
        live,
      },
    );
    expect(queryByTestId('pending-change-requests')).toBeNull();
  });

  it('shows Pending approval with a link while one is open, and goes when it closes', async () => {
    const live = new FakeLiveApi();
    live.set('acme-prod', {
      applications: [view('site', 'Pending approval', { openChangeRequests: ['cr-7'] })],
      changeRequests: [liveChangeRequest()],
    });
    const { findByTestId, getByRole, queryByTestId } = await renderCatalyst(
      <PendingChangeRequests environment="acme-prod" application="site" />,
      { live },
    );
    const pending = await findByTestId('pending-cr-7');
    expect(pending).toHaveTextContent('Pending approval in acme-prod: change request cr-7');
    expect(pending).toHaveTextContent('by layla · 1 approval so far');
    expect(getByRole('link', { name: 'change request cr-7' })).toHaveAttribute(
      'href',
      '/catalyst/change-requests/cr-7',
    );
    act(() =>
      live.set('acme-prod', {
        applications: [view('site', 'Running')],
        changeRequests: [liveChangeRequest({ status: 'merged', mergeCommit: 'f'.repeat(40) })],
      }),
    );
    expect(queryByTestId('pending-change-requests')).toBeNull();
  });

  it('says when the request conflicts and needs a rebase', async () => {
    const live = new FakeLiveApi();
    live.set('acme-prod', {
      applications: [view('site', 'Pending approval', { openChangeRequests: ['cr-7'] })],
      changeRequests: [liveChangeRequest({ conflicted: true })],
    });
    const { findByTestId } = await renderCatalyst(
      <PendingChangeRequests environment="acme-prod" application="site" />,
      {
        live,
      },
    );
    expect(await findByTestId('pending-cr-7')).toHaveTextContent('conflicts with the Environment: needs a rebase');
  });
});
