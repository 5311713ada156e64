import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  BlueprintDetail,
  BlueprintSummary,
  createEnvironmentBodySchema,
  createOrganizationBodySchema,
  EnvironmentOverview,
  installBodySchema,
  OrganizationSummary,
  parseEnvironmentName,
  rollbackBodySchema,
  updateBodySchema,
  validateApplicationName,
  validateOrganizationName,
} from '@internal/plugin-catalyst-common';
import { CatalystAccess, CatalystAction, CatalystPrincipal } from '@internal/plugin-catalyst-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { GitBlueprintRegistry } from '../blueprints/GitBlueprintRegistry';
import { blueprintDetail, blueprintSummaries, visibleToPrincipal } from '../blueprints/blueprintViews';
import { DatabaseOrganizationStore } from '../database/DatabaseOrganizationStore';
import { EnvironmentController } from '../environments/EnvironmentController';
import { ProvisioningService } from '../provisioning/ProvisioningService';

export interface WriteRoutesOptions {
  httpAuth: HttpAuthService;
  access: CatalystAccess;
  store: DatabaseOrganizationStore;
  registry: GitBlueprintRegistry;
  provisioning: ProvisioningService;
  controller: EnvironmentController;
  sovereign: string;
  now: () => Date;
  logger: LoggerService;
}

/** Parses with zod and turns the first problems into one InputError naming the fields. */
function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map(i => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
    throw new InputError(`Invalid request: ${problems.join('; ')}`);
  }
  return parsed.data;
}

const envParam = (req: Request) => {
  const name = req.params.environment;
  const parsed = parseEnvironmentName(name, 'environment');
  if (!parsed.ok) throw new InputError(`environment: ${parsed.errors[0].message}`);
  return name;
};

const appParam = (req: Request) => {
  const name = req.params.application;
  const checked = validateApplicationName(name, 'application');
  if (!checked.ok) throw new InputError(`application: ${checked.errors[0].message}`);
  return name;
};

/**
 * The write side of the catalyst REST API (documented in the plugin README): Blueprints,
 * Organizations, Environments and Applications. Every route authenticates, then authorizes the
 * action in its Organization/Environment through CatalystAccess, before touching anything.
 */
export async function createWriteRoutes(o: WriteRoutesOptions): Promise<express.Router> {
  const router = Router();

  const principal = async (req: Request): Promise<CatalystPrincipal> =>
    o.access.principal(await o.httpAuth.credentials(req, { allow: ['user'] }));
  /** Catalog readers (the entity and Template providers) call as services and see every Blueprint. */
  const reader = async (req: Request): Promise<CatalystPrincipal> =>
    o.access.principal(await o.httpAuth.credentials(req, { allow: ['user', 'service'] }));

  const require = async (p: CatalystPrincipal, action: CatalystAction, organization: string, environment?: string) => {
    const decision = await o.access.authorize(p, action, { organization, ...(environment ? { environment } : {}) });
    if (!decision.allowed) throw new NotAllowedError(decision.reason);
  };

  /** Authorizes an action in an existing Environment; 404 first, so names of others' Environments don't leak by status. */
  const envFor = async (p: CatalystPrincipal, name: string, action: CatalystAction) => {
    const env = await o.store.getEnvironment(name);
    const readable =
      env && (await o.access.authorize(p, 'read', { organization: env.organization, environment: name })).allowed;
    if (!env || !readable) throw new NotFoundError(`Environment ${name} does not exist`);
    if (action !== 'read') await require(p, action, env.organization, name);
    return env;
  };

  const actor = (p: CatalystPrincipal) => ({
    userRef: p.userRef,
    displayName: p.displayName,
    ...(p.email ? { email: p.email } : {}),
  });

  // Blueprints -----------------------------------------------------------------------------------

  router.get('/blueprints', async (req, res) => {
    const p = await reader(req);
    const q = z
      .object({
        q: z.string().max(100).optional(),
        category: z.string().max(50).optional(),
        organization: z.string().optional(),
      })
      .safeParse(req.query);
    if (!q.success) throw new InputError(`Invalid query: ${q.error.issues[0].message}`);
    const readableOrgs = await readableOrganizations(o, p);
    let items: BlueprintSummary[] = blueprintSummaries(o.registry.catalog(), readableOrgs);
    const term = q.data.q?.trim().toLowerCase();
    items = items.filter(b => {
      // unlisted Blueprints are found by their exact name only (BPA §9)
      if (b.visibility === 'unlisted' && b.name !== term && b.name !== `bp-${term}`) return false;
      if (q.data.category && b.card.category !== q.data.category) return false;
      if (q.data.organization && b.organization && b.organization !== q.data.organization) return false;
      if (!term) return true;
      return [b.name, b.card.title, b.card.tagline, b.card.category, ...(b.card.tags ?? [])]
        .filter(Boolean)
        .some(t => String(t).toLowerCase().includes(term));
    });
    res.json({ items });
  });

  router.get('/blueprints/:name', async (req, res) => {
    const p = await reader(req);
    const organization = typeof req.query.organization === 'string' ? req.query.organization : undefined;
    const detail: BlueprintDetail | undefined = blueprintDetail(
      o.registry.catalog(),
      req.params.name,
      await readableOrganizations(o, p),
      organization,
    );
    if (!detail) throw new NotFoundError(`Blueprint ${req.params.name} does not exist`);
    res.json(detail);
  });

  router.get('/blueprints/:name/versions/:version/files', async (req, res) => {
    const p = await reader(req);
    const orgs = await readableOrganizations(o, p);
    const version = o.registry
      .catalog()
      .versions(req.params.name)
      .find(v => v.blueprint.metadata.version === req.params.version && visibleToPrincipal(v, orgs));
    if (!version) throw new NotFoundError(`Blueprint ${req.params.name}@${req.params.version} does not exist`);
    res.json({ name: req.params.name, version: req.params.version, files: version.files });
  });

  router.get('/blueprint-releases/invalid', async (req, res) => {
    const p = await principal(req);
    const orgs = await readableOrganizations(o, p);
    res.json({
      items: o.registry.invalid().filter(i => i.repository === 'catalog' || orgs.includes(i.repository.split('/')[0])),
    });
  });

  // Organizations --------------------------------------------------------------------------------

  router.get('/organizations', async (req, res) => {
    const p = await principal(req);
    const orgs = await readableOrganizations(o, p);
    const envs = await o.store.listEnvironments();
    const items: OrganizationSummary[] = (await o.store.listOrganizations())
      .filter(org => orgs.includes(org.name))
      .map(org => ({
        name: org.name,
        displayName: org.displayName,
        sovereign: org.sovereign,
        teams: org.teams,
        environments: envs.filter(e => e.organization === org.name).map(e => e.name),
      }));
    res.json({ items });
  });

  router.post('/organizations', async (req, res) => {
    const p = await principal(req);
    const body = parseBody(createOrganizationBodySchema, req.body);
    const name = validateOrganizationName(body.name, 'name');
    if (!name.ok) throw new InputError(`name: ${name.errors[0].message}`);
    // Onboarding an Organization is the sovereign-admin's (reference §7.3).
    if (!p.grants.some(g => g.role === 'sovereign-admin')) {
      throw new NotAllowedError('only a sovereign-admin may create Organizations');
    }
    try {
      await o.store.createOrganization({
        name: body.name,
        displayName: body.displayName,
        sovereign: o.sovereign,
        teams: body.teams,
        createdBy: p.userRef,
        createdAt: o.now().toISOString(),
        ...(body.idempotencyKey ? { requestKey: body.idempotencyKey } : {}),
      });
    } catch (e) {
      const existing = await createdByThisRequest(e, p, body.idempotencyKey, () => o.store.getOrganization(body.name));
      await o.controller.reconcileAll();
      const environments = (await o.store.listEnvironments(existing.name)).map(env => env.name);
      res
        .status(200)
        .json({
          name: existing.name,
          displayName: existing.displayName,
          sovereign: existing.sovereign,
          teams: existing.teams,
          environments,
        });
      return;
    }
    await o.controller.reconcileAll();
    res
      .status(201)
      .json({
        name: body.name,
        displayName: body.displayName,
        sovereign: o.sovereign,
        teams: body.teams,
        environments: [],
      });
  });

  // Environments ---------------------------------------------------------------------------------

  router.get('/environments', async (req, res) => {
    const p = await principal(req);
    const organization = typeof req.query.organization === 'string' ? req.query.organization : undefined;
    const readable = new Set(await o.access.readableEnvironments(p));
    const items: EnvironmentOverview[] = [];
    for (const env of await o.store.listEnvironments(organization)) {
      if (!readable.has(env.name)) continue;
      const overview = await o.provisioning.overview(env);
      // a governed Environment takes changes only as change requests: no direct install
      overview.canInstall =
        !overview.governed &&
        (await o.access.authorize(p, 'install', { organization: env.organization, environment: env.name })).allowed;
      items.push(overview);
    }
    res.json({ items });
  });

  router.post('/environments', async (req, res) => {
    const p = await principal(req);
    const body = parseBody(createEnvironmentBodySchema, req.body);
    const org = await o.store.getOrganization(body.organization);
    if (!org) throw new NotFoundError(`Organization ${body.organization} does not exist`);
    await require(p, 'manage-environment', org.name);
    const name = `${org.name}-${body.envType}`;
    const checked = parseEnvironmentName(name, 'name');
    if (!checked.ok) throw new InputError(`name: ${checked.errors[0].message}`);
    let status = 201;
    try {
      await o.store.createEnvironment({
        name,
        organization: org.name,
        envType: body.envType,
        placement: body.placement,
        ...(body.policyRules.length ? { initialPolicyRules: body.policyRules } : {}),
        createdBy: p.userRef,
        createdAt: o.now().toISOString(),
        ...(body.idempotencyKey ? { requestKey: body.idempotencyKey } : {}),
      });
    } catch (e) {
      await createdByThisRequest(e, p, body.idempotencyKey, () => o.store.getEnvironment(name));
      status = 200;
    }
    // Realize it now rather than at the controller's next run: the repo exists when we answer
    // (also for a repeated request, whose first attempt may have stopped before this point).
    const env = (await o.store.getEnvironment(name))!;
    await o.controller.reconcile(env);
    res.status(status).json(await o.provisioning.overview(env));
  });

  router.get('/environments/:environment', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'read');
    const overview = await o.provisioning.overview(env);
    overview.canInstall =
      !overview.governed &&
      (await o.access.authorize(p, 'install', { organization: env.organization, environment: env.name })).allowed;
    res.json(overview);
  });

  // Applications ---------------------------------------------------------------------------------

  router.get('/environments/:environment/applications', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'read');
    res.json({ items: await o.provisioning.listApplications(env.name) });
  });

  router.post('/environments/:environment/plan', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'install');
    const body = parseBody(installBodySchema, req.body);
    res.json(await o.provisioning.plan(env.name, body));
  });

  router.post('/environments/:environment/applications', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'install');
    const body = parseBody(installBodySchema, req.body);
    const result = await o.provisioning.install(env.name, body, actor(p));
    res.status(result.replayed ? 200 : 201).json(result);
  });

  router.get('/environments/:environment/applications/:application', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'read');
    res.json(await o.provisioning.getApplication(env.name, appParam(req)));
  });

  router.post('/environments/:environment/applications/:application/plan', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'configure');
    const body = parseBody(updateBodySchema, req.body);
    res.json(await o.provisioning.planUpdate(env.name, appParam(req), body));
  });

  router.patch('/environments/:environment/applications/:application', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'configure');
    const body = parseBody(updateBodySchema, req.body);
    res.json(await o.provisioning.update(env.name, appParam(req), body, actor(p)));
  });

  router.delete('/environments/:environment/applications/:application', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'install');
    const key = typeof req.query.idempotencyKey === 'string' ? req.query.idempotencyKey : undefined;
    res.json(await o.provisioning.uninstall(env.name, appParam(req), actor(p), key));
  });

  router.get('/environments/:environment/applications/:application/history', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'read');
    const limit = z.coerce
      .number()
      .int()
      .min(1)
      .max(500)
      .default(50)
      .safeParse(req.query.limit ?? undefined);
    if (!limit.success) throw new InputError('limit: must be an integer from 1 to 500');
    res.json({ items: await o.provisioning.history(env.name, appParam(req), limit.data) });
  });

  router.post('/environments/:environment/rollback', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'configure');
    const body = parseBody(rollbackBodySchema, req.body);
    res.json(await o.provisioning.rollback(env.name, body, actor(p)));
  });

  router.get('/environments/:environment/commits/:sha', async (req, res) => {
    const p = await principal(req);
    const env = await envFor(p, envParam(req), 'read');
    if (!/^[0-9a-f]{40}$/.test(req.params.sha)) throw new InputError('sha: must be a full commit sha');
    const application = typeof req.query.application === 'string' ? req.query.application : undefined;
    if (application !== undefined && !validateApplicationName(application, 'application').ok) {
      throw new InputError('application: not an Application name');
    }
    res.json(await o.provisioning.commitDiff(env.name, req.params.sha, application));
  });

  return router;
}

/**
 * For a create that hit an existing row: that row when the same user created it with the same
 * idempotency key (the request is a retry, answered with what the first attempt created);
 * otherwise the conflict stands.
 */
async function createdByThisRequest<T extends { createdBy: string; requestKey?: string }>(
  error: unknown,
  principal: CatalystPrincipal,
  key: string | undefined,
  load: () => Promise<T | undefined>,
): Promise<T> {
  if (!(error instanceof ConflictError) || !key) throw error;
  const existing = await load();
  if (!existing || existing.requestKey !== key || existing.createdBy !== principal.userRef) throw error;
  return existing;
}

/** Organizations whose Environments (or private Blueprints) the principal may read. */
async function readableOrganizations(o: WriteRoutesOptions, p: CatalystPrincipal): Promise<string[]> {
  const orgs = await o.store.listOrganizations();
  if (p.service) return orgs.map(org => org.name);
  const out: string[] = [];
  for (const org of orgs) {
    if ((await o.access.authorize(p, 'read', { organization: org.name })).allowed) out.push(org.name);
  }
  return out;
}
