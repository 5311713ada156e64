import { act, fireEvent, waitFor, within } from '@testing-library/react';
import type { ChangeRequest } from '@internal/plugin-catalyst-common';
import { liveChangeRequest, siteChangeRequest, view } from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { ChangeRequestView } from './ChangeRequestPage';

const now = () => Date.parse('2026-11-23T12:00:00Z');

/** How the REST client holds a refused answer: a ResponseError with Backstage's error JSON as `body`. */
const refusal = (status: number, error: Record<string, unknown>) =>
  Object.assign(new Error(`Request failed with ${status}`), { statusCode: status, body: { error } });

const approvedBySam: ChangeRequest = {
  ...siteChangeRequest,
  approvals: 2,
  updatedAt: '2026-11-23T12:00:00Z',
  approvalsList: [
    ...siteChangeRequest.approvalsList,
    {
      user: 'user:default/sam',
      displayName: 'Sam',
      teams: ['group:acme/team-security'],
      at: '2026-11-23T12:00:00Z',
      stale: false,
    },
  ],
  timeline: [
    ...siteChangeRequest.timeline,
    { at: '2026-11-23T12:00:00Z', actor: 'user:default/sam', type: 'approved', message: 'Sam approved: looks right' },
  ],
};

describe('ChangeRequestView', () => {
  it('shows progress while loading', async () => {
    const { getByTestId } = await renderCatalyst(<ChangeRequestView id="cr-7" />, {
      api: fakeCatalystApi({ getChangeRequest: pending }),
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('says when the change request does not exist (or is not readable)', async () => {
    const api = fakeCatalystApi({
      getChangeRequest: () =>
        Promise.reject(
          refusal(404, { name: 'NotFoundError', message: 'Change request cr-9 does not exist', code: 'not-found' }),
        ),
    });
    const { findByText } = await renderCatalyst(<ChangeRequestView id="cr-9" />, { api });
    expect(await findByText('No change request cr-9')).toBeInTheDocument();
  });

  it('shows any other error', async () => {
    const api = fakeCatalystApi({ getChangeRequest: () => Promise.reject(new Error('database unavailable')) });
    const { findAllByText } = await renderCatalyst(<ChangeRequestView id="cr-7" />, { api });
    expect((await findAllByText(/database unavailable/))[0]).toBeInTheDocument();
  });

  it('shows what it changes, every rule with its verdict and countdown, approvals, the diff and the timeline', async () => {
    const live = new FakeLiveApi();
    live.set('acme-prod', {
      applications: [view('site', 'Pending approval', { version: '1.1.0', openChangeRequests: ['cr-7'] })],
      changeRequests: [liveChangeRequest()],
    });
    const api = fakeCatalystApi({ getChangeRequest: async () => siteChangeRequest });
    const { findByText, getByTestId, getByText, getByRole, queryByTestId } = await renderCatalyst(
      <ChangeRequestView id="cr-7" now={now} />,
      { api, live },
    );
    expect(await findByText(siteChangeRequest.title)).toBeInTheDocument();
    expect(api.getChangeRequest).toHaveBeenCalledWith('cr-7');
    expect(getByTestId('change-request-state')).toHaveTextContent('Open');
    expect(getByRole('link', { name: 'acme-stg/site' })).toHaveAttribute(
      'href',
      '/catalyst/applications/acme-stg/site',
    );
    expect(getByRole('link', { name: 'acme-prod/site' })).toHaveAttribute(
      'href',
      '/catalyst/applications/acme-prod/site',
    );
    expect(getByText('bp-static-site @ 1.2.0', { exact: false })).toBeInTheDocument();
    // the destination Application as the read model shows it now
    expect(getByTestId('destination-status')).toHaveTextContent('Pending approval 1.1.0');
    expect(live.subscriptions).toContain('acme-prod');

    // every rule, its verdict and reason, and what moves with the clock
    expect(getByTestId('verdict-pr-required')).toHaveAttribute('data-status', 'pending');
    expect(getByTestId('verdict-pr-required')).toHaveTextContent('needs an approval from team-security');
    expect(getByTestId('verdict-pr-required-facts')).toHaveTextContent('1 of 2 approvals · missing: team-security');
    expect(getByTestId('verdict-soak-facts')).toHaveTextContent('22h left of 1d in acme-stg');
    expect(getByTestId('verdict-change-window')).toHaveAttribute('data-status', 'fail');
    expect(getByTestId('verdict-change-window-facts')).toHaveTextContent('next opens');
    expect(getByTestId('verdict-change-window-facts')).toHaveTextContent('(in 20h)');

    // approvals with who and when; the one from before the last revision is marked stale
    expect(getByTestId('approval-pat')).toHaveTextContent('Pat');
    expect(getByTestId('approval-pat')).toHaveTextContent('1 hour ago');
    expect(within(getByTestId('approval-pat')).queryByText('stale')).toBeNull();
    expect(within(getByTestId('approval-ada')).getByText('stale')).toBeInTheDocument();

    // values first, rendered manifests on their own tab
    expect(getByTestId('diff-applications/site/values.yaml')).toHaveTextContent('replicas: 2');
    expect(queryByTestId('diff-rendered/site/deployment.yaml')).toBeNull();
    fireEvent.click(getByRole('tab', { name: 'Rendered manifests (1)' }));
    expect(getByTestId('diff-rendered/site/deployment.yaml')).toHaveTextContent('kind: Deployment');

    expect(getByText('layla opened it')).toBeInTheDocument();
    expect(getByText('Pat approved')).toBeInTheDocument();
  });

  it('offers what `can` allows and says why the rest is not', async () => {
    const api = fakeCatalystApi({ getChangeRequest: async () => siteChangeRequest });
    const { findByRole, getByRole, getByTestId } = await renderCatalyst(<ChangeRequestView id="cr-7" now={now} />, {
      api,
    });
    expect(await findByRole('button', { name: 'Approve' })).toBeEnabled();
    expect(getByRole('button', { name: 'Reject' })).toBeEnabled();
    expect(getByRole('button', { name: 'Rebase' })).toBeEnabled();
    expect(getByRole('button', { name: 'Merge' })).toBeDisabled();
    expect(getByRole('button', { name: 'Break glass' })).toBeDisabled();
    expect(getByTestId('change-request-refusals')).toHaveTextContent('Merge: merging in acme-prod needs an org-admin');
    expect(getByTestId('change-request-refusals')).toHaveTextContent('Break glass: breaking glass needs an org-admin');
  });

  it('approves with a comment and shows the request as the server answered', async () => {
    const api = fakeCatalystApi({
      getChangeRequest: async () => siteChangeRequest,
      approveChangeRequest: async () => approvedBySam,
    });
    const { findByRole, getByRole, findByTestId, getByText } = await renderCatalyst(
      <ChangeRequestView id="cr-7" now={now} />,
      { api },
    );
    fireEvent.click(await findByRole('button', { name: 'Approve' }));
    const dialog = getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Comment'), { target: { value: 'looks right' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(api.approveChangeRequest).toHaveBeenCalledWith('cr-7', { comment: 'looks right' }));
    expect(await findByTestId('approval-sam')).toHaveTextContent('Sam');
    expect(getByText('Sam approved: looks right')).toBeInTheDocument();
  });

  it('rejects only with a reason', async () => {
    const rejected: ChangeRequest = {
      ...siteChangeRequest,
      state: 'rejected',
      updatedAt: '2026-11-23T12:00:00Z',
      rejection: { by: 'user:default/sam', at: '2026-11-23T12:00:00Z', reason: 'wrong values for prod' },
    };
    const api = fakeCatalystApi({
      getChangeRequest: async () => siteChangeRequest,
      rejectChangeRequest: async () => rejected,
    });
    const { findByRole, getByRole, findByTestId, queryByTestId } = await renderCatalyst(
      <ChangeRequestView id="cr-7" now={now} />,
      { api },
    );
    fireEvent.click(await findByRole('button', { name: 'Reject' }));
    const dialog = getByRole('dialog');
    expect(within(dialog).getByRole('button', { name: 'Reject' })).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: 'wrong values for prod' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() =>
      expect(api.rejectChangeRequest).toHaveBeenCalledWith('cr-7', { reason: 'wrong values for prod' }),
    );
    expect(await findByTestId('change-request-rejected')).toHaveTextContent('by sam');
    expect(await findByTestId('change-request-rejected')).toHaveTextContent('wrong values for prod');
    // a closed request offers no decisions
    expect(queryByTestId('change-request-actions')).toBeNull();
  });

  it('breaks glass only with a reason of ten characters or more, and shows the merge', async () => {
    const forAdmin: ChangeRequest = {
      ...siteChangeRequest,
      approvals: 2,
      can: {
        ...siteChangeRequest.can,
        merge: { allowed: false, reason: 'rules still failing: soaking' },
        breakGlass: { allowed: true },
      },
    };
    const merged: ChangeRequest = {
      ...forAdmin,
      state: 'merged',
      updatedAt: '2026-11-23T12:00:00Z',
      merge: { commit: 'f'.repeat(40), at: '2026-11-23T12:00:00Z', by: 'user:default/ada' },
      breakGlass: { by: 'user:default/ada', at: '2026-11-23T12:00:00Z', reason: 'INC-42 hotfix cannot wait' },
    };
    const api = fakeCatalystApi({ getChangeRequest: async () => forAdmin, mergeChangeRequest: async () => merged });
    const { findByRole, getByRole, findByTestId, getByTestId } = await renderCatalyst(
      <ChangeRequestView id="cr-7" now={now} />,
      { api },
    );
    fireEvent.click(await findByRole('button', { name: 'Break glass' }));
    const dialog = getByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Break glass and merge' });
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: 'too short' } });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: 'INC-42 hotfix cannot wait' } });
    expect(confirm).toBeEnabled();
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(api.mergeChangeRequest).toHaveBeenCalledWith('cr-7', {
        breakGlass: { reason: 'INC-42 hotfix cannot wait' },
      }),
    );
    expect(await findByTestId('change-request-merged')).toHaveTextContent('Merged by ada');
    expect(getByTestId('change-request-merged')).toHaveTextContent('fffffff');
    expect(getByTestId('change-request-break-glass')).toHaveTextContent('INC-42 hotfix cannot wait');
    expect(getByTestId('change-request-state')).toHaveTextContent('Merged');
  });

  it.each([
    [
      'rules still failing (governed-environment, each rule from the answer’s issues)',
      refusal(409, {
        name: 'ConflictError',
        message: 'x',
        code: 'governed-environment',
        environment: 'acme-prod',
        issues: [{ code: 'awaiting-approval', path: 'pr-required', message: 'needs an approval from team-security' }],
      }),
      'Not every rule passes yet: needs an approval from team-security',
    ],
    [
      'the request moved on (conflict)',
      refusal(409, { name: 'ConflictError', message: 'x', code: 'conflict', environment: 'acme-prod' }),
      "The change request moved on meanwhile (it was closed, it conflicts with acme-prod's main, or every rule passes now)",
    ],
    [
      'not allowed any more (not-allowed): who may',
      refusal(403, { name: 'NotAllowedError', message: 'x', code: 'not-allowed', environment: 'acme-prod' }),
      'Merging change requests in acme-prod needs org-admin on acme (catalyst.merge)',
    ],
  ])('explains a refused merge by its error code: %s, and reloads the request', async (_name, error, words) => {
    const mergeable: ChangeRequest = {
      ...siteChangeRequest,
      can: { ...siteChangeRequest.can, merge: { allowed: true } },
    };
    const api = fakeCatalystApi({
      getChangeRequest: async () => mergeable,
      mergeChangeRequest: () => Promise.reject(error),
    });
    const { findByRole, getByRole, findByTestId } = await renderCatalyst(<ChangeRequestView id="cr-7" now={now} />, {
      api,
    });
    fireEvent.click(await findByRole('button', { name: 'Merge' }));
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Merge' }));
    expect(await findByTestId('change-request-failed')).toHaveTextContent(words);
    await waitFor(() => expect(api.getChangeRequest).toHaveBeenCalledTimes(2));
  });

  it('shows a conflict and rebases with one click', async () => {
    const conflicted: ChangeRequest = {
      ...siteChangeRequest,
      state: 'conflicted',
      conflict: { at: '2026-11-23T11:30:00Z', reason: "acme-prod's main changed applications/site/values.yaml" },
    };
    const rebased: ChangeRequest = { ...siteChangeRequest, updatedAt: '2026-11-23T12:00:00Z' };
    const api = fakeCatalystApi({
      getChangeRequest: async () => conflicted,
      rebaseChangeRequest: async () => rebased,
    });
    const { findByTestId, getByRole, queryByTestId, getByTestId } = await renderCatalyst(
      <ChangeRequestView id="cr-7" now={now} />,
      { api },
    );
    expect(await findByTestId('change-request-conflict')).toHaveTextContent('changed applications/site/values.yaml');
    expect(getByTestId('change-request-state')).toHaveTextContent('Conflicted');
    fireEvent.click(getByRole('button', { name: 'Rebase' }));
    await waitFor(() => expect(api.rebaseChangeRequest).toHaveBeenCalledWith('cr-7'));
    await waitFor(() => expect(queryByTestId('change-request-conflict')).toBeNull());
    expect(getByTestId('change-request-state')).toHaveTextContent('Open');
  });

  it('follows the read model: another person’s approval reloads the request without a page reload', async () => {
    const live = new FakeLiveApi();
    live.set('acme-prod', { changeRequests: [liveChangeRequest()] });
    let answer = siteChangeRequest;
    const api = fakeCatalystApi({ getChangeRequest: async () => answer });
    const { findByTestId, queryByTestId } = await renderCatalyst(<ChangeRequestView id="cr-7" now={now} />, {
      api,
      live,
    });
    await findByTestId('approval-pat');
    expect(queryByTestId('approval-sam')).toBeNull();
    // a status change of something else does not reload; sam's approval (a change of the request's entry) does
    const calls = api.getChangeRequest.mock.calls.length;
    act(() =>
      live.set('acme-prod', {
        applications: [view('site', 'Running')],
        changeRequests: [liveChangeRequest()],
      }),
    );
    expect(api.getChangeRequest.mock.calls.length).toBe(calls);
    answer = approvedBySam;
    act(() =>
      live.set('acme-prod', {
        changeRequests: [
          liveChangeRequest({
            approvals: [
              ...liveChangeRequest().approvals,
              { user: 'user:default/sam', teams: ['group:acme/team-security'], at: '2026-11-23T12:00:00Z' },
            ],
          }),
        ],
      }),
    );
    expect(await findByTestId('approval-sam')).toHaveTextContent('Sam');
  });
});
