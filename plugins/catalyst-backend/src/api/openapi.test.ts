import { createEnvironmentBodySchema, installBodySchema, updateBodySchema } from '@internal/plugin-catalyst-common';
import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { CATALYST_OPERATIONS, catalystOpenApiDocument, openApiPath } from './openapi';

// eslint-disable-next-line no-restricted-syntax -- the test reads the plugin's own sources
const SRC = resolve(__dirname, '..');

/** Every `router.<method>('<path>'` in the plugin's shipped sources. */
function registeredRoutes(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('__') && entry.name !== 'testUtils') walk(path);
      } else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        for (const m of fs.readFileSync(path, 'utf8').matchAll(/router\.(get|post|patch|put|delete)\(\s*'([^']+)'/g)) {
          out.push(`${m[1].toUpperCase()} ${m[2]}`);
        }
      }
    }
  };
  walk(SRC);
  return out.sort();
}

describe('the OpenAPI document', () => {
  const doc = catalystOpenApiDocument('1.2.3') as {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        {
          parameters: Array<{ name: string; in: string; required?: boolean }>;
          requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
          responses: Record<string, unknown>;
          security?: unknown[];
        }
      >
    >;
  };

  it('documents exactly the routes the plugin registers', () => {
    const documented = CATALYST_OPERATIONS.map(op => `${op.method.toUpperCase()} ${op.path}`).sort();
    const registered = registeredRoutes();
    expect(registered.length).toBeGreaterThan(20);
    expect(documented).toEqual(registered);
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('declares every path parameter, and credentials on all but the public routes', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      const inPath = [...path.matchAll(/\{([A-Za-z]+)\}/g)].map(m => m[1]).sort();
      for (const op of Object.values(methods)) {
        const declared = op.parameters.filter(p => p.in === 'path');
        expect([path, declared.map(p => p.name).sort()]).toEqual([path, inPath]);
        expect(declared.every(p => p.required === true && 'schema' in p)).toBe(true);
        const isPublic = path === '/health' || path === '/openapi.json';
        expect([path, 'security' in op, '401' in op.responses]).toEqual([path, isPublic, !isPublic]);
      }
    }
    expect(openApiPath('/environments/:environment/applications/:application')).toBe(
      '/environments/{environment}/applications/{application}',
    );
    // The name patterns are catalyst-common's: a valid name matches, a malformed one does not.
    const params = doc.paths['/environments/{environment}/applications/{application}'].get
      .parameters as unknown as Array<{ name: string; schema: { pattern: string } }>;
    const pattern = (name: string) => new RegExp(params.find(p => p.name === name)!.schema.pattern);
    expect(['acme-dev', 'acme-prod', 'Acme-dev', 'acme-staging'].map(n => pattern('environment').test(n))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(['marketing-site', 'Marketing', 'site-'].map(n => pattern('application').test(n))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('takes request bodies from the zod schemas the routes validate with', () => {
    const body = (path: string, method: string) =>
      doc.paths[path][method].requestBody!.content['application/json'].schema;
    const install = body('/environments/{environment}/applications', 'post');
    expect(install).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: expect.arrayContaining(['application', 'blueprint']),
    });
    expect(Object.keys(install.properties as object).sort()).toEqual(Object.keys(installBodySchema.shape).sort());
    expect(body('/environments/{environment}/plan', 'post')).toEqual(install);
    const create = body('/environments', 'post');
    expect(Object.keys(create.properties as object).sort()).toEqual(
      Object.keys(createEnvironmentBodySchema.shape).sort(),
    );
    expect((create.properties as Record<string, { enum?: string[] }>).envType.enum).toEqual(
      expect.arrayContaining(['dev', 'stg', 'prod']),
    );
    // Defaults are optional for a client (io: input): only what has no default is required.
    expect(create.required).toEqual(['organization', 'envType']);
    const patch = body('/environments/{environment}/applications/{application}', 'patch');
    expect(Object.keys(patch.properties as object).sort()).toEqual(Object.keys(updateBodySchema.shape).sort());
    expect(Object.keys(patch.properties as object)).toContain('paused');
    expect(doc.paths['/environments/{environment}/applications'].get.requestBody).toBeUndefined();
  });
});
