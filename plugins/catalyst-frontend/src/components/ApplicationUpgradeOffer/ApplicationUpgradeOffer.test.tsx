import { fireEvent, waitFor, within } from '@testing-library/react';
import type { BlueprintDetail, ChangeResponse, PlanResponse } from '@internal/plugin-catalyst-common';
import { siteApplication, siteHistory, staticSiteDetail } from '../../__testUtils__/fixtures';
import { catalystError, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { ApplicationUpgradeOffer } from './ApplicationUpgradeOffer';

const changes = (notes: Array<[string, string]>) =>
  `# Static website\n\n## Changes\n\n${notes.map(([v, n]) => `- **${v}** — ${n}`).join('\n')}\n`;

/** bp-static-site with 1.3.0 registered after the fixture's 1.0.0–1.2.0. */
const withNewVersion = (upgrades?: { from?: string[]; blocks?: string[] }): BlueprintDetail => ({
  ...staticSiteDetail,
  latestVersion: '1.3.0',
  versions: ['1.0.0', '1.1.0', '1.2.0', '1.3.0'],
  versionDetails: [
    ...staticSiteDetail.versionDetails.filter(v => v.version !== '1.2.0'),
    { ...staticSiteDetail.versionDetails[2], readme: changes([['1.2.0', 'Adds `message`.']]) },
    {
      ...staticSiteDetail.versionDetails[2],
      version: '1.3.0',
      readme: changes([
        ['1.3.0', 'nginx 1.27 with **gzip**.'],
        ['1.2.0', 'Adds `message`.'],
      ]),
      ...(upgrades ? { upgrades } : {}),
    },
  ],
});

const pinned = { ...siteApplication, version: '1.1.0' };

const plan: PlanResponse = {
  plan: { steps: [] } as unknown as PlanResponse['plan'],
  files: {},
  changes: [
    {
      path: 'applications/site/application.yaml',
      change: 'modified',
      before: 'blueprint: bp-static-site\nversion: 1.1.0\n',
      after: 'blueprint: bp-static-site\nversion: 1.3.0\n',
    },
  ],
};

const upgraded = (extra: Partial<ChangeResponse> = {}): ChangeResponse => ({
  action: 'upgrade',
  environment: 'acme-dev',
  commit: { ...siteHistory[0], sha: 'f'.repeat(40), subject: 'Upgrade site to bp-static-site 1.3.0' },
  applications: ['site'],
  replayed: false,
  changed: true,
  ...extra,
});

describe('ApplicationUpgradeOffer', () => {
  it('says it is checking while the Blueprint loads', async () => {
    const api = fakeCatalystApi({ getBlueprint: pending });
    const { getByTestId } = await renderCatalyst(
      <ApplicationUpgradeOffer environment="acme-dev" application={pinned} />,
      { api },
    );
    expect(getByTestId('upgrade-checking')).toHaveTextContent('Checking for a newer version of bp-static-site');
  });

  it('says when it could not check', async () => {
    const api = fakeCatalystApi({ getBlueprint: () => Promise.reject(new Error('catalog unavailable')) });
    const { findByTestId } = await renderCatalyst(
      <ApplicationUpgradeOffer environment="acme-dev" application={pinned} />,
      { api },
    );
    expect(await findByTestId('upgrade-check-failed')).toHaveTextContent('catalog unavailable');
  });

  it('offers nothing to an Application on the latest version', async () => {
    const api = fakeCatalystApi({ getBlueprint: async () => staticSiteDetail });
    const { queryByTestId } = await renderCatalyst(
      <ApplicationUpgradeOffer environment="acme-dev" application={siteApplication} />,
      { api },
    );
    await waitFor(() => expect(queryByTestId('upgrade-checking')).toBeNull());
    expect(queryByTestId('upgrade-offer')).toBeNull();
    expect(api.planUpdate).not.toHaveBeenCalled();
  });

  it('shows the changelog and the rendered diff, and upgrades in one click as a commit', async () => {
    const api = fakeCatalystApi({
      getBlueprint: async () => withNewVersion(),
      planUpdate: async () => plan,
      updateApplication: async () => upgraded(),
    });
    const { findByText, findByTestId, getByTestId, getByRole } = await renderCatalyst(
      <ApplicationUpgradeOffer environment="acme-dev" application={pinned} />,
      { api },
    );
    expect(await findByText('Upgrade available: 1.3.0')).toBeInTheDocument();
    const changelog = getByTestId('upgrade-changelog');
    // every version after the pin, newest first
    expect(within(changelog).getByText('gzip')).toBeInTheDocument();
    expect(changelog.textContent).toMatch(/1\.3\.0.*nginx 1\.27.*1\.2\.0.*Adds message/s);
    expect(changelog).not.toHaveTextContent('1.1.0');
    expect(api.getBlueprint).toHaveBeenCalledWith('bp-static-site', {});
    expect(api.planUpdate).toHaveBeenCalledWith('acme-dev', 'site', { version: '1.3.0' });
    const diff = await findByTestId('file-diff');
    expect(diff).toHaveTextContent('applications/site/application.yaml');
    expect(diff).toHaveTextContent('version: 1.3.0');

    fireEvent.click(getByRole('button', { name: 'Upgrade to 1.3.0' }));
    const outcome = await findByTestId('upgrade-outcome');
    expect(api.updateApplication).toHaveBeenCalledWith('acme-dev', 'site', { version: '1.3.0' });
    expect(outcome).toHaveTextContent('Upgraded site to 1.3.0 as commit fffffff in acme-dev');
    expect(within(outcome).getByRole('link', { name: 'fffffff' })).toHaveAttribute(
      'href',
      `/catalyst/applications/acme-dev/site/history?commit=${'f'.repeat(40)}`,
    );
  });

  it('links the change request a governed Environment opens', async () => {
    const api = fakeCatalystApi({
      getBlueprint: async () => withNewVersion(),
      planUpdate: async () => plan,
      updateApplication: async () =>
        upgraded({ environment: 'acme-prod', changeRequest: { id: 'cr-9', number: 9, state: 'open', merged: false } }),
    });
    const { findByRole, findByTestId, queryByRole } = await renderCatalyst(
      <ApplicationUpgradeOffer environment="acme-prod" application={pinned} />,
      { api },
    );
    fireEvent.click(await findByRole('button', { name: 'Upgrade to 1.3.0' }));
    const outcome = await findByTestId('upgrade-outcome');
    expect(outcome).toHaveTextContent('Upgraded site to 1.3.0 as change request cr-9: acme-prod is governed');
    expect(within(outcome).getByRole('link', { name: 'change request cr-9' })).toHaveAttribute(
      'href',
      '/catalyst/change-requests/cr-9',
    );
    // the request is open: no second upgrade from here
    expect(queryByRole('button', { name: /Upgrade to/ })).toBeNull();
  });

  it('is disabled with who may for someone who may not configure, and renders no dry run', async () => {
    // another Environment name: usePermission caches decisions per resource for the whole test file
    const api = fakeCatalystApi({ getBlueprint: async () => withNewVersion() });
    const { findByText, getByRole, findByTestId } = await renderCatalyst(
      <ApplicationUpgradeOffer environment="acme-uat" application={pinned} />,
      { api, allow: false },
    );
    expect(await findByText('Upgrade available: 1.3.0')).toBeInTheDocument();
    expect(getByRole('button', { name: 'Upgrade to 1.3.0' })).toBeDisabled();
    expect(await findByTestId('upgrade-disabled')).toHaveTextContent(
      'Changing settings in acme-uat needs org-admin or org-developer on acme (catalyst.configure)',
    );
    expect(api.planUpdate).not.toHaveBeenCalled();
  });

  it("explains the dry run's refusal by its code and does not offer the click", async () => {
    const api = fakeCatalystApi({
      getBlueprint: async () => withNewVersion(),
      planUpdate: () =>
        Promise.reject(
          catalystError(409, 'upgrade blocked', {
            code: 'conflict',
            environment: 'acme-dev',
            issues: [
              {
                code: 'upgrade-blocked',
                path: 'spec.upgrades.blocks[0]',
                message: 'bp-static-site 1.3.0 has no upgrade path from 1.1.0 (blocked: 1.1.x); reinstall instead',
              },
            ],
          }),
        ),
    });
    const { findByTestId, getByRole } = await renderCatalyst(
      <ApplicationUpgradeOffer environment="acme-dev" application={pinned} />,
      { api },
    );
    expect(await findByTestId('upgrade-plan-refused')).toHaveTextContent(
      'The dry run refused the upgrade: bp-static-site 1.3.0 has no upgrade path from 1.1.0 (blocked: 1.1.x); reinstall instead',
    );
    expect(getByRole('button', { name: 'Upgrade to 1.3.0' })).toBeDisabled();
  });

  it("offers an intermediate version when the latest's upgrade rules refuse the pin", async () => {
    const api = fakeCatalystApi({
      getBlueprint: async () => withNewVersion({ from: ['1.2.x'] }),
      planUpdate: async () => plan,
    });
    const { findByText, getByTestId, getByRole } = await renderCatalyst(
      <ApplicationUpgradeOffer environment="acme-dev" application={pinned} />,
      { api },
    );
    expect(await findByText('Upgrade available: 1.2.0')).toBeInTheDocument();
    expect(getByTestId('upgrade-offer')).toHaveTextContent(
      '1.3.0 is registered too, but bp-static-site 1.3.0 upgrades only from 1.2.x; upgrade 1.1.0 through an intermediate version first',
    );
    expect(getByTestId('upgrade-changelog')).not.toHaveTextContent('1.3.0');
    await waitFor(() => expect(api.planUpdate).toHaveBeenCalledWith('acme-dev', 'site', { version: '1.2.0' }));
    await waitFor(() => expect(getByRole('button', { name: 'Upgrade to 1.2.0' })).toBeEnabled());
  });

  it('says why when no newer version may be reached', async () => {
    const api = fakeCatalystApi({ getBlueprint: async () => withNewVersion({ blocks: ['1.x'] }) });
    const { findByTestId } = await renderCatalyst(
      <ApplicationUpgradeOffer environment="acme-dev" application={{ ...pinned, version: '1.2.0' }} />,
      { api },
    );
    const offer = await findByTestId('upgrade-offer');
    expect(offer).toHaveTextContent('bp-static-site 1.3.0 is registered, but site cannot upgrade to it');
    expect(offer).toHaveTextContent('has no upgrade path from 1.2.0 (blocked: 1.x); reinstall instead');
    expect(api.planUpdate).not.toHaveBeenCalled();
  });

  it('explains a refused upgrade by its code', async () => {
    const api = fakeCatalystApi({
      getBlueprint: async () => withNewVersion(),
      planUpdate: async () => plan,
      updateApplication: () =>
        Promise.reject(catalystError(403, 'refused', { code: 'not-allowed', environment: 'acme-dev' })),
    });
    const { findByRole, findByTestId } = await renderCatalyst(
      <ApplicationUpgradeOffer environment="acme-dev" application={pinned} />,
      { api },
    );
    const button = await findByRole('button', { name: 'Upgrade to 1.3.0' });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    expect(await findByTestId('upgrade-failed')).toHaveTextContent(
      'Changing settings in acme-dev needs org-admin or org-developer on acme (catalyst.configure)',
    );
  });

  it("asks for the Organization's own Blueprint when the Application runs a private one", async () => {
    const api = fakeCatalystApi({ getBlueprint: async () => staticSiteDetail });
    await renderCatalyst(
      <ApplicationUpgradeOffer
        environment="acme-dev"
        application={{ ...siteApplication, source: 'shared-blueprints' }}
      />,
      { api },
    );
    await waitFor(() => expect(api.getBlueprint).toHaveBeenCalledWith('bp-static-site', { organization: 'acme' }));
  });
});
