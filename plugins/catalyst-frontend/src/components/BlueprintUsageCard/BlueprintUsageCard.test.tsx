import { act, fireEvent, waitFor, within } from '@testing-library/react';
import type { ChangeResponse } from '@internal/plugin-catalyst-common';
import {
  devEnvironment,
  governedProdEnvironment,
  prodEnvironment,
  siteHistory,
  stagingEnvironment,
  staticSiteDetail,
  view,
} from '../../__testUtils__/fixtures';
import { catalystError, FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { BlueprintUsageCard } from './BlueprintUsageCard';

const bp = { name: 'bp-static-site' };
const entry = (name: string, environment: string, live?: ReturnType<typeof view>, version = '1.2.0') => ({
  application: { name, environment, organization: 'acme', version, source: 'catalog' as const },
  ...(live ? { live } : {}),
});

/** bp-static-site with 1.3.0 registered, which cannot be reached from 1.0.x. */
const withLatest = {
  ...staticSiteDetail,
  latestVersion: '1.3.0',
  versions: ['1.0.0', '1.1.0', '1.2.0', '1.3.0'],
  versionDetails: [
    ...staticSiteDetail.versionDetails,
    { ...staticSiteDetail.versionDetails[2], version: '1.3.0', upgrades: { blocks: ['1.0.x'] } },
  ],
};
const qaEnvironment = { ...devEnvironment, name: 'acme-qa', envType: 'qa' };

const changed = (environment: string, application: string, extra: Partial<ChangeResponse> = {}): ChangeResponse => ({
  action: 'upgrade',
  environment,
  commit: { ...siteHistory[0], sha: 'd'.repeat(40), subject: `Upgrade ${application}` },
  applications: [application],
  replayed: false,
  changed: true,
  ...extra,
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

  it('marks Applications on an older version and upgrades them all at once, each decided by its own Environment', async () => {
    const api = fakeCatalystApi({
      getBlueprintUsage: async () => ({
        blueprint: 'bp-static-site',
        items: [
          entry('site', 'acme-dev', undefined, '1.2.0'),
          entry('site', 'acme-stg', undefined, '1.3.0'),
          entry('site', 'acme-prod', undefined, '1.1.0'),
          entry('legacy', 'acme-dev', undefined, '1.0.0'),
          entry('shop', 'acme-qa', undefined, '1.2.0'),
        ],
      }),
      listEnvironments: async () => [devEnvironment, stagingEnvironment, governedProdEnvironment, qaEnvironment],
      updateApplication: async (environment: string, application: string) => {
        if (environment === 'acme-prod') {
          return changed(environment, application, {
            changeRequest: { id: 'cr-11', number: 11, state: 'open', merged: false },
          });
        }
        if (environment === 'acme-qa') {
          throw catalystError(403, 'refused', { code: 'not-allowed', environment: 'acme-qa' });
        }
        return changed(environment, application);
      },
    });
    const { findByRole, getByRole, getByTestId, queryByTestId, findByTestId } = await renderCatalyst(
      <BlueprintUsageCard blueprint={withLatest} />,
      { api },
    );
    fireEvent.click(await findByRole('button', { name: 'Upgrade all to 1.3.0' }));
    expect(getByTestId('older-acme-dev/site')).toHaveTextContent('older than 1.3.0');
    expect(getByTestId('older-acme-prod/site')).toBeInTheDocument();
    expect(queryByTestId('older-acme-stg/site')).toBeNull();

    const dialog = getByRole('dialog');
    expect(dialog).toHaveTextContent('Upgrade 4 Applications to bp-static-site 1.3.0?');
    const plan = within(dialog).getByTestId('upgrade-all-plan');
    expect(plan).toHaveTextContent('site in acme-dev: 1.2.0 → 1.3.0, one commit');
    expect(plan).toHaveTextContent('site in acme-prod: 1.1.0 → 1.3.0, opens a change request (governed)');
    expect(plan).toHaveTextContent(
      'legacy in acme-dev: 1.0.0 → 1.3.0, skipped: bp-static-site 1.3.0 has no upgrade path from 1.0.0 (blocked: 1.0.x); reinstall instead',
    );
    expect(plan).not.toHaveTextContent('acme-stg');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Upgrade' }));

    // one request per Application, none for the skipped one or the one already at 1.3.0
    await waitFor(() => expect(api.updateApplication).toHaveBeenCalledTimes(3));
    expect(api.updateApplication).toHaveBeenCalledWith('acme-dev', 'site', { version: '1.3.0' });
    expect(api.updateApplication).toHaveBeenCalledWith('acme-prod', 'site', { version: '1.3.0' });
    expect(api.updateApplication).toHaveBeenCalledWith('acme-qa', 'shop', { version: '1.3.0' });
    const prod = await findByTestId('upgrade-outcome-acme-prod/site');
    await waitFor(() => expect(prod).toHaveTextContent('Upgraded site as change request cr-11: acme-prod is governed'));
    // (found once the closing dialog stops hiding the page from the accessibility tree)
    expect(await within(prod).findByRole('link', { name: 'change request cr-11' })).toHaveAttribute(
      'href',
      '/catalyst/change-requests/cr-11',
    );
    expect(getByTestId('upgrade-outcome-acme-dev/site')).toHaveTextContent(
      'Upgraded site as commit ddddddd in acme-dev: Upgrade site',
    );
    await waitFor(() =>
      expect(getByTestId('upgrade-outcome-acme-qa/shop')).toHaveTextContent(
        'Changing settings in acme-qa needs org-admin or org-developer on acme (catalyst.configure)',
      ),
    );
    expect(getByTestId('upgrade-outcome-acme-dev/legacy')).toHaveTextContent(
      'Skipped: bp-static-site 1.3.0 has no upgrade path from 1.0.0 (blocked: 1.0.x); reinstall instead',
    );
    expect(getByTestId('upgrade-outcome-acme-stg/site')).toHaveTextContent('—');
  });

  it('offers no upgrade when every Application runs the latest version', async () => {
    const api = fakeCatalystApi({
      getBlueprintUsage: async () => ({
        blueprint: 'bp-static-site',
        items: [entry('site', 'acme-dev', undefined, '1.3.0')],
      }),
      listEnvironments: async () => [devEnvironment],
    });
    const { findByText, queryByRole, queryByTestId } = await renderCatalyst(
      <BlueprintUsageCard blueprint={withLatest} />,
      { api },
    );
    expect(await findByText('Applications using this Blueprint (1)')).toBeInTheDocument();
    expect(queryByRole('button', { name: /Upgrade all/ })).toBeNull();
    expect(queryByTestId('older-acme-dev/site')).toBeNull();
  });

  it("copies a row's Application to another Environment of its Organization, as the Promotion tab does", async () => {
    const api = fakeCatalystApi({
      getBlueprintUsage: async () => ({
        blueprint: 'bp-static-site',
        items: [entry('site', 'acme-dev', undefined, '1.2.0'), entry('site', 'acme-stg', undefined, '1.3.0')],
      }),
      listEnvironments: async () => [
        devEnvironment,
        stagingEnvironment,
        governedProdEnvironment,
        { ...devEnvironment, name: 'globex-dev', organization: 'globex' },
      ],
      promote: async () =>
        changed('acme-prod', 'site', {
          action: 'promote',
          changeRequest: { id: 'cr-12', number: 12, state: 'open', merged: false },
        }),
    });
    const { findAllByRole, getByRole, findByTestId } = await renderCatalyst(
      <BlueprintUsageCard blueprint={withLatest} />,
      { api },
    );
    // the acme-stg row (second)
    fireEvent.click((await findAllByRole('button', { name: 'Copy to …' }))[1]);
    const menu = getByRole('menu');
    expect(within(menu).getByText('acme-dev')).toBeInTheDocument();
    expect(within(menu).getByText('runs 1.2.0')).toBeInTheDocument();
    expect(within(menu).getByText('not installed · opens a change request')).toBeInTheDocument();
    // only its Organization's other Environments
    expect(within(menu).queryByText('acme-stg')).toBeNull();
    expect(within(menu).queryByText('globex-dev')).toBeNull();
    fireEvent.click(within(menu).getByText('acme-prod'));

    const dialog = getByRole('dialog');
    expect(dialog).toHaveTextContent('acme-prod gets bp-static-site @ 1.3.0 with the values site has in acme-stg.');
    expect(dialog).toHaveTextContent('this opens a change request');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy' }));
    const result = await findByTestId('copy-result-acme-stg-site-acme-prod');
    expect(api.promote).toHaveBeenCalledWith({
      sourceEnvironment: 'acme-stg',
      application: 'site',
      targetEnvironment: 'acme-prod',
    });
    expect(result).toHaveTextContent('Copied site to acme-prod as change request cr-12');
  });

  it('disables a copy target with who may, for those who may not promote there', async () => {
    // other Environment names: usePermission caches decisions per resource for the whole test file
    const uat = { ...governedProdEnvironment, name: 'acme-uat' };
    const api = fakeCatalystApi({
      getBlueprintUsage: async () => ({ blueprint: 'bp-static-site', items: [entry('site', 'acme-stg')] }),
      listEnvironments: async () => [stagingEnvironment, uat],
    });
    const { findByRole, getByRole } = await renderCatalyst(<BlueprintUsageCard blueprint={bp} />, {
      api,
      allow: false,
    });
    fireEvent.click(await findByRole('button', { name: 'Copy to …' }));
    const item = within(getByRole('menu')).getByText('acme-uat').closest('li')!;
    await waitFor(() =>
      expect(item).toHaveTextContent(
        'Copying an Application to acme-uat needs org-admin or org-developer on acme (catalyst.promote)',
      ),
    );
    expect(item).toHaveAttribute('aria-disabled', 'true');
  });
});
