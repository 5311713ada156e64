import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import request from 'supertest';
import {
  CatalystTestBackend,
  MATRIX_BINDINGS as bindings,
  MATRIX_ROWS as WHO,
  MATRIX_USERS as users,
  MatrixRow as Who,
} from '@internal/catalyst-test-utils';
import catalogModuleCatalyst from '@internal/plugin-catalog-backend-module-catalyst';
import kubernetesModuleCatalyst from '@internal/plugin-kubernetes-backend-module-catalyst';
import { CATALYST_ANNOTATIONS } from '@internal/plugin-catalyst-common';
import { startBackendUnderTest } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

/** The fixtures' Catalyst entities (`kind:namespace/name`), acme's private Blueprint and its Template among them. */
const ACME_REFS = [
  'environment:acme/acme-dev',
  'environment:acme/acme-stg',
  'application:acme-dev/cache',
  'application:acme-stg/stg-cache',
  'blueprint:acme/bp-acme-payments',
  'template:acme/install-bp-acme-payments',
];
const GLOBEX_REFS = ['environment:globex/globex-dev', 'application:globex-dev/web'];
const FIXTURE_REFS = [...ACME_REFS, ...GLOBEX_REFS];
/** acme's entities of an Environment other than acme-dev: not shown to the grant narrowed to acme-dev. */
const OUTSIDE_NARROWED = ['application:acme-stg/stg-cache', 'environment:acme/acme-prod', 'environment:acme/acme-stg'];
/** Who has a role in each Organization (the sovereign-admin in every one). */
const MEMBERS: Record<'acme' | 'globex', Who[]> = {
  acme: ['root', 'admin', 'dev', 'viewer', 'security', 'narrowed'],
  globex: ['root', 'outsider'],
};

/** Whether the catalog shows `ref` to `who`: a role in its Organization, and its Environment in the grant. */
const mayRead = (who: Who, ref: string) =>
  MEMBERS[ACME_REFS.includes(ref) ? 'acme' : 'globex'].includes(who) &&
  !(who === 'narrowed' && OUTSIDE_NARROWED.includes(ref));

const parseRef = (ref: string) => {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return { kind, namespace, name };
};

/**
 * Issue 12's authorization matrix, the surfaces Backstage's own plugins serve: the catalog (Catalyst's
 * entities and Templates, published by its catalog module into the real catalog plugin) and the
 * Kubernetes plugin (its clusters from Catalyst's module, one per Environment). Every call is a real
 * HTTP call to the real plugin as the user, decided by Catalyst's permission policy on the real
 * permission backend and by the catalog's own filtering; each cell is written from the role table and
 * the policy's documented rules, not computed. Where an allowed Kubernetes call ends under jest, see
 * `outcome` below.
 *
 * Fixtures: one Application in each Organization's dev Environment (acme-dev `cache`, globex-dev
 * `web`) and one in acme-stg (`stg-cache`, outside the narrowed grant).
 */
describe('authorization matrix (catalog, Kubernetes proxy)', () => {
  let b: CatalystTestBackend;
  /** Each Catalyst entity's Organization, as the sovereign-admin reads it. */
  const organizationOf: Record<string, string> = {};
  const as = (who: Who) => ({ Authorization: b.header(users[who].ref) });

  /** Every entity marked with an Organization that the caller's catalog lists, sorted by ref. */
  const catalystEntities = async (who: Who) => {
    const res = await request(b.server)
      .get('/api/catalog/entities/by-query')
      .query({ filter: `metadata.annotations.${CATALYST_ANNOTATIONS.organization}`, limit: 1000 })
      .set(as(who));
    if (res.status !== 200) throw new Error(`catalog answered ${res.status} to ${who}`);
    return (
      res.body.items as Array<{
        kind: string;
        metadata: { namespace: string; name: string; annotations: Record<string, string> };
      }>
    )
      .map(e => ({
        ref: `${e.kind.toLowerCase()}:${e.metadata.namespace}/${e.metadata.name}`,
        organization: e.metadata.annotations[CATALYST_ANNOTATIONS.organization],
      }))
      .sort((x, y) => x.ref.localeCompare(y.ref));
  };
  const entityNames = async (who: Who) => (await catalystEntities(who)).map(e => e.ref);

  beforeAll(async () => {
    b = await startBackendUnderTest({
      users: Object.values(users),
      bindings,
      // one cluster per Environment for the kubernetes plugin; nothing listens there (see `outcome`)
      config: {
        clusters: [{ name: 'devcluster', type: 'devcluster', url: 'http://127.0.0.1:9/', environments: ['*'] }],
      },
      rootConfig: { kubernetes: { serviceLocatorMethod: { type: 'singleTenant' }, clusterLocatorMethods: [] } },
      // as production wires it: the Template kind, and Catalyst's entities and Templates
      catalog: [catalogPlugin, catalogModuleScaffolderEntityModel, catalogModuleCatalyst],
      extraFeatures: [kubernetesPlugin, kubernetesModuleCatalyst],
    });
    for (const [env, application] of [
      ['acme-dev', 'cache'],
      ['acme-stg', 'stg-cache'],
      ['globex-dev', 'web'],
    ]) {
      const res = await request(b.server)
        .post(`/api/catalyst/environments/${env}/applications`)
        .set(as('root'))
        .send({ application, blueprint: 'bp-redis' });
      if (res.status !== 201) throw new Error(`${application} not installed in ${env}: ${res.status} ${res.text}`);
    }
    // The entity provider runs on the (test) scheduler only when triggered; the catalog then
    // processes and stitches on its own loop, awaited here as the root user sees it.
    await b.triggerTask('catalyst-entity-provider');
    await b.triggerTask('catalyst-template-provider');
    for (let attempt = 0; ; attempt++) {
      const names = await entityNames('root');
      const missing = FIXTURE_REFS.filter(ref => !names.includes(ref));
      if (missing.length === 0) break;
      if (attempt === 100)
        throw new Error(`the catalog never listed ${missing.join(', ')}; it has ${names.join(', ')}`);
      await new Promise(r => setTimeout(r, 200));
    }
    for (const e of await catalystEntities('root')) organizationOf[e.ref] = e.organization;
  }, 180_000);
  afterAll(() => b?.stop());

  describe('catalog', () => {
    it('lists each caller the Catalyst entities of their Organizations only (GET /entities/by-query)', async () => {
      const listed: Record<string, string[]> = {};
      for (const who of WHO) listed[who] = await entityNames(who);
      // what each Organization has beyond the fixtures (its Groups and teams), as the sovereign sees it
      const acme = listed.root.filter(ref => organizationOf[ref] === 'acme');
      const globex = listed.root.filter(ref => organizationOf[ref] === 'globex');
      expect(acme).toEqual(expect.arrayContaining(ACME_REFS));
      expect(globex).toEqual(expect.arrayContaining(GLOBEX_REFS));
      expect(listed).toEqual({
        root: [...acme, ...globex].sort(),
        admin: acme,
        dev: acme,
        viewer: acme,
        security: acme,
        outsider: globex,
        // a grant narrowed to acme-dev: acme's entities of no Environment (Groups, Blueprints) and of acme-dev
        narrowed: acme.filter(ref => !OUTSIDE_NARROWED.includes(ref)),
      });
    });

    /** The catalog's answer for one entity by name: 200, or 404 as for an entity that does not exist. */
    const byName = async (who: Who, ref: string) => {
      const { kind, namespace, name } = parseRef(ref);
      const res = await request(b.server)
        .get(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`)
        .set(as(who));
      return res.status === 200
        ? {
            status: 200,
            ref: `${res.body.kind.toLowerCase()}:${res.body.metadata.namespace}/${res.body.metadata.name}`,
          }
        : { status: res.status, error: res.body.error?.name, message: res.body.error?.message };
    };
    it.each(FIXTURE_REFS)('GET /api/catalog/entities/by-name of %s, as every caller', async ref => {
      const { kind, namespace, name } = parseRef(ref);
      const answers: Record<string, object> = {};
      const expected: Record<string, object> = {};
      for (const who of WHO) {
        answers[who] = await byName(who, ref);
        expected[who] = mayRead(who, ref)
          ? { status: 200, ref }
          : {
              status: 404,
              error: 'NotFoundError',
              message: `No entity named '${name}' found, with kind '${kind}' in namespace '${namespace}'`,
            };
      }
      expect(answers).toEqual(expected);
    });
  });

  describe('Kubernetes', () => {
    const ALLOWED = { allowed: 'past authorization, calling the cluster' };

    /**
     * A call the kubernetes plugin let through: past its permission check and its catalog read as
     * the caller, it loads its cluster client — `await import('@kubernetes/client-node')`, an ES
     * module that jest's CommonJS runtime cannot load dynamically — to call the cluster. So under
     * jest an allowed call ends there, after everything this matrix decides; a real backend goes on
     * to the cluster (the devcluster's list/watch is tested by the read side's informer tests).
     */
    const outcome = (res: request.Response) => {
      // `POST /services/:id` answers its 500s with the message as `error`
      const error = res.body.error as { name?: string; message?: string } | string | undefined;
      const message = typeof error === 'string' ? error : error?.message;
      if (res.status === 500 && /dynamic import callback/.test(message ?? '')) return ALLOWED;
      // answered without calling a cluster: none of the entity's clusters is one the caller may read
      if (res.status === 200)
        return { status: 200, clusters: res.body.items.map((i: { cluster: object }) => i.cluster) };
      return { status: res.status, error: typeof error === 'string' ? undefined : error?.name, message };
    };

    it.each(['application:acme-dev/cache', 'application:acme-stg/stg-cache', 'application:globex-dev/web'])(
      'POST /api/kubernetes/resources/workloads/query for %s, as every caller',
      async ref => {
        const answers: Record<string, object> = {};
        const expected: Record<string, object> = {};
        for (const who of WHO) {
          answers[who] = outcome(
            await request(b.server)
              .post('/api/kubernetes/resources/workloads/query')
              .set(as(who))
              .send({ entityRef: ref, auth: {} }),
          );
          // the plugin reads the entity through the catalog as the caller: not readable, not there
          expected[who] = mayRead(who, ref)
            ? ALLOWED
            : { status: 400, error: 'InputError', message: `Entity ref missing, ${ref}` };
        }
        expect(answers).toEqual(expected);
      },
    );

    it("POST /api/kubernetes/services/:entity with another Organization's entity in the body is refused", async () => {
      const answers: Record<string, object> = {};
      const expected: Record<string, object> = {};
      const entity = {
        apiVersion: 'catalyst.openova.io/v1alpha1',
        kind: 'Application',
        metadata: { namespace: 'acme-dev', name: 'cache' },
      };
      for (const who of WHO) {
        answers[who] = outcome(
          await request(b.server).post('/api/kubernetes/services/cache').set(as(who)).send({ entity, auth: {} }),
        );
        expected[who] = MEMBERS.acme.includes(who)
          ? ALLOWED
          : { status: 403, error: 'NotAllowedError', message: 'Entity not found, application:acme-dev/cache' };
      }
      expect(answers).toEqual(expected);
    });

    it('proxies to a cluster for a sovereign-admin only (GET /api/kubernetes/proxy/... with Backstage-Kubernetes-Cluster)', async () => {
      const answers: Record<string, object> = {};
      const expected: Record<string, object> = {};
      for (const [cluster, namespace] of [
        ['devcluster-acme-dev', 'cache'],
        ['devcluster-globex-dev', 'web'],
      ]) {
        for (const who of WHO) {
          answers[`${who} → ${cluster}`] = outcome(
            await request(b.server)
              .get(`/api/kubernetes/proxy/apis/apps/v1/namespaces/${namespace}/deployments`)
              .set({ ...as(who), 'Backstage-Kubernetes-Cluster': cluster }),
          );
          // the proxy knows no Organizations (a devcluster serves them all): a sovereign-admin's only
          expected[`${who} → ${cluster}`] =
            who === 'root' ? ALLOWED : { status: 403, error: 'NotAllowedError', message: 'Unauthorized' };
        }
      }
      expect(answers).toEqual(expected);
    });

    it('lists each caller the clusters of the Environments they may read (GET /api/kubernetes/clusters)', async () => {
      const answers: Record<string, object> = {};
      for (const who of WHO) {
        const res = await request(b.server).get('/api/kubernetes/clusters').set(as(who));
        answers[who] = { status: res.status, clusters: (res.body.items ?? []).map((c: { name: string }) => c.name) };
      }
      const acme = ['devcluster-acme-dev', 'devcluster-acme-prod', 'devcluster-acme-stg'];
      expect(answers).toEqual({
        root: { status: 200, clusters: [...acme, 'devcluster-globex-dev'] },
        admin: { status: 200, clusters: acme },
        dev: { status: 200, clusters: acme },
        viewer: { status: 200, clusters: acme },
        security: { status: 200, clusters: acme },
        outsider: { status: 200, clusters: ['devcluster-globex-dev'] },
        narrowed: { status: 200, clusters: ['devcluster-acme-dev'] },
      });
    });
  });

  // Last: the sovereign-admin's cell deletes the entity the other tests read.
  describe('catalog writes', () => {
    it('DELETE /api/catalog/entities/by-uid of an acme Application, as every caller (who knows its uid)', async () => {
      const ref = 'application:acme-dev/cache';
      const { kind, namespace, name } = parseRef(ref);
      const entity = await request(b.server)
        .get(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`)
        .set(as('root'));
      const answers: Record<string, object> = {};
      // the sovereign-admin last, so every other row meets the entity still there
      for (const who of [...WHO.filter(w => w !== 'root'), 'root' as Who]) {
        const res = await request(b.server)
          .delete(`/api/catalog/entities/by-uid/${entity.body.metadata.uid}`)
          .set(as(who));
        const still = await request(b.server)
          .get(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`)
          .set(as('root'));
        answers[who] = {
          status: res.status,
          error: res.body.error?.name,
          message: res.body.error?.message,
          still: still.status === 200,
        };
      }
      // The registry's entities change through the catalyst API, not by hand: not even an org-admin
      // deletes one (another Organization's least of all); a sovereign-admin may.
      // (the catalog's refusal carries no message)
      const refused = { status: 403, error: 'NotAllowedError', message: '', still: true };
      expect(answers).toEqual({
        admin: refused,
        dev: refused,
        viewer: refused,
        security: refused,
        outsider: refused,
        narrowed: refused,
        root: { status: 204, error: undefined, message: undefined, still: false },
      });
    });
  });
});
