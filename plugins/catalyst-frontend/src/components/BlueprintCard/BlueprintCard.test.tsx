import { bundleSummary, staticSiteSummary } from '../../__testUtils__/fixtures';
import { renderCatalyst } from '../../__testUtils__/fakes';
import { BlueprintCard, blueprintBadges } from './BlueprintCard';

describe('BlueprintCard', () => {
  it('shows title, version, tagline, category, a details link and Install', async () => {
    const { getByText, getByRole } = await renderCatalyst(<BlueprintCard blueprint={staticSiteSummary} />);
    expect(getByRole('link', { name: 'Static website' })).toHaveAttribute(
      'href',
      '/catalog/default/blueprint/bp-static-site',
    );
    expect(getByText('bp-static-site @ 1.2.0')).toBeInTheDocument();
    expect(getByText('nginx serving a static page')).toBeInTheDocument();
    expect(getByText('web')).toBeInTheDocument();
    expect(getByRole('button', { name: 'Install bp-static-site' })).toHaveAttribute(
      'href',
      '/create/templates/default/install-bp-static-site',
    );
  });

  it('badges a private bundle and installs it from its Organization', async () => {
    const { getByText, getByRole } = await renderCatalyst(<BlueprintCard blueprint={bundleSummary} />);
    expect(getByText('Bundle')).toBeInTheDocument();
    expect(getByText('Private')).toBeInTheDocument();
    expect(getByRole('button', { name: 'Install bp-bundle-team' })).toHaveAttribute(
      'href',
      '/create/templates/acme/install-bp-bundle-team',
    );
  });

  it.each([
    [{ composite: false, visibility: 'listed', card: {} }, []],
    [{ composite: false, visibility: 'unlisted', card: {} }, ['Unlisted']],
    [{ composite: false, visibility: 'listed', card: { category: 'composite' } }, ['Bundle']],
    [{ composite: true, visibility: 'private', card: {} }, ['Bundle', 'Private']],
  ] as const)('badges %j as %j', (b, expected) => {
    expect(blueprintBadges({ ...b, card: { ...b.card } })).toEqual(expected);
  });
});
