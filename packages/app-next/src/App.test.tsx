import { render, screen, within } from '@testing-library/react';
import App from './App';
import { startAsBuilt } from './__testUtils__/startAsBuilt';

// One app per test file: an app reads its config and features once.
describe('app-next', () => {
  let restore: () => void;
  afterEach(() => restore());

  it('installs the catalyst plugin feature discovery found, and opens on its marketplace', async () => {
    // past the sign-in page (App.signIn.test.tsx), with the app's built-in guest identity
    restore = startAsBuilt({ path: '/', extensions: [{ 'sign-in-page:app': false }] });
    render(App.createRoot());
    // the first render loads every discovered feature: give a loaded CI machine time (a wait, not a limit)
    expect(await screen.findByRole('heading', { name: 'Marketplace' }, { timeout: 60_000 })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/catalyst/marketplace');
    const nav = screen.getByRole('navigation');
    expect(within(nav).getByRole('link', { name: 'Marketplace' })).toHaveAttribute('href', '/catalyst');
    expect(within(nav).getByRole('link', { name: 'Environments' })).toHaveAttribute('href', '/catalyst/environments');
  }, 120_000);
});
