import { screen } from '@testing-library/react';

/** Unmounts what the last {@link renderApp} rendered. */
let unmount: (() => void) | undefined;

/**
 * Renders the whole app with this config, as the built app reads it (APP_CONFIG; the backend
 * injects the same at runtime). Each render loads a fresh copy of the app: an app reads its
 * config once.
 */
function renderApp(catalyst?: Record<string, unknown>) {
  process.env = {
    ...process.env,
    APP_CONFIG: [
      {
        data: {
          app: { title: 'Catalyst', baseUrl: 'http://localhost:7007' },
          backend: { baseUrl: 'http://localhost:7007' },
          ...(catalyst ? { catalyst } : {}),
        },
        context: 'test',
      },
    ] as any,
  };
  jest.isolateModules(() => {
    // React, its renderer and the app from the same fresh registry
    const { act, createElement } = require('react');
    const { createRoot } = require('react-dom/client');
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    act(() => root.render(createElement(require('./App').default)));
    unmount = () => {
      act(() => root.unmount());
      container.remove();
    };
  });
}

/**
 * How long a test waits for the sign-in page, and how long jest lets it run. The first render loads
 * the whole app into a fresh module registry: about 10 s on an idle machine, several times that on
 * a loaded CI runner. These are waits for the page to appear, not limits on how fast it must.
 */
const PAGE_WAIT = { timeout: 60_000 };
const TEST_TIMEOUT_MS = 120_000;

/** The sign-in page's provider cards (catalyst-frontend's CatalystSignInPage), in page order. */
async function providerCards(): Promise<string[]> {
  await screen.findAllByRole('button', { name: /^(Sign in|Enter)$/ }, PAGE_WAIT);
  return screen
    .getAllByRole('listitem')
    .map(card => card.getAttribute('data-testid') ?? '')
    .filter(id => id.startsWith('sign-in-option-'));
}

describe('App', () => {
  const originalEnv = process.env;
  afterEach(() => {
    unmount?.();
    unmount = undefined;
    process.env = originalEnv;
  });

  it(
    'starts on the sign-in page with guest sign-in when no providers are configured (the embedded default)',
    async () => {
      renderApp();
      expect(await screen.findByRole('button', { name: 'Enter' }, PAGE_WAIT)).toBeInTheDocument();
      expect(await providerCards()).toEqual(['sign-in-option-guest']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'offers exactly the providers of catalyst.signIn.providers, in order, skipping unknown names',
    async () => {
      renderApp({ signIn: { providers: ['oidc', 'unknown', 'microsoft'] } });
      expect(await providerCards()).toEqual(['sign-in-option-oidc', 'sign-in-option-microsoft']);
      expect(screen.queryByRole('button', { name: 'Enter' })).not.toBeInTheDocument();
    },
    TEST_TIMEOUT_MS,
  );
});
