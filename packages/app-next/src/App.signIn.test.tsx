import { render, screen } from '@testing-library/react';
import App from './App';
import { startAsBuilt } from './__testUtils__/startAsBuilt';

describe('app-next sign-in', () => {
  let restore: () => void;
  afterEach(() => restore());

  it("starts on catalyst-frontend's sign-in page, with the guest card when no provider is configured", async () => {
    restore = startAsBuilt({ path: '/' });
    render(App.createRoot());
    // Catalyst's page, not the app plugin's default: its cards carry the provider they sign in with
    const guest = await screen.findByTestId('sign-in-option-guest', {}, { timeout: 60_000 });
    expect(guest).toHaveTextContent('Look around (read-only)');
    expect(screen.getByRole('button', { name: 'Enter' })).toBeEnabled();
  }, 120_000);
});
