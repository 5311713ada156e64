import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockCredentials, startTestBackend } from '@backstage/backend-test-utils';
import type { CatalystBackendClient } from './CatalystBackendClient';
import { catalystApiClientServiceRef } from './serviceRef';

describe('catalystApiClientServiceRef', () => {
  it('by default finds the catalyst plugin through discovery and calls it as the user the caller names', async () => {
    const seenBy: string[] = [];
    // Stands in for the catalyst backend: answers GET /environments with who the call came from.
    const fakeCatalyst = createBackendPlugin({
      pluginId: 'catalyst',
      register(env) {
        env.registerInit({
          deps: { httpRouter: coreServices.httpRouter, httpAuth: coreServices.httpAuth },
          async init({ httpRouter, httpAuth }) {
            httpRouter.use(async (req, res, next) => {
              if (req.method !== 'GET' || req.path !== '/environments') return next();
              const credentials = await httpAuth.credentials(req, { allow: ['user'] });
              seenBy.push(credentials.principal.userEntityRef);
              return res.json({ items: [] });
            });
          },
        });
      },
    });
    let client: CatalystBackendClient | undefined;
    const consumer = createBackendPlugin({
      pluginId: 'consumer',
      register(env) {
        env.registerInit({
          deps: { catalyst: catalystApiClientServiceRef },
          async init({ catalyst }) {
            client = catalyst;
          },
        });
      },
    });
    const backend = await startTestBackend({ features: [fakeCatalyst, consumer] });
    try {
      const options = await client!.as(mockCredentials.user('user:default/layla'));
      await expect(client!.api.listEnvironments({}, options)).resolves.toEqual([]);
      expect(seenBy).toEqual(['user:default/layla']);
    } finally {
      await backend.stop();
    }
  });
});
