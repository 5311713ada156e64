import { renderCatalyst } from '../../__testUtils__/fakes';
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
    const { getByRole, getByTitle } = await renderCatalyst(
      <InstallButton blueprint={{ name: 'bp-redis' }} environment="acme-prod" />,
      { allow: false },
    );
    expect(getByRole('button', { name: 'Install bp-redis' })).toHaveAttribute('aria-disabled', 'true');
    expect(getByTitle('You may not install into acme-prod')).toBeInTheDocument();
  });
});
