import { fireEvent, waitFor, within } from '@testing-library/react';
import type { ApplicationView, ChangeResponse, DesiredApplicationRecord } from '@internal/plugin-catalyst-common';
import {
  devEnvironment,
  governedProdEnvironment,
  siteDetail,
  siteHistory,
  stagingEnvironment,
  view,
} from '../../__testUtils__/fixtures';
import { FakeLiveApi, fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { ApplicationPromotion, differenceInWords } from './ApplicationPromotion';

const desired = (version: string, valuesDigest: string): DesiredApplicationRecord => ({
  revision: 'a'.repeat(40),
  committedAt: '2026-11-23T10:00:00Z',
  author: 'user:default/layla',
  message: 'Install site',
  blueprint: 'bp-static-site',
  version,
  source: 'catalog',
  overlay: null,
  previousVersion: null,
  valuesDigest,
  removed: false,
  paused: false,
});

const at = (version: string, digest: string, status: ApplicationView['status'] = 'Running') =>
  view('site', status, { version, desired: desired(version, digest) });

const globexDev = { ...devEnvironment, name: 'globex-dev', organization: 'globex' };
const stagingSite = { ...siteDetail, environment: 'acme-stg' };

function liveAcme(prod: ApplicationView[] = []) {
  const live = new FakeLiveApi();
  live.set('acme-dev', { applications: [at('1.1.0', 'sha256:old')] });
  live.set('acme-stg', { applications: [at('1.2.0', 'sha256:new')] });
  live.set('acme-prod', { applications: prod });
  return live;
}

const promoted = (environment: string, extra: Partial<ChangeResponse> = {}): ChangeResponse => ({
  action: 'promote',
  environment,
  commit: { ...siteHistory[0], sha: 'e'.repeat(40), subject: 'Promote site from acme-stg' },
  applications: ['site'],
  replayed: false,
  changed: true,
  ...extra,
});

describe('ApplicationPromotion', () => {
  it('shows progress while loading', async () => {
    const api = fakeCatalystApi({ getApplication: pending, listEnvironments: pending });
    const { getByTestId } = await renderCatalyst(<ApplicationPromotion environment="acme-stg" application="site" />, {
      api,
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('says an Application that is not installed cannot be copied', async () => {
    const api = fakeCatalystApi({
      getApplication: () => Promise.reject(Object.assign(new Error('No Application site'), { statusCode: 404 })),
      listEnvironments: async () => [devEnvironment],
    });
    const { findByText } = await renderCatalyst(<ApplicationPromotion environment="acme-stg" application="site" />, {
      api,
    });
    expect(await findByText('No Application site in acme-stg')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    const api = fakeCatalystApi({
      getApplication: async () => stagingSite,
      listEnvironments: () => Promise.reject(new Error('database unavailable')),
    });
    const { findAllByText } = await renderCatalyst(<ApplicationPromotion environment="acme-stg" application="site" />, {
      api,
    });
    expect((await findAllByText(/database unavailable/))[0]).toBeInTheDocument();
  });

  it('shows the Application in every Environment of its Organization, with what differs', async () => {
    const api = fakeCatalystApi({
      getApplication: async () => stagingSite,
      listEnvironments: async () => [devEnvironment, stagingEnvironment, governedProdEnvironment, globexDev],
    });
    const live = liveAcme();
    const { findByTestId, getByRole, queryByText } = await renderCatalyst(
      <ApplicationPromotion environment="acme-stg" application="site" />,
      { api, live },
    );
    const table = await findByTestId('application-promotion');
    expect(within(table).getByText('1.1.0 here, 1.2.0 in acme-stg')).toBeInTheDocument();
    expect(within(table).getByText('Not installed')).toBeInTheDocument();
    // only the Organization's Environments; another Organization's are not offered
    expect(queryByText('globex-dev')).toBeNull();
    expect(live.subscriptions).toEqual(expect.arrayContaining(['acme-dev', 'acme-stg', 'acme-prod']));
    expect(live.subscriptions).not.toContain('globex-dev');
    expect(getByRole('button', { name: 'Copy to acme-dev' })).toBeEnabled();
    expect(getByRole('button', { name: 'Copy to acme-prod' })).toBeEnabled();
    expect(within(table).queryByRole('button', { name: 'Copy to acme-stg' })).toBeNull();
  });

  it('copies to a governed Environment as a change request and links it', async () => {
    const api = fakeCatalystApi({
      getApplication: async () => stagingSite,
      listEnvironments: async () => [devEnvironment, stagingEnvironment, governedProdEnvironment],
      promote: async () =>
        promoted('acme-prod', { changeRequest: { id: 'cr-7', number: 7, state: 'open', merged: false } }),
    });
    const { findByRole, getByRole, findByTestId } = await renderCatalyst(
      <ApplicationPromotion environment="acme-stg" application="site" />,
      { api, live: liveAcme() },
    );
    fireEvent.click(await findByRole('button', { name: 'Copy to acme-prod' }));
    const dialog = getByRole('dialog');
    expect(dialog).toHaveTextContent('acme-prod is governed');
    expect(dialog).toHaveTextContent('this opens a change request');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy' }));
    await waitFor(() =>
      expect(api.promote).toHaveBeenCalledWith({
        sourceEnvironment: 'acme-stg',
        application: 'site',
        targetEnvironment: 'acme-prod',
      }),
    );
    const result = await findByTestId('promotion-result-acme-prod');
    expect(result).toHaveTextContent('Copied site to acme-prod as change request cr-7');
    // (found once the closing dialog stops hiding the page from the accessibility tree)
    expect(await within(result).findByRole('link', { name: 'change request cr-7' })).toHaveAttribute(
      'href',
      '/catalyst/change-requests/cr-7',
    );
  });

  it('copies to an ungoverned Environment as a commit and links it', async () => {
    const api = fakeCatalystApi({
      getApplication: async () => stagingSite,
      listEnvironments: async () => [devEnvironment, stagingEnvironment],
      promote: async () => promoted('acme-dev'),
    });
    const { findByRole, getByRole, findByTestId } = await renderCatalyst(
      <ApplicationPromotion environment="acme-stg" application="site" />,
      { api, live: liveAcme() },
    );
    fireEvent.click(await findByRole('button', { name: 'Copy to acme-dev' }));
    expect(getByRole('dialog')).toHaveTextContent('This is one commit in acme-dev.');
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Copy' }));
    const result = await findByTestId('promotion-result-acme-dev');
    expect(await within(result).findByRole('link', { name: 'eeeeeee' })).toHaveAttribute(
      'href',
      `/catalyst/applications/acme-dev/site/history?commit=${'e'.repeat(40)}`,
    );
  });

  it('links a change request already waiting in the destination', async () => {
    const api = fakeCatalystApi({
      getApplication: async () => stagingSite,
      listEnvironments: async () => [stagingEnvironment, governedProdEnvironment],
    });
    const live = liveAcme([
      view('site', 'Pending approval', {
        version: '1.1.0',
        desired: desired('1.1.0', 'sha256:old'),
        openChangeRequests: ['cr-7'],
      }),
    ]);
    const { findByRole } = await renderCatalyst(<ApplicationPromotion environment="acme-stg" application="site" />, {
      api,
      live,
    });
    expect(await findByRole('link', { name: 'cr-7' })).toHaveAttribute('href', '/catalyst/change-requests/cr-7');
  });

  it('explains a refused copy by its error code', async () => {
    const api = fakeCatalystApi({
      getApplication: async () => stagingSite,
      listEnvironments: async () => [stagingEnvironment, governedProdEnvironment],
      promote: () =>
        Promise.reject(
          Object.assign(new Error('Request failed with 403'), {
            statusCode: 403,
            body: { error: { name: 'NotAllowedError', message: 'no', code: 'not-allowed', environment: 'acme-prod' } },
          }),
        ),
    });
    const { findByRole, getByRole, findByTestId } = await renderCatalyst(
      <ApplicationPromotion environment="acme-stg" application="site" />,
      { api, live: liveAcme() },
    );
    fireEvent.click(await findByRole('button', { name: 'Copy to acme-prod' }));
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Copy' }));
    expect(await findByTestId('promotion-failed')).toHaveTextContent(
      'Copying an Application to acme-prod needs org-admin or org-developer on acme (catalyst.promote)',
    );
  });

  it('disables Copy with who may, for those who may not promote', async () => {
    // other Environment names: usePermission caches decisions per resource for the whole test file
    const uat = { ...governedProdEnvironment, name: 'acme-uat' };
    const api = fakeCatalystApi({
      getApplication: async () => stagingSite,
      listEnvironments: async () => [stagingEnvironment, uat],
    });
    const live = liveAcme();
    live.set('acme-uat', {});
    const { findByRole } = await renderCatalyst(<ApplicationPromotion environment="acme-stg" application="site" />, {
      api,
      live,
      allow: false,
    });
    const button = await findByRole('button', { name: 'Copy to acme-uat' });
    expect(button).toBeDisabled();
    await waitFor(() =>
      expect(button.parentElement).toHaveAttribute(
        'title',
        'Copying an Application to acme-uat needs org-admin or org-developer on acme (catalyst.promote)',
      ),
    );
  });
});

describe('differenceInWords', () => {
  const source = at('1.2.0', 'sha256:new');
  it.each<[string, ApplicationView | undefined, ApplicationView | undefined, string]>([
    ['not installed', undefined, source, 'Not installed'],
    [
      'removed',
      view('site', 'Updating', { desired: { ...desired('1.2.0', 'x'), removed: true } }),
      source,
      'Not installed',
    ],
    [
      'only a change request would install it',
      view('site', 'Pending approval', { desired: null, openChangeRequests: ['cr-7'] }),
      source,
      'Not installed',
    ],
    ['another version', at('1.1.0', 'sha256:new'), source, '1.1.0 here, 1.2.0 in acme-stg'],
    ['other values', at('1.2.0', 'sha256:other'), source, 'Same version, different values'],
    ['the same', at('1.2.0', 'sha256:new'), source, 'Same version and values'],
    ['the source not known yet', at('1.2.0', 'sha256:new'), undefined, '1.2.0; acme-stg not known yet'],
  ])('%s', (_name, here, from, words) => {
    expect(differenceInWords(here, from, 'acme-stg')).toBe(words);
  });
});
