import { act, fireEvent, waitFor } from '@testing-library/react';
import type { ChangeRequestSummaryItem } from '@internal/plugin-catalyst-common';
import { liveChangeRequest, siteChangeRequestItem } from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { ChangeRequestsTable } from './ChangeRequestsTable';

const now = () => Date.parse('2026-11-23T12:00:00Z');

const merged: ChangeRequestSummaryItem = {
  ...siteChangeRequestItem,
  id: 'cr-3',
  number: 3,
  title: 'Install blog (bp-static-site 1.1.0)',
  state: 'merged',
  source: undefined,
};

describe('ChangeRequestsTable', () => {
  it('shows progress while loading', async () => {
    const { getByTestId } = await renderCatalyst(<ChangeRequestsTable environment="acme-prod" />, {
      api: fakeCatalystApi({ listChangeRequests: pending }),
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    const api = fakeCatalystApi({ listChangeRequests: () => Promise.reject(new Error('database unavailable')) });
    const { findAllByText } = await renderCatalyst(<ChangeRequestsTable environment="acme-prod" />, { api });
    expect((await findAllByText(/database unavailable/))[0]).toBeInTheDocument();
  });

  it('says when there are none', async () => {
    const api = fakeCatalystApi({ listChangeRequests: async () => [] });
    const { findByText } = await renderCatalyst(<ChangeRequestsTable environment="acme-prod" />, { api });
    expect(await findByText('No change requests')).toBeInTheDocument();
    expect(api.listChangeRequests).toHaveBeenCalledWith({ environment: 'acme-prod' });
  });

  it('lists the waiting ones with a link each, and the closed ones on request', async () => {
    const api = fakeCatalystApi({ listChangeRequests: async () => [siteChangeRequestItem, merged] });
    const { findByRole, getByTestId, queryByRole, getByLabelText, getByRole } = await renderCatalyst(
      <ChangeRequestsTable environment="acme-prod" now={now} />,
      { api },
    );
    expect(await findByRole('link', { name: 'cr-7' })).toHaveAttribute('href', '/catalyst/change-requests/cr-7');
    expect(getByTestId('change-requests')).toHaveTextContent('acme-stg/site');
    expect(getByTestId('change-requests')).toHaveTextContent('1 waiting');
    expect(getByTestId('change-requests')).toHaveTextContent('layla');
    expect(queryByRole('link', { name: 'cr-3' })).toBeNull();
    fireEvent.click(getByLabelText('Show closed ones too'));
    expect(getByRole('link', { name: 'cr-3' })).toBeInTheDocument();
    expect(getByTestId('change-requests')).toHaveTextContent('Merged');
  });

  it('reloads when the read model’s change requests of the Environment change (one opened elsewhere appears)', async () => {
    const live = new FakeLiveApi();
    live.set('acme-prod', { changeRequests: [] });
    let items: ChangeRequestSummaryItem[] = [];
    const api = fakeCatalystApi({ listChangeRequests: async () => items });
    const { findByText, findByRole } = await renderCatalyst(<ChangeRequestsTable environment="acme-prod" />, {
      api,
      live,
    });
    expect(await findByText('No change requests')).toBeInTheDocument();
    items = [siteChangeRequestItem];
    act(() => live.set('acme-prod', { changeRequests: [liveChangeRequest()] }));
    expect(await findByRole('link', { name: 'cr-7' })).toBeInTheDocument();
    await waitFor(() => expect(api.listChangeRequests).toHaveBeenCalledTimes(2));
  });
});
