import appNextYaml from '../../app-config.yaml';

/** What the CLI's feature discovery puts on the page for the packages it found (see README). */
interface Discovered {
  modules: Array<{ name: string; export?: string; default: unknown }>;
}

/**
 * Prepares jsdom the way the built app starts: the config it was built with (this package's
 * app-config.yaml, plus `extensions`) as APP_CONFIG, and on the page the features discovery finds
 * that Catalyst needs (the catalog, whose entity pages its pages link to, and the scaffolder, whose
 * Templates Install opens). Returns the function that restores both.
 */
export function startAsBuilt(options: { path: string; extensions?: unknown[] }): () => void {
  const originalEnv = process.env;
  // the build reads the file as YAML; jest's transform hands over the parsed object
  const app = (appNextYaml as unknown as { app: { extensions: unknown[] } }).app;
  process.env = {
    ...process.env,
    APP_CONFIG: [
      {
        data: {
          app: {
            ...app,
            title: 'Catalyst',
            baseUrl: 'http://localhost:7007',
            extensions: [...app.extensions, ...(options.extensions ?? [])],
          },
          backend: { baseUrl: 'http://localhost:7007' },
        },
        context: 'test',
      },
    ] as any,
  };
  const discovered: Discovered = {
    modules: [
      {
        name: '@backstage/plugin-catalog',
        export: './alpha',
        default: require('@backstage/plugin-catalog/alpha').default,
      },
      {
        name: '@backstage/plugin-scaffolder',
        export: './alpha',
        default: require('@backstage/plugin-scaffolder/alpha').default,
      },
      {
        name: '@internal/plugin-catalyst-frontend',
        export: './alpha',
        default: require('@internal/plugin-catalyst-frontend/alpha').default,
      },
    ],
  };
  (window as any)['__@backstage/discovered__'] = discovered;
  window.history.pushState({}, '', options.path);
  return () => {
    process.env = originalEnv;
    delete (window as any)['__@backstage/discovered__'];
  };
}
