import { waitFor } from '@testing-library/react';
import { staticSiteDetail } from '../../__testUtils__/fixtures';
import { fakeCatalystApi, renderCatalyst } from '../../__testUtils__/fakes';
import { BlueprintAboutCard, iconPath } from './BlueprintAboutCard';

describe('BlueprintAboutCard', () => {
  it('shows `bp-x @ latest`, the owner, facts and Install, with the icon from the release', async () => {
    const api = fakeCatalystApi({ getBlueprintFiles: async () => ({ 'card/icon.svg': '<svg/>' }) });
    const { getByText, getByRole, getByAltText } = await renderCatalyst(
      <BlueprintAboutCard blueprint={staticSiteDetail} />,
      { api },
    );
    expect(getByText('bp-static-site @ 1.2.0')).toBeInTheDocument();
    expect(getByText('Latest: 1.2.0 · Owner: team-platform')).toBeInTheDocument();
    expect(getByText('team-platform (platform@acme.example)')).toBeInTheDocument();
    expect(getByText('Public catalog')).toBeInTheDocument();
    expect(getByRole('button', { name: 'Install bp-static-site' })).toBeInTheDocument();
    await waitFor(() => expect(getByAltText('Static website')).toBeInTheDocument());
    expect(api.getBlueprintFiles).toHaveBeenCalledWith('bp-static-site', '1.2.0');
  });

  it('keeps the letter avatar when the files cannot be loaded', async () => {
    const api = fakeCatalystApi({ getBlueprintFiles: () => Promise.reject(new Error('nope')) });
    const { getByLabelText } = await renderCatalyst(<BlueprintAboutCard blueprint={staticSiteDetail} />, { api });
    await waitFor(() => expect(api.getBlueprintFiles).toHaveBeenCalled());
    expect(getByLabelText('Static website')).toHaveTextContent('S');
  });

  it.each([
    ['./card/icon.svg', 'card/icon.svg'],
    ['card/logo.SVG', 'card/logo.SVG'],
    ['./card/icon.png', undefined],
    ['../other/icon.svg', undefined],
    [undefined, undefined],
  ])('finds the icon file of %s', (icon, expected) => {
    expect(iconPath(icon)).toBe(expected);
  });
});
