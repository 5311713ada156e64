import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  CatalystTestBackend,
  MATRIX_BINDINGS,
  MATRIX_ROWS,
  MATRIX_USERS,
  MatrixRow,
  startCatalystTestBackend,
} from '@internal/catalyst-test-utils';
import { createCatalystBackendClient } from '@internal/plugin-catalyst-node';
// Tests only: the actions are tested against the real catalyst backend, installed by package.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import catalystBackend from '@internal/plugin-catalyst-backend';
import catalystPermissionPolicy from '@internal/plugin-permission-backend-module-catalyst';
import { actionContext } from '../__testUtils__/actionContext';
import { createCatalystActions } from '.';

jest.setTimeout(60_000);

/** Allowed: what the step did, by its outputs; refused: the error the step fails with. */
type Outcome = { allowed: 'planned' | 'committed' | 'created' } | { error: string; message: string };
const PLANNED: Outcome = { allowed: 'planned' };
const COMMITTED: Outcome = { allowed: 'committed' };
const CREATED: Outcome = { allowed: 'created' };
const refused = (error: string, message: string): Outcome => ({ error, message });
const notAllowed = (action: string, where: string) => refused('NotAllowedError', `you may not ${action} in ${where}`);
const hidden = (env: string) => refused('NotFoundError', `Environment ${env} does not exist`);
const sovereignOnly = refused('NotAllowedError', 'only a sovereign-admin may create Organizations');

/**
 * Issue 12's authorization matrix, the scaffolder surface: every `catalyst:*` action run as every
 * row of the matrix (people: @internal/catalyst-test-utils `MATRIX_USERS`), each against the real
 * catalyst backend with the real permission backend and Catalyst's policy.
 *
 * Each real action handler runs with the context the scaffolder would give one step of a task whose
 * initiator is that user (`getInitiatorCredentials`); the action calls the catalyst API with a token
 * for that user, as in production. The scaffolder plugin around it is not started: its own gate
 * (`scaffolder.*` permissions: a role in some Organization) is a decision of Catalyst's policy,
 * covered by that policy's tests; what each action may do is decided by the catalyst API, here.
 * Each cell is written from the role table (catalyst-common `access/roles.ts`), not computed.
 */
describe('authorization matrix (scaffolder catalyst:* actions)', () => {
  let b: CatalystTestBackend;
  let actions: ReturnType<typeof createCatalystActions>;
  const credentials = (who: MatrixRow | 'author') => mockCredentials.user(MATRIX_USERS[who].ref);

  const run = async (id: string, who: MatrixRow | 'author', input: object): Promise<Outcome> => {
    const action = actions.find(a => a.id === id)!;
    const step = actionContext(action, { input, credentials: credentials(who), stepId: id });
    try {
      await step.run();
      if (step.outputs.commit) return COMMITTED;
      if (step.outputs.repository || id === 'catalyst:organization:create') return CREATED;
      if (step.outputs.plan) return PLANNED;
      throw new Error(`${id} ran as ${who} without a commit, a creation or a plan`);
    } catch (e) {
      return refused((e as Error).name, (e as Error).message);
    }
  };

  beforeAll(async () => {
    b = await startCatalystTestBackend({
      catalyst: [catalystBackend, catalystPermissionPolicy],
      users: Object.values(MATRIX_USERS),
      bindings: MATRIX_BINDINGS,
    });
    const port = b.server.port();
    const client = createCatalystBackendClient({
      discovery: { getBaseUrl: async pluginId => `http://localhost:${port}/api/${pluginId}` },
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
    });
    actions = createCatalystActions({ client });
    // one Application each may configure, one each may promote (so every cell is decided by access only)
    for (const who of MATRIX_ROWS) {
      for (const application of [`conf-${who}`, `promo-${who}`]) {
        const installed = await run('catalyst:application:install', 'author', {
          environment: 'acme-dev',
          application,
          blueprint: 'bp-redis',
        });
        if (!('allowed' in installed)) throw new Error(`fixture ${application} not installed: ${installed.message}`);
      }
    }
  }, 180_000);
  afterAll(() => b?.stop());

  const cells: Record<string, { id: string; input: (who: MatrixRow) => object; cells: Record<MatrixRow, Outcome> }> = {
    'plan in acme-dev': {
      id: 'catalyst:application:plan',
      input: who => ({ environment: 'acme-dev', application: `plan-${who}`, blueprint: 'bp-redis' }),
      cells: {
        root: PLANNED,
        admin: PLANNED,
        dev: PLANNED,
        viewer: notAllowed('install', 'acme-dev'),
        security: notAllowed('install', 'acme-dev'),
        outsider: hidden('acme-dev'),
        narrowed: PLANNED,
      },
    },
    'install in acme-dev': {
      id: 'catalyst:application:install',
      input: who => ({ environment: 'acme-dev', application: `new-${who}`, blueprint: 'bp-redis' }),
      cells: {
        root: COMMITTED,
        admin: COMMITTED,
        dev: COMMITTED,
        viewer: notAllowed('install', 'acme-dev'),
        security: notAllowed('install', 'acme-dev'),
        outsider: hidden('acme-dev'),
        narrowed: COMMITTED,
      },
    },
    'install in globex-dev (the other Organization)': {
      id: 'catalyst:application:install',
      input: who => ({ environment: 'globex-dev', application: `new-${who}`, blueprint: 'bp-redis' }),
      cells: {
        root: COMMITTED,
        admin: hidden('globex-dev'),
        dev: hidden('globex-dev'),
        viewer: hidden('globex-dev'),
        security: hidden('globex-dev'),
        outsider: COMMITTED,
        narrowed: hidden('globex-dev'),
      },
    },
    'install in acme-stg (outside the narrowed grant)': {
      id: 'catalyst:application:install',
      input: who => ({ environment: 'acme-stg', application: `stg-${who}`, blueprint: 'bp-redis' }),
      cells: {
        root: COMMITTED,
        admin: COMMITTED,
        dev: COMMITTED,
        viewer: notAllowed('install', 'acme-stg'),
        security: notAllowed('install', 'acme-stg'),
        outsider: hidden('acme-stg'),
        narrowed: hidden('acme-stg'),
      },
    },
    'configure in acme-dev': {
      id: 'catalyst:application:configure',
      input: who => ({ environment: 'acme-dev', application: `conf-${who}`, values: { maxMemory: '128mb' } }),
      cells: {
        root: COMMITTED,
        admin: COMMITTED,
        dev: COMMITTED,
        viewer: notAllowed('configure', 'acme-dev'),
        security: notAllowed('configure', 'acme-dev'),
        outsider: hidden('acme-dev'),
        narrowed: COMMITTED,
      },
    },
    'promote acme-dev → acme-stg': {
      id: 'catalyst:application:promote',
      input: who => ({ environment: 'acme-dev', application: `promo-${who}`, targetEnvironment: 'acme-stg' }),
      cells: {
        root: COMMITTED,
        admin: COMMITTED,
        dev: COMMITTED,
        viewer: notAllowed('promote', 'acme-stg'),
        security: notAllowed('promote', 'acme-stg'),
        outsider: hidden('acme-dev'),
        // reads the source, but the destination is outside the grant
        narrowed: hidden('acme-stg'),
      },
    },
    'create an Environment of acme (manage-environment)': {
      id: 'catalyst:environment:create',
      // two may: each creates its own type
      input: who => ({ organization: 'acme', envType: who === 'root' ? 'uat' : 'poc' }),
      cells: {
        root: CREATED,
        admin: CREATED,
        dev: notAllowed('manage-environment', 'Organization acme'),
        viewer: notAllowed('manage-environment', 'Organization acme'),
        security: notAllowed('manage-environment', 'Organization acme'),
        outsider: refused('NotFoundError', 'Organization acme does not exist'),
        narrowed: notAllowed('manage-environment', 'Organization acme'),
      },
    },
    'create an Organization (the Sovereign)': {
      id: 'catalyst:organization:create',
      input: who => ({ name: `org-${who}`, displayName: `Org of ${who}` }),
      cells: {
        root: CREATED,
        admin: sovereignOnly,
        dev: sovereignOnly,
        viewer: sovereignOnly,
        security: sovereignOnly,
        outsider: sovereignOnly,
        narrowed: sovereignOnly,
      },
    },
  };

  it.each(Object.keys(cells))('%s, as every caller', async name => {
    const { id, input, cells: expected } = cells[name];
    const outcomes: Record<string, Outcome> = {};
    for (const who of MATRIX_ROWS) {
      const outcome = await run(id, who, input(who));
      // the message cut to the part the cell names, when it says it
      outcomes[who] =
        'message' in outcome && 'message' in expected[who] && outcome.message.includes(expected[who].message)
          ? { ...outcome, message: expected[who].message }
          : outcome;
    }
    expect(outcomes).toEqual(expected);
  });
});
