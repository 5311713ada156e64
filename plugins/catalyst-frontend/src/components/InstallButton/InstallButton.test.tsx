import { fakeCatalystApi, renderCatalyst } from '../../__testUtils__/fakes';
import { devEnvironment } from '../../__testUtils__/fixtures';
import { InstallButton } from './InstallButton';

describe('InstallButton', () => {
  it('links to the Blueprint install Template', async () => {
    const { getByRole } = await renderCatalyst(<InstallButton blueprint={{ name: 'bp-redis' }} />);
    expect(getByRole('button', { name: 'Install bp-redis' })).toHaveAttribute(
      'href',
      '/create/templates/default/install-bp-redis',
    );
  });

  it('preselects the Environment and uses the Organization namespace of a private Blueprint', async () => {
    const { getByRole } = await renderCatalyst(
      <InstallButton
        blueprint={{ name: 'bp-internal', organization: 'acme' }}
        environment="acme-dev"
        label="Install here"
      />,
    );
    const href = getByRole('button', { name: 'Install here bp-internal' }).getAttribute('href')!;
    const url = new URL(href, 'http://x');
    expect(url.pathname).toBe('/create/templates/acme/install-bp-internal');
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({ environment: 'acme-dev' });
  });

  it('is disabled, with the reason, for users who may not install into the Environment', async () => {
    const { getByRole, findByTitle } = await renderCatalyst(
      <InstallButton blueprint={{ name: 'bp-redis' }} environment="acme-prod" />,
      { allow: false },
    );
    expect(getByRole('button', { name: 'Install bp-redis' })).toHaveAttribute('aria-disabled', 'true');
    // who may, for an Environment whose Organization the page does not know (an unreadable one answers 404)
    expect(
      await findByTitle(
        'Installing in acme-prod needs org-admin or org-developer in its Organization (catalyst.install)',
      ),
    ).toBeInTheDocument();
  });

  it('names the Environment’s Organization in the reason', async () => {
    const api = fakeCatalystApi({ getEnvironment: async () => ({ ...devEnvironment, name: 'acme-stg' }) });
    const { findByTitle } = await renderCatalyst(
      <InstallButton blueprint={{ name: 'bp-redis' }} environment="acme-stg" />,
      { api, allow: false },
    );
    expect(
      await findByTitle('Installing in acme-stg needs org-admin or org-developer on acme (catalyst.install)'),
    ).toBeInTheDocument();
    expect(api.getEnvironment).toHaveBeenCalledWith('acme-stg');
  });
});
