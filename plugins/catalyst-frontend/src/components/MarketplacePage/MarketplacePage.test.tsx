import { fireEvent, waitFor, within } from '@testing-library/react';
import { bundleSummary, postgresSummary, staticSiteSummary } from '../../__testUtils__/fixtures';
import { fakeCatalystApi, pending, renderCatalyst } from '../../__testUtils__/fakes';
import { MarketplacePage } from './MarketplacePage';

describe('MarketplacePage', () => {
  it('shows progress while loading', async () => {
    const api = fakeCatalystApi({ listBlueprints: pending });
    const { getByTestId } = await renderCatalyst(<MarketplacePage />, { api });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error when the list fails', async () => {
    const api = fakeCatalystApi({ listBlueprints: () => Promise.reject(new Error('catalog unavailable')) });
    const { findAllByText } = await renderCatalyst(<MarketplacePage />, { api });
    expect((await findAllByText(/catalog unavailable/))[0]).toBeInTheDocument();
  });

  it('says so when there are no Blueprints', async () => {
    const api = fakeCatalystApi({ listBlueprints: async () => [] });
    const { findByText } = await renderCatalyst(<MarketplacePage />, { api });
    expect(await findByText('No Blueprints yet')).toBeInTheDocument();
  });

  it('shows a card per Blueprint and filters by search words and category on the server', async () => {
    const api = fakeCatalystApi({
      listBlueprints: async q => {
        if (q?.q === 'post') return [postgresSummary];
        if (q?.category === 'composite') return [bundleSummary];
        return [staticSiteSummary, postgresSummary, bundleSummary];
      },
    });
    const { findByTestId, getByLabelText, getByRole, findByText, queryByTestId } = await renderCatalyst(
      <MarketplacePage />,
      { api },
    );
    const grid = await findByTestId('blueprint-grid');
    expect(
      within(grid)
        .getAllByRole('heading', { level: 3 })
        .map(h => h.textContent),
    ).toEqual(['Static website', 'PostgreSQL', 'Team bundle']);

    fireEvent.change(getByLabelText('Search Blueprints'), { target: { value: 'post' } });
    await waitFor(() => expect(api.listBlueprints).toHaveBeenCalledWith({ q: 'post', category: undefined }));
    await waitFor(() => expect(queryByTestId('blueprint-card-bp-static-site')).not.toBeInTheDocument());
    expect(queryByTestId('blueprint-card-bp-postgres')).toBeInTheDocument();

    fireEvent.change(getByLabelText('Search Blueprints'), { target: { value: '' } });
    fireEvent.mouseDown(getByRole('button', { name: /All categories/ }));
    fireEvent.click(await findByText('composite', { selector: 'li' }));
    await waitFor(() => expect(api.listBlueprints).toHaveBeenCalledWith({ q: undefined, category: 'composite' }));
    await waitFor(() => expect(queryByTestId('blueprint-card-bp-bundle-team')).toBeInTheDocument());
    expect(queryByTestId('blueprint-card-bp-postgres')).not.toBeInTheDocument();
  });

  it('preselects the Environment it was opened for', async () => {
    const api = fakeCatalystApi({ listBlueprints: async () => [staticSiteSummary] });
    // as "+ Install" on acme-stg opens it
    const { findByRole, getByText } = await renderCatalyst(<MarketplacePage />, {
      api,
      routeEntries: ['/catalyst/marketplace?environment=acme-stg'],
    });
    const install = await findByRole('button', { name: 'Install bp-static-site' });
    expect(new URL(install.getAttribute('href')!, 'http://x').searchParams.get('formData')).toBe(
      '{"environment":"acme-stg"}',
    );
    expect(getByText(/Installing into acme-stg/)).toBeInTheDocument();
  });

  it('explains an empty search result', async () => {
    const api = fakeCatalystApi({ listBlueprints: async q => (q?.q ? [] : [staticSiteSummary]) });
    const { findByTestId, getByLabelText, findByText } = await renderCatalyst(<MarketplacePage />, { api });
    await findByTestId('blueprint-grid');
    fireEvent.change(getByLabelText('Search Blueprints'), { target: { value: 'nothing' } });
    expect(await findByText('No Blueprint matches')).toBeInTheDocument();
  });
});
