import { fireEvent, within } from '@testing-library/react';
import { staticSiteDetail } from '../../__testUtils__/fixtures';
import { fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { BlueprintCompareVersions } from './BlueprintCompareVersions';

const files: Record<string, Record<string, string>> = {
  '1.0.0': { 'blueprint.yaml': 'version: 1.0.0\n', 'manifests/base/deployment.yaml': 'image: nginx:1.26\n' },
  '1.1.0': { 'blueprint.yaml': 'version: 1.1.0\n', 'manifests/base/deployment.yaml': 'image: nginx:1.27\n' },
  '1.2.0': {
    'blueprint.yaml': 'version: 1.2.0\n',
    'manifests/base/deployment.yaml': 'image: nginx:1.27\n',
    'manifests/base/content.yaml': 'x\n',
  },
};

describe('BlueprintCompareVersions', () => {
  it('shows progress while the files load, with the schema differences already there', async () => {
    const api = fakeCatalystApi({ getBlueprintFiles: pending });
    const { getByTestId, getByText } = await renderCatalyst(<BlueprintCompareVersions blueprint={staticSiteDetail} />, {
      api,
    });
    expect(getByTestId('progress')).toBeInTheDocument();
    expect(getByText('message')).toBeInTheDocument();
  });

  it('shows the error when files cannot be loaded', async () => {
    const api = fakeCatalystApi({ getBlueprintFiles: () => Promise.reject(new Error('no such release')) });
    const { findAllByText } = await renderCatalyst(<BlueprintCompareVersions blueprint={staticSiteDetail} />, { api });
    expect((await findAllByText(/no such release/))[0]).toBeInTheDocument();
  });

  it('compares the previous and the latest version by default, and other versions on request', async () => {
    const api = fakeCatalystApi({ getBlueprintFiles: async (_n, v) => files[v] });
    const { findByTestId, getByRole, findByText, getByText, queryByTestId } = await renderCatalyst(
      <BlueprintCompareVersions blueprint={staticSiteDetail} />,
      { api },
    );
    expect(getByText('Configuration: 1.1.0 → 1.2.0')).toBeInTheDocument();
    const table = getByRole('table', { name: 'configuration differences' });
    expect(within(table).getByText('message')).toBeInTheDocument();
    expect(within(table).getByText('added')).toBeInTheDocument();
    expect(await findByTestId('diff-manifests/base/content.yaml')).toBeInTheDocument();
    expect(queryByTestId('diff-manifests/base/deployment.yaml')).not.toBeInTheDocument();

    fireEvent.mouseDown(getByRole('button', { name: /^1.1.0$/ }));
    fireEvent.click(await findByText('1.0.0', { selector: 'li' }));
    expect(await findByTestId('diff-manifests/base/deployment.yaml')).toBeInTheDocument();
    expect(api.getBlueprintFiles).toHaveBeenCalledWith('bp-static-site', '1.0.0');
  });

  it('says when two versions are the same', async () => {
    const api = fakeCatalystApi({ getBlueprintFiles: async () => files['1.2.0'] });
    const one = { ...staticSiteDetail, versions: ['1.2.0'], versionDetails: [staticSiteDetail.versionDetails[2]] };
    const { findByText, getByText } = await renderCatalyst(<BlueprintCompareVersions blueprint={one} />, { api });
    expect(await findByText('The two versions have the same files.')).toBeInTheDocument();
    expect(getByText('The configuration schema is the same.')).toBeInTheDocument();
  });
});
