import { act } from '@testing-library/react';
import { devEnvironment, prodEnvironment, view } from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { EnvironmentsPage } from './EnvironmentsPage';

describe('EnvironmentsPage', () => {
  it('shows progress while loading', async () => {
    const { getByTestId } = await renderCatalyst(<EnvironmentsPage />, {
      api: fakeCatalystApi({ listEnvironments: pending }),
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    const api = fakeCatalystApi({ listEnvironments: () => Promise.reject(new Error('registry down')) });
    const { findAllByText } = await renderCatalyst(<EnvironmentsPage />, { api });
    expect((await findAllByText(/registry down/))[0]).toBeInTheDocument();
  });

  it('explains an empty list', async () => {
    const { findByText } = await renderCatalyst(<EnvironmentsPage />, {
      api: fakeCatalystApi({ listEnvironments: async () => [] }),
    });
    expect(await findByText('No Environments')).toBeInTheDocument();
  });

  it('lists Environments with their policy in words and live counts over one subscription each', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', { applications: [view('a', 'Running'), view('b', 'Running'), view('c', 'Degraded')] });
    const api = fakeCatalystApi({ listEnvironments: async () => [devEnvironment, prodEnvironment] });
    const { findByRole, getByText, getAllByTestId } = await renderCatalyst(<EnvironmentsPage />, { api, live });
    expect(await findByRole('link', { name: 'acme-dev' })).toHaveAttribute(
      'href',
      '/catalog/acme/environment/acme-dev',
    );
    expect(
      getByText('Changes need approval from team-platform and team-security; must soak 24h in acme-stg'),
    ).toBeInTheDocument();
    expect(getAllByTestId('count-Running')[0]).toHaveTextContent('2●Running');
    expect(getByText('1 (status loading)')).toBeInTheDocument();
    expect([...new Set(live.subscriptions)].sort()).toEqual(['acme-dev', 'acme-prod']);
    act(() => live.set('acme-prod', { applications: [view('shop', 'Failed')] }));
    expect(getAllByTestId('count-Failed')[0]).toHaveTextContent('1◓Failed');
  });
});
