import { fireEvent, waitFor, within } from '@testing-library/react';
import { siteDetail, staticSiteDetail } from '../../__testUtils__/fixtures';
import { fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { applicationYaml, iacSite } from '../IacEditor/__testUtils__/iacApplication';
import { ApplicationSettings } from './ApplicationSettings';

// jsdom cannot run Monaco: the IaC view's editor becomes a text box with the same props
jest.mock('../IacEditor/MonacoYamlEditor', () => ({
  MonacoYamlEditor: jest.requireActual('../IacEditor/__testUtils__/FakeYamlEditor').FakeYamlEditor,
}));

/** What ResponseError gives for a 4xx with the server's issues (and its catalyst error code). */
function serverError(
  statusCode: number,
  message: string,
  issues: unknown[] = [],
  catalyst: { code?: string; environment?: string } = {},
) {
  const name = { 403: 'NotAllowedError', 409: 'ConflictError' }[statusCode] ?? 'InputError';
  return Object.assign(new Error(`Request failed with ${statusCode}`), {
    name: 'ResponseError',
    statusCode,
    body: {
      error: { name, message, issues, ...catalyst },
      response: { statusCode },
    },
    cause: { name, message, issues, ...catalyst },
  });
}

const baseApi = (extra = {}) =>
  fakeCatalystApi({
    getApplication: async () => siteDetail,
    getBlueprint: async () => staticSiteDetail,
    listApplications: async () => [],
    ...extra,
  });

const commitResponse = {
  action: 'configure' as const,
  environment: 'acme-dev',
  commit: {
    sha: '1234567'.padEnd(40, '0'),
    subject: 'Configure site',
    message: '',
    author: { name: 'g', email: 'g', time: '' },
    committer: { name: 'g', email: 'g', time: '' },
  },
  applications: ['site'],
  replayed: false,
  changed: true,
};

describe('ApplicationSettings', () => {
  it('shows progress while loading', async () => {
    const { getByTestId } = await renderCatalyst(<ApplicationSettings environment="acme-dev" application="site" />, {
      api: fakeCatalystApi({ getApplication: pending }),
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error when the Blueprint cannot be loaded', async () => {
    const api = baseApi({ getBlueprint: () => Promise.reject(new Error('Blueprint bp-static-site does not exist')) });
    const { findAllByText } = await renderCatalyst(<ApplicationSettings environment="acme-dev" application="site" />, {
      api,
    });
    expect((await findAllByText(/does not exist/))[0]).toBeInTheDocument();
  });

  it('generates the form from the configSchema with the current values, previews and saves the change', async () => {
    const api = baseApi({
      planUpdate: async () => ({
        plan: {} as never,
        files: {},
        changes: [
          {
            path: 'applications/site/values.yaml',
            change: 'modified' as const,
            before: 'replicas: 2\n',
            after: 'replicas: 3\n',
          },
        ],
      }),
      updateApplication: async () => commitResponse,
    });
    const { findByLabelText, getByRole, findByTestId, getByTestId } = await renderCatalyst(
      <ApplicationSettings environment="acme-dev" application="site" />,
      { api },
    );
    const replicas = await findByLabelText(/replicas/);
    expect(replicas).toHaveValue(2);
    expect(await findByLabelText(/domain/)).toHaveValue('site.acme.example');
    fireEvent.change(replicas, { target: { value: '3' } });

    fireEvent.click(getByRole('button', { name: 'Preview change' }));
    expect(await findByTestId('diff-applications/site/values.yaml')).toBeInTheDocument();
    expect(api.planUpdate).toHaveBeenCalledWith('acme-dev', 'site', {
      values: expect.objectContaining({ replicas: 3 }),
    });

    fireEvent.click(getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.updateApplication).toHaveBeenCalledWith('acme-dev', 'site', {
        values: expect.objectContaining({ replicas: 3 }),
      }),
    );
    expect(await findByTestId('settings-saved')).toHaveTextContent('Saved as commit 1234567: Configure site');
    // the page reloads the Application from the new head
    await waitFor(() => expect(api.getApplication).toHaveBeenCalledTimes(2));
    expect(getByTestId('settings-saved')).toBeInTheDocument();
  });

  it('links the change request a governed Environment opened for the save (202)', async () => {
    const api = baseApi({
      updateApplication: async () => ({
        ...commitResponse,
        environment: 'acme-prod',
        changeRequest: { id: 'cr-9', number: 9, state: 'open' as const, merged: false },
      }),
    });
    const { findByLabelText, getByRole, findByTestId } = await renderCatalyst(
      <ApplicationSettings environment="acme-prod" application="site" />,
      { api },
    );
    fireEvent.change(await findByLabelText(/replicas/), { target: { value: '3' } });
    fireEvent.click(getByRole('button', { name: 'Save' }));
    const saved = await findByTestId('settings-saved');
    expect(saved).toHaveTextContent('Saved as change request cr-9: acme-prod is governed');
    expect(within(saved).getByRole('link', { name: 'change request cr-9' })).toHaveAttribute(
      'href',
      '/catalyst/change-requests/cr-9',
    );
  });

  it('puts the server’s field messages on the fields', async () => {
    const api = baseApi({
      planUpdate: () =>
        Promise.reject(
          serverError(400, 'values.replicas: must be <= 10', [
            { code: 'invalid-values', path: 'values.replicas', message: 'must be <= 10' },
          ]),
        ),
    });
    const { findByLabelText, getByRole, findByText, findByTestId } = await renderCatalyst(
      <ApplicationSettings environment="acme-dev" application="site" />,
      { api },
    );
    await findByLabelText(/replicas/);
    fireEvent.click(getByRole('button', { name: 'Preview change' }));
    expect(await findByText('must be <= 10')).toBeInTheDocument();
    expect(await findByTestId('settings-problem')).toHaveTextContent('see the marked fields');
  });

  it('shows why a governed Environment refuses a direct change (from the error code)', async () => {
    const message = 'the words of this message are not read';
    const api = baseApi({
      updateApplication: () =>
        Promise.reject(serverError(409, message, [], { code: 'governed-environment', environment: 'acme-prod' })),
    });
    const { findByLabelText, getByRole, findByTestId } = await renderCatalyst(
      <ApplicationSettings environment="acme-prod" application="site" />,
      { api },
    );
    await findByLabelText(/replicas/);
    fireEvent.click(getByRole('button', { name: 'Save' }));
    expect(await findByTestId('settings-problem')).toHaveTextContent(
      'Not applied: acme-prod is governed by its EnvironmentPolicy: changes arrive as change requests, not directly',
    );
  });

  it('says who may change the settings when the server refuses the person (from the error code)', async () => {
    // the page offered the change (the permission said yes), and the server said no meanwhile
    const api = baseApi({
      updateApplication: () =>
        Promise.reject(serverError(403, 'refused', [], { code: 'not-allowed', environment: 'acme-dev' })),
    });
    const { findByLabelText, getByRole, findByTestId } = await renderCatalyst(
      <ApplicationSettings environment="acme-dev" application="site" />,
      { api },
    );
    await findByLabelText(/replicas/);
    fireEvent.click(getByRole('button', { name: 'Save' }));
    expect(await findByTestId('settings-problem')).toHaveTextContent(
      'Not applied: Changing settings in acme-dev needs org-admin or org-developer on acme (catalyst.configure)',
    );
  });

  it('offers other versions of the Blueprint (an upgrade) and sends the version only when it changes', async () => {
    const api = baseApi({
      getApplication: async () => ({ ...siteDetail, version: '1.1.0' }),
      planUpdate: async () => ({ plan: {} as never, files: {}, changes: [] }),
    });
    const { findByLabelText, getByRole, findByText, queryByLabelText } = await renderCatalyst(
      <ApplicationSettings environment="acme-dev" application="site" />,
      { api, routeEntries: ['/?view=advanced'] },
    );
    await findByLabelText(/title/);
    expect(queryByLabelText(/message/)).not.toBeInTheDocument();
    fireEvent.mouseDown(getByRole('button', { name: /1.1.0 \(current\)/ }));
    fireEvent.click(await findByText('1.2.0', { selector: 'li' }));
    expect(await findByLabelText(/message/)).toBeInTheDocument();
    fireEvent.click(getByRole('button', { name: 'Preview change' }));
    await waitFor(() =>
      expect(api.planUpdate).toHaveBeenCalledWith('acme-dev', 'site', expect.objectContaining({ version: '1.2.0' })),
    );
    expect(await findByText('This change would not modify any file.')).toBeInTheDocument();
  });

  it('disables changes for users who may not configure the Environment', async () => {
    const { findByLabelText, getByRole, findByText } = await renderCatalyst(
      <ApplicationSettings environment="acme-uat" application="site" />,
      {
        api: baseApi(),
        allow: false,
        routeEntries: ['/?view=advanced'],
      },
    );
    expect(await findByLabelText(/replicas/)).toBeDisabled();
    expect(
      await findByText(
        'You may look at these settings but not change them: Changing settings in acme-uat needs org-admin or org-developer on acme (catalyst.configure).',
      ),
    ).toBeInTheDocument();
    expect(getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(getByRole('button', { name: 'Pause' })).toBeDisabled();
  });

  it('pauses after confirmation and resumes without asking, each as a commit', async () => {
    let paused = false;
    const api = baseApi({
      getApplication: async () => ({ ...siteDetail, paused }),
      updateApplication: async (_env: string, _app: string, body: { paused?: boolean }) => {
        paused = body.paused ?? paused;
        // each commit has its own sha: the page reloads the Application on a new one
        const sha = (paused ? 'a' : 'b').repeat(40);
        return {
          ...commitResponse,
          commit: { ...commitResponse.commit, sha, subject: paused ? 'Pause site (scaled to zero)' : 'Resume site' },
        };
      },
    });
    const { findByRole, getByRole, findByTestId, queryByRole, findByText } = await renderCatalyst(
      <ApplicationSettings environment="acme-dev" application="site" />,
      { api, routeEntries: ['/?view=advanced'] },
    );
    fireEvent.click(await findByRole('button', { name: 'Pause' }));
    const dialog = getByRole('dialog');
    expect(within(dialog).getByText(/scales site to zero/)).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(queryByRole('dialog')).toBeNull());
    expect(api.updateApplication).not.toHaveBeenCalled();

    fireEvent.click(getByRole('button', { name: 'Pause' }));
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(api.updateApplication).toHaveBeenCalledWith('acme-dev', 'site', { paused: true }));
    expect(await findByTestId('settings-saved')).toHaveTextContent('Pause site (scaled to zero)');
    expect(await findByText(/paused \(scaled to zero\)/)).toBeInTheDocument();

    fireEvent.click(await findByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(api.updateApplication).toHaveBeenLastCalledWith('acme-dev', 'site', { paused: false }));
    expect(queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(getByRole('button', { name: 'Pause' })).toBeInTheDocument());
  });

  it('offers Form, Advanced and IaC as a toggle on the page, and keeps the choice in the URL', async () => {
    const api = baseApi({ getApplication: async () => iacSite });
    const { findByLabelText, getByRole, queryByRole, findByRole, findByTestId, queryByTestId } = await renderCatalyst(
      <ApplicationSettings environment="acme-dev" application="site" />,
      { api },
    );
    // Form: the configSchema's fields, without the version, the size or pause
    expect(await findByLabelText(/replicas/)).toHaveValue(2);
    expect(getByRole('button', { name: 'Form' })).toHaveAttribute('aria-pressed', 'true');
    expect(queryByRole('button', { name: 'Pause' })).toBeNull();
    expect(queryByRole('button', { name: /1.1.0 \(current\)/ })).toBeNull();
    expect(queryByTestId('application-facts')).toBeNull();

    // Advanced: the same form, and the version, the size, pause and what application.yaml says
    fireEvent.click(getByRole('button', { name: 'Advanced' }));
    expect(await findByRole('button', { name: 'Pause' })).toBeEnabled();
    expect(getByRole('button', { name: /1.1.0 \(current\)/ })).toBeInTheDocument();
    const facts = await findByTestId('application-facts');
    expect(facts).toHaveTextContent('single-region in eu-central');
    expect(facts).toHaveTextContent('db → site-postgres (bp-postgres, embedded)');
    expect(await findByLabelText(/replicas/)).toHaveValue(2);

    // IaC: the files in the editor, on the same page
    fireEvent.click(getByRole('button', { name: 'IaC' }));
    expect(await findByLabelText('values.yaml of site')).toHaveValue(iacSite.files['applications/site/values.yaml']);
    expect(queryByRole('dialog')).toBeNull();
    expect(getByRole('button', { name: 'IaC' })).toHaveAttribute('aria-pressed', 'true');

    fireEvent.click(getByRole('button', { name: 'Form' }));
    expect(await findByLabelText(/replicas/)).toBeInTheDocument();
  });

  it('opens the IaC view the URL names; its save in a governed Environment links the change request', async () => {
    const api = baseApi({
      getApplication: async () => iacSite,
      updateApplication: async () => ({
        ...commitResponse,
        environment: 'acme-prod',
        changeRequest: { id: 'cr-9', number: 9, state: 'open' as const, merged: false },
      }),
    });
    const { findByLabelText, findByRole, getByRole, findByTestId } = await renderCatalyst(
      <ApplicationSettings environment="acme-prod" application="site" />,
      { api, routeEntries: ['/?view=iac'] },
    );
    fireEvent.click(await findByRole('tab', { name: 'application.yaml' }));
    fireEvent.change(await findByLabelText('application.yaml of site'), {
      target: { value: applicationYaml({ version: '1.2.0' }) },
    });
    fireEvent.click(getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.updateApplication).toHaveBeenCalledWith('acme-prod', 'site', { version: '1.2.0' }));
    const saved = await findByTestId('iac-saved');
    expect(saved).toHaveTextContent('Saved as change request cr-9: acme-prod is governed');
    expect(within(saved).getByRole('link', { name: 'change request cr-9' })).toHaveAttribute(
      'href',
      '/catalyst/change-requests/cr-9',
    );
  });
});
