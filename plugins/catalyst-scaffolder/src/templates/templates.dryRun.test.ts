import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { parseYaml } from '@internal/plugin-catalyst-common';
import fs from 'node:fs';
import { resolve } from 'node:path';
import { CatalystTestBackend, startCatalystTestBackend, TEST_USERS } from '../__testUtils__/catalystBackend';
import { catalystScaffolderModule } from '../module';
import { CatalystTemplateProvider } from '@internal/plugin-catalog-backend-module-catalyst';

jest.setTimeout(60_000);

const TEMPLATES_DIR = resolve(__dirname, '../../../../catalog-info/templates');

interface DryRunResult {
  status: number;
  body: {
    log?: Array<{ body: { message: string; stepId?: string; status?: string } }>;
    directoryContents?: Array<{ path: string; base64Content: string }>;
    output?: { links?: Array<{ title?: string; url?: string }>; text?: Array<{ title?: string; content?: string }> };
    errors?: Array<{ property?: string; message?: string }>;
  };
}

/**
 * The templates as users run them: the real scaffolder backend's dry run (the template editor's "Try"
 * button) renders each step's input from the form values with the scaffolder's own templating,
 * checks it against the action's schema, and runs our actions in dry-run mode against the real
 * catalyst backend. It also checks the values against the Template's parameter schemas first.
 */
describe('install and Day-1 templates, dry-run through the scaffolder', () => {
  let b: CatalystTestBackend;
  let generated: Entity[];
  beforeAll(async () => {
    b = await startCatalystTestBackend({ extraFeatures: [scaffolderPlugin, catalystScaffolderModule] });
    const auth = mockServices.auth({ pluginId: 'catalog' });
    const provider = CatalystTemplateProvider.create({
      client: b.client,
      auth,
      logger: mockServices.logger.mock(),
    });
    const connection: EntityProviderConnection = {
      applyMutation: async m => {
        if (m.type === 'full') generated = m.entities.map(e => e.entity);
      },
      refresh: async () => undefined,
    };
    await provider.connect(connection);
    await provider.refresh();
  });
  afterAll(async () => {
    await b?.stop();
  });

  async function dryRun(
    template: unknown,
    values: Record<string, unknown>,
    user: keyof typeof TEST_USERS = 'dev',
  ): Promise<DryRunResult> {
    const res = await fetch(`http://localhost:${b.port}/api/scaffolder/v2/dry-run`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: b.header(user) },
      body: JSON.stringify({ template, values, directoryContents: [] }),
    });
    return { status: res.status, body: await res.json() };
  }
  // The task log prefixes an action's lines with their (coloured) level.
  const ESC = String.fromCharCode(27);
  const messages = (r: DryRunResult) =>
    (r.body.log ?? []).map(l =>
      l.body.message
        .split(ESC)
        .map(part => part.replace(/^\[[0-9;]*m/, ''))
        .join('')
        .replace(/^(info|warn|error): /, ''),
    );
  const files = (r: DryRunResult) => (r.body.directoryContents ?? []).map(f => f.path).sort();
  const handWritten = (file: string) => {
    const parsed = parseYaml(fs.readFileSync(resolve(TEMPLATES_DIR, file), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.errors.map(e => e.message).join('; '));
    return parsed.value;
  };
  const template = (name: string) => generated.find(e => e.metadata.name === name)!;

  const wordpressValues = {
    environment: 'acme-dev',
    name: 'marketing-site',
    version: '1.4.0',
    overlay: 'small',
    values: {
      domain: 'www.acme.example',
      adminEmail: 'web@acme.example',
      replicas: 2,
      postgres: { mode: 'embedded' },
      title: 'ACME',
    },
    dependencies: { db: { use: 'new' } },
  };

  it('runs the generated bp-wordpress Template: plan, then install without committing, both folders rendered', async () => {
    const result = await dryRun(template('install-bp-wordpress'), wordpressValues);
    expect(result.status).toBe(200);
    const log = messages(result);
    expect(log).toEqual(
      expect.arrayContaining([
        'Resolve dependencies: 2 Applications in acme-dev',
        '  marketing-site dependsOn marketing-site-postgres',
      ]),
    );
    expect(log).toContain('Dry run: nothing committed to acme-dev');
    expect(files(result)).toEqual(
      expect.arrayContaining([
        'applications/marketing-site/values.yaml',
        'applications/marketing-site-postgres/values.yaml',
        'flux-system/applications/marketing-site.yaml',
      ]),
    );
    expect(result.body.output?.links?.[0]).toEqual({
      title: 'Open the Application',
      icon: 'catalog',
      url: '/catalog/acme-dev/application/marketing-site',
    });
    expect(await b.client.api.listApplications('acme-dev', await b.as('dev'))).toEqual([]);
  });

  it('refuses form values the generated form would refuse (required field missing), before any step runs', async () => {
    const result = await dryRun(template('install-bp-wordpress'), {
      ...wordpressValues,
      values: { adminEmail: 'web@acme.example', postgres: { mode: 'embedded' } },
    });
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.body.errors)).toContain('domain');
  });

  it('runs the private bp-acme-payments Template for a member of acme', async () => {
    const result = await dryRun(template('install-bp-acme-payments'), {
      environment: 'acme-dev',
      name: 'payments',
      version: '1.0.0',
      overlay: 'small',
      values: { merchantId: 'M123456' },
      dependencies: { db: { use: 'new' }, cache: { use: 'new' } },
    });
    expect(result.status).toBe(200);
    expect(messages(result)).toContain('Resolve dependencies: 3 Applications in acme-dev');
  });

  it('runs the hand-written New Environment template: {org}-{env_type} from the Organization Group ref', async () => {
    const result = await dryRun(handWritten('new-environment.yaml'), {
      organization: 'group:default/acme',
      envType: 'uat',
      environmentName: 'acme-uat',
      placement: { preset: 'medium', regions: [] },
      policyRules: [{ kind: 'pr-required', approvers: ['team-security'] }],
    });
    expect(result.status).toBe(200);
    expect(messages(result)).toEqual(
      expect.arrayContaining([
        'Validate: Environment acme-uat (placement medium; policy rules pr-required)',
        'Dry run: would create acme-uat; nothing created',
      ]),
    );
    expect(result.body.output?.links?.[0]?.url).toBe('/catalog/acme/environment/acme-uat');
  });

  it('runs the hand-written New Organization template for a sovereign-admin', async () => {
    const result = await dryRun(
      handWritten('new-organization.yaml'),
      { name: 'initech', displayName: 'Initech', teams: ['team-web'] },
      'admin',
    );
    expect(result.status).toBe(200);
    expect(messages(result)).toContain('Dry run: would create initech; nothing created');
  });

  it('runs the hand-written Web Starter Bundle template: one Application per part', async () => {
    const result = await dryRun(handWritten('install-starter-bundle.yaml'), {
      environment: 'acme-stg',
      name: 'launch',
      domain: 'launch.acme.example',
      adminEmail: 'web@acme.example',
      siteTitle: 'Launch',
    });
    expect(result.status).toBe(200);
    expect(messages(result)).toContain('Resolve dependencies: 4 Applications in acme-stg');
    expect(files(result).filter(f => f.endsWith('/application.yaml'))).toEqual([
      'applications/launch-postgres/application.yaml',
      'applications/launch-redis/application.yaml',
      'applications/launch-static-site/application.yaml',
      'applications/launch-wordpress/application.yaml',
    ]);
  });
});
