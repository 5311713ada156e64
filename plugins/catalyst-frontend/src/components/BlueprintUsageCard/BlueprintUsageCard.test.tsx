import { act, fireEvent, within } from '@testing-library/react';
import { devEnvironment, prodEnvironment, view } from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { BlueprintUsageCard } from './BlueprintUsageCard';

const bp = { name: 'bp-static-site' };
const entry = (name: string, environment: string, live?: ReturnType<typeof view>) => ({
  application: { name, environment, organization: 'acme', version: '1.2.0', source: 'catalog' as const },
  ...(live ? { live } : {}),
});

describe('BlueprintUsageCard', () => {
  it('shows progress while loading', async () => {
    const { getByTestId } = await renderCatalyst(<BlueprintUsageCard blueprint={bp} />, {
      api: fakeCatalystApi({ getBlueprintUsage: pending, listEnvironments: pending }),
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    const api = fakeCatalystApi({
      getBlueprintUsage: () => Promise.reject(new Error('boom')),
      listEnvironments: async () => [],
    });
    const { findAllByText } = await renderCatalyst(<BlueprintUsageCard blueprint={bp} />, { api });
    expect((await findAllByText(/boom/))[0]).toBeInTheDocument();
  });

  it('says when no Application uses it', async () => {
    const api = fakeCatalystApi({
      getBlueprintUsage: async () => ({ blueprint: 'bp-static-site', items: [] }),
      listEnvironments: async () => [devEnvironment],
    });
    const { findByText } = await renderCatalyst(<BlueprintUsageCard blueprint={bp} />, { api });
    expect(await findByText('No Application uses this Blueprint yet')).toBeInTheDocument();
  });

  it('lists Applications across Environments with live status, and offers the other Environments to install into', async () => {
    const live = new FakeLiveApi();
    const api = fakeCatalystApi({
      getBlueprintUsage: async () => ({
        blueprint: 'bp-static-site',
        items: [
          entry('site', 'acme-dev', view('site', 'Installing')),
          entry('blog', 'acme-dev', view('blog', 'Degraded', { reason: '1/2 pods ready' })),
          entry('shop', 'acme-stg'),
        ],
      }),
      listEnvironments: async () => [devEnvironment, { ...prodEnvironment, canInstall: true }],
    });
    const { findByText, getByRole, getByText, getAllByTestId } = await renderCatalyst(
      <BlueprintUsageCard blueprint={bp} />,
      {
        api,
        live,
      },
    );
    expect(await findByText('Applications using this Blueprint (3)')).toBeInTheDocument();
    expect(getByRole('link', { name: 'site' })).toHaveAttribute('href', '/catalog/acme-dev/application/site');
    // the status the request answered with, until the stream has its own
    expect(getByText('1/2 pods ready')).toBeInTheDocument();
    expect(getAllByTestId('application-status').map(b => b.getAttribute('data-status'))).toEqual([
      'Installing',
      'Degraded',
      'Status unknown',
    ]);
    expect(api.getBlueprintUsage).toHaveBeenCalledWith('bp-static-site', {});
    expect([...new Set(live.subscriptions)].sort()).toEqual(['acme-dev', 'acme-stg']);

    act(() => live.set('acme-dev', { applications: [view('site', 'Running'), view('blog', 'Running')] }));
    expect(getAllByTestId('application-status').map(b => b.getAttribute('data-status'))).toEqual([
      'Running',
      'Running',
      'Status unknown',
    ]);

    fireEvent.click(getByRole('button', { name: 'Install in another Environment' }));
    const menu = getByRole('menu');
    const prod = within(menu).getByText('acme-prod').closest('a')!;
    expect(new URL(prod.href).searchParams.get('formData')).toBe('{"environment":"acme-prod"}');
    expect(within(menu).getByText('acme-dev (has it already)')).toBeInTheDocument();
  });

  it('asks for a private Blueprint within its Organization, and keeps the table when Environments cannot be listed', async () => {
    const api = fakeCatalystApi({
      getBlueprintUsage: async () => ({ blueprint: 'bp-internal', items: [entry('pay', 'acme-dev')] }),
      listEnvironments: () => Promise.reject(new Error('no')),
    });
    const { findByText, getByRole } = await renderCatalyst(
      <BlueprintUsageCard blueprint={{ name: 'bp-internal', organization: 'acme' }} />,
      { api },
    );
    expect(await findByText('Applications using this Blueprint (1)')).toBeInTheDocument();
    expect(api.getBlueprintUsage).toHaveBeenCalledWith('bp-internal', { organization: 'acme' });
    expect(getByRole('button', { name: 'Install in another Environment' })).toBeDisabled();
  });
});
