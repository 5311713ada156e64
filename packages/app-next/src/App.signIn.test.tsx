import { render, screen } from '@testing-library/react';
import App from './App';
import { startAsBuilt } from './__testUtils__/startAsBuilt';

describe('app-next sign-in', () => {
  let restore: () => void;
  afterEach(() => restore());

  it('starts on the guest sign-in page', async () => {
    restore = startAsBuilt({ path: '/' });
    render(App.createRoot());
    expect(await screen.findByRole('button', { name: 'Enter' })).toBeInTheDocument();
  });
});
