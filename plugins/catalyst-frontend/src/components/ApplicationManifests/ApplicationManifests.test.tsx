import { fireEvent } from '@testing-library/react';
import { siteDetail } from '../../__testUtils__/fixtures';
import { fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { ApplicationManifests, groupByFolder, languageOf } from './ApplicationManifests';

describe('ApplicationManifests', () => {
  it('shows progress while loading', async () => {
    const { getByTestId } = await renderCatalyst(<ApplicationManifests environment="acme-dev" application="site" />, {
      api: fakeCatalystApi({ getApplication: pending }),
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error', async () => {
    const api = fakeCatalystApi({ getApplication: () => Promise.reject(new Error('Application site does not exist')) });
    const { findAllByText } = await renderCatalyst(<ApplicationManifests environment="acme-dev" application="site" />, {
      api,
    });
    expect((await findAllByText(/does not exist/))[0]).toBeInTheDocument();
  });

  it('says when there are no files', async () => {
    const api = fakeCatalystApi({ getApplication: async () => ({ ...siteDetail, files: {} }) });
    const { findByText } = await renderCatalyst(<ApplicationManifests environment="acme-dev" application="site" />, {
      api,
    });
    expect(await findByText('No files')).toBeInTheDocument();
  });

  it('lists the files by folder and shows the chosen one', async () => {
    const api = fakeCatalystApi({ getApplication: async () => siteDetail });
    const { findByText, getByText, getByTestId } = await renderCatalyst(
      <ApplicationManifests environment="acme-dev" application="site" />,
      { api },
    );
    expect(await findByText('3 files at the head of acme-dev')).toBeInTheDocument();
    expect(getByText('applications/site')).toBeInTheDocument();
    expect(getByTestId('manifest-content')).toHaveTextContent('resources:');
    fireEvent.click(getByText('values.yaml'));
    expect(getByTestId('manifest-content')).toHaveTextContent('domain: site.acme.example');
  });

  it('groups paths and picks a highlighting language', () => {
    expect(groupByFolder(['b/x.yaml', 'a.md', 'b/c/y.yaml', 'b/a.yaml'])).toEqual([
      { folder: '', files: ['a.md'] },
      { folder: 'b', files: ['b/a.yaml', 'b/x.yaml'] },
      { folder: 'b/c', files: ['b/c/y.yaml'] },
    ]);
    expect(languageOf('a/values.yaml')).toBe('yaml');
    expect(languageOf('index.HTML')).toBe('html');
    expect(languageOf('Dockerfile')).toBe('text');
  });
});
