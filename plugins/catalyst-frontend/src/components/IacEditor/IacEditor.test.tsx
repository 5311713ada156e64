import { useState } from 'react';
import { act, fireEvent, waitFor, within } from '@testing-library/react';
import type { ApplicationDetail } from '@internal/plugin-catalyst-common';
import { catalystError, fakeCatalystApi, renderCatalyst } from '../../__testUtils__/fakes';
import { staticSiteDetail } from '../../__testUtils__/fixtures';
import { applicationYaml, iacSite } from './__testUtils__/iacApplication';
import { IacEditor } from './IacEditor';

// jsdom cannot run Monaco: the seam's editor becomes a text box with the same props
jest.mock('./MonacoYamlEditor', () => ({
  MonacoYamlEditor: jest.requireActual('./__testUtils__/FakeYamlEditor').FakeYamlEditor,
}));

const commitResponse = {
  action: 'configure' as const,
  environment: 'acme-dev',
  commit: {
    sha: 'abcdef1'.padEnd(40, '0'),
    subject: 'Configure site',
    message: '',
    author: { name: 'a', email: 'a', time: '' },
    committer: { name: 'a', email: 'a', time: '' },
  },
  applications: ['site'],
  replayed: false,
  changed: true,
};

function renderEditor(
  options: {
    api?: ReturnType<typeof fakeCatalystApi>;
    allow?: boolean;
    application?: ApplicationDetail;
    environment?: string;
  } = {},
) {
  const api = options.api ?? fakeCatalystApi();
  const onSaved = jest.fn();
  let setApplication: (application: ApplicationDetail) => void = () => {};
  // the parent reloads the Application on a new head: the same editor gets a new one
  function Parent() {
    const [application, set] = useState(options.application ?? iacSite);
    setApplication = set;
    return (
      <IacEditor
        environment={options.environment ?? 'acme-dev'}
        application={application}
        blueprint={staticSiteDetail}
        onSaved={onSaved}
      />
    );
  }
  return renderCatalyst(<Parent />, { api, allow: options.allow }).then(r => ({
    ...r,
    api,
    onSaved,
    newHead: (application: ApplicationDetail) => act(() => setApplication(application)),
  }));
}

const type = (box: HTMLElement, text: string) => fireEvent.change(box, { target: { value: text } });

describe('IacEditor', () => {
  it('shows values.yaml at the head, with nothing to save until a file is edited', async () => {
    const { findByLabelText, getByRole, getByTestId } = await renderEditor();
    expect(await findByLabelText('values.yaml of site')).toHaveValue(iacSite.files['applications/site/values.yaml']);
    expect(getByRole('tab', { name: 'values.yaml' })).toBeInTheDocument();
    expect(getByRole('tab', { name: 'application.yaml' })).toBeInTheDocument();
    expect(getByTestId('iac-diff')).toHaveTextContent('No edits: the files are as at the head.');
    expect(getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(getByTestId('iac-save-hint')).toHaveTextContent('Edit a file to save a change.');
  });

  it('flags invalid YAML as you type, with its place, and does not let it be saved', async () => {
    const { findByLabelText, getByRole, getByTestId, api } = await renderEditor();
    const box = await findByLabelText('values.yaml of site');
    type(box, 'domain: site.acme.example\nreplicas: [2\n');
    expect(getByTestId('iac-problems')).toHaveTextContent(
      'values.yaml:3:1Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
    expect(box).toHaveAttribute('data-markers', '3:1');
    expect(getByRole('tab', { name: 'values.yaml • (1)' })).toBeInTheDocument();
    expect(getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(getByTestId('iac-save-hint')).toHaveTextContent('Fix the problem above to save.');
    expect(api.updateApplication).not.toHaveBeenCalled();
  });

  it('flags a value the Blueprint’s configSchema refuses, on its line', async () => {
    const { findByLabelText, getByRole, getByTestId } = await renderEditor();
    const box = await findByLabelText('values.yaml of site');
    type(box, 'domain: site.acme.example\nreplicas: 11\n');
    expect(getByTestId('iac-problems')).toHaveTextContent('values.yaml:2:1values.replicas must be <= 10');
    expect(box).toHaveAttribute('data-markers', '2:1');
    expect(getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it('flags an edit of a field of application.yaml the provisioning service does not change, naming it', async () => {
    const { findByLabelText, getByRole, getByTestId } = await renderEditor();
    fireEvent.click(getByRole('tab', { name: 'application.yaml' }));
    const box = await findByLabelText('application.yaml of site');
    expect(box).toHaveValue(applicationYaml());
    type(box, applicationYaml({ name: 'renamed' }));
    expect(getByTestId('iac-problems')).toHaveTextContent(
      'metadata.name cannot be changed here (it is "site" at the head): in application.yaml the provisioning service changes only the version (spec.blueprintRef.version)',
    );
    expect(getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it('shows the live diff against the head and saves the values through the provisioning service', async () => {
    const api = fakeCatalystApi({ updateApplication: async () => commitResponse });
    const { findByLabelText, getByRole, getByTestId, onSaved } = await renderEditor({ api });
    type(await findByLabelText('values.yaml of site'), 'domain: site.acme.example\nreplicas: 3\ntitle: Hello\n');
    const diff = getByTestId('diff-applications/site/values.yaml');
    expect(within(diff).getByText('-replicas: 2')).toBeInTheDocument();
    expect(within(diff).getByText('+replicas: 3')).toBeInTheDocument();
    fireEvent.click(getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(commitResponse));
    expect(api.updateApplication).toHaveBeenCalledWith('acme-dev', 'site', {
      values: { domain: 'site.acme.example', replicas: 3, title: 'Hello' },
    });
    // the edits are saved: the files follow the head again
    expect(getByTestId('iac-diff')).toHaveTextContent('No edits');
  });

  it('sends a version, a size and a pause from application.yaml, and previews the commit', async () => {
    const api = fakeCatalystApi({
      planUpdate: async () => ({
        plan: {} as never,
        files: {},
        changes: [
          { path: 'applications/site/kustomization.yaml', change: 'modified' as const, before: 'a\n', after: 'b\n' },
        ],
      }),
    });
    const { findByLabelText, getByRole, findByTestId } = await renderEditor({ api });
    fireEvent.click(getByRole('tab', { name: 'application.yaml' }));
    type(
      await findByLabelText('application.yaml of site'),
      applicationYaml({ version: '1.2.0', overlay: 'medium', paused: true }),
    );
    fireEvent.click(getByRole('button', { name: 'Preview commit' }));
    expect(await findByTestId('diff-applications/site/kustomization.yaml')).toBeInTheDocument();
    expect(api.planUpdate).toHaveBeenCalledWith('acme-dev', 'site', {
      version: '1.2.0',
      overlay: 'medium',
      paused: true,
    });
  });

  it('says an edit that changes nothing stored (comments, order) is not worth a commit', async () => {
    const { findByLabelText, getByRole, getByTestId } = await renderEditor();
    type(
      await findByLabelText('values.yaml of site'),
      '# ours\ntitle: Hello\nreplicas: 2\ndomain: site.acme.example\n',
    );
    expect(getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(getByTestId('iac-save-hint')).toHaveTextContent('These edits change nothing the provisioning service keeps');
  });

  it('places the server’s issues in the file and says a refusal by its code', async () => {
    const api = fakeCatalystApi({
      updateApplication: jest
        .fn()
        .mockRejectedValueOnce(
          catalystError(400, 'invalid values', {
            code: 'invalid-values',
            issues: [{ code: 'invalid-values', path: 'values.title', message: 'title is taken' }],
          }),
        )
        .mockRejectedValueOnce(catalystError(409, 'unread', { code: 'governed-environment', environment: 'acme-dev' })),
    });
    const { findByLabelText, getByRole, findByTestId } = await renderEditor({ api });
    const box = await findByLabelText('values.yaml of site');
    type(box, 'domain: site.acme.example\nreplicas: 2\ntitle: Taken\n');
    fireEvent.click(getByRole('button', { name: 'Save' }));
    expect(await findByTestId('iac-problems')).toHaveTextContent('values.yaml:3:1title is taken');
    type(box, 'domain: site.acme.example\nreplicas: 2\ntitle: Other\n');
    fireEvent.click(getByRole('button', { name: 'Save' }));
    expect(await findByTestId('iac-failure')).toHaveTextContent(
      'Not applied: acme-dev is governed by its EnvironmentPolicy: changes arrive as change requests, not directly',
    );
  });

  it('keeps the edits when the head moves, says so, and diffs against the new head', async () => {
    const { findByLabelText, getByTestId, newHead } = await renderEditor();
    type(await findByLabelText('values.yaml of site'), 'domain: site.acme.example\nreplicas: 3\ntitle: Hello\n');
    const moved = {
      ...iacSite,
      values: { ...iacSite.values, title: 'Changed elsewhere' },
      files: {
        ...iacSite.files,
        'applications/site/values.yaml': 'domain: site.acme.example\nreplicas: 2\ntitle: Changed elsewhere\n',
      },
    };
    newHead(moved);
    expect(await findByLabelText('values.yaml of site')).toHaveValue(
      'domain: site.acme.example\nreplicas: 3\ntitle: Hello\n',
    );
    expect(getByTestId('iac-head-moved')).toHaveTextContent(
      'values.yaml changed at the head of acme-dev since you began editing',
    );
    expect(within(getByTestId('iac-diff')).getByText('-title: Changed elsewhere')).toBeInTheDocument();
  });

  it('discards the edits', async () => {
    const { findByLabelText, getByRole, getByTestId } = await renderEditor();
    const box = await findByLabelText('values.yaml of site');
    type(box, 'replicas: [\n');
    fireEvent.click(getByRole('button', { name: 'Discard edits' }));
    expect(box).toHaveValue(iacSite.files['applications/site/values.yaml']);
    expect(getByTestId('iac-diff')).toHaveTextContent('No edits');
  });

  it('is read-only for those who may not configure the Environment, and says who may', async () => {
    const { findByLabelText, findByTestId, getByRole } = await renderEditor({
      allow: false,
      // another Environment than the other tests': the permission framework caches its answers per resource
      environment: 'acme-uat',
    });
    const box = await findByLabelText('values.yaml of site');
    expect(box).toHaveAttribute('readonly');
    expect(await findByTestId('iac-read-only')).toHaveTextContent(
      'You may read these files but not change them: Changing settings in acme-uat needs org-admin or org-developer on acme (catalyst.configure).',
    );
    expect(getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(getByRole('button', { name: 'Preview commit' })).toBeDisabled();
  });
});
