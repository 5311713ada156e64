import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { SidebarPage, Sidebar } from '@backstage/core-components';
import { catalogApiRef, entityPresentationApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { DefaultEntityPresentationApi } from '@backstage/plugin-catalog';
import { MenuItems } from './MenuItems';

/** The sidebar item the browser is on (what the sidebar highlights), by its text. */
async function currentAt(path: string): Promise<string[]> {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApiMock()],
        [entityPresentationApiRef, DefaultEntityPresentationApi.createLocal()],
      ]}
    >
      <SidebarPage>
        <Sidebar>
          <MenuItems />
        </Sidebar>
      </SidebarPage>
    </TestApiProvider>,
    { routeEntries: [path], mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  await screen.findByRole('link', { name: 'Home' });
  return screen
    .getAllByRole('link')
    .filter(link => link.getAttribute('aria-current') === 'page')
    .map(link => link.getAttribute('aria-label') ?? '');
}

describe('MenuItems', () => {
  it('highlights Home on the catalog index', async () => {
    expect(await currentAt('/catalog')).toEqual(['Home']);
  });

  it('highlights nothing on an entity page under /catalog/…', async () => {
    expect(await currentAt('/catalog/acme-dev/application/site')).toEqual([]);
  });

  it('highlights the Marketplace on its page', async () => {
    expect(await currentAt('/catalyst/marketplace')).toEqual(['Marketplace']);
  });

  it('highlights Change requests on a change request (where notifications link)', async () => {
    expect(await currentAt('/catalyst/change-requests/cr-7')).toEqual(['Change requests']);
  });

  it('highlights Git access on the tokens page', async () => {
    expect(await currentAt('/catalyst/git-access')).toEqual(['Git access']);
  });
});
