import type { BackstageCredentials, HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, isError, NotAllowedError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  CATALYST_ERROR_CODES,
  CatalystErrorDetails,
  decodeLiveCursor,
  KV_KEYS,
  kvKey,
  MAX_LIVE_CURSOR_LENGTH,
  parseEnvironmentName,
  validateApplicationName,
} from '@internal/plugin-catalyst-common';
import type { CatalystAccess } from '@internal/plugin-catalyst-node';
import { authenticateRequest } from '../../access/authenticate';
import { CatalystAudit, noteForAudit } from '../../audit/CatalystAudit';
import { DEFAULT_EVENT_STREAM_SETTINGS, EventStreamSession, EventStreamSettings } from './EventStreamSession';
import { isPublicKey, KvEnvironmentHub, KvHubRegistry } from './KvEnvironmentHub';

const environmentName = z
  .string()
  .refine(v => parseEnvironmentName(v).ok, 'must be an Environment name ({organization}-{env_type})');
const applicationName = z.string().refine(v => validateApplicationName(v).ok, 'must be an Application name');
const oneOrMany = (item: z.ZodType<string, string>, max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform(v => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(item).min(1).max(max));

/** `GET /events` query: one or more Environments (topics), optionally narrowed to Applications. */
export const eventsQuerySchema = z.object({
  environment: oneOrMany(environmentName, 50),
  application: oneOrMany(applicationName, 50).optional(),
  /** For clients that cannot set the Last-Event-ID header on a new connection. */
  lastEventId: z.string().max(MAX_LIVE_CURSOR_LENGTH).optional(),
});

const environmentParams = z.object({ env: environmentName });
const applicationParams = z.object({ env: environmentName, app: applicationName });

/**
 * Backstage's error handler serializes an error's own enumerable properties into the answer's
 * `error` object, so the code and the Environment travel beside name and message (api/errors.ts).
 */
function withDetails<E extends Error>(error: E, details: CatalystErrorDetails): E {
  return Object.assign(error, details);
}

/** 404 for an Environment that does not exist. */
export function environmentNotFound(environment: string): NotFoundError {
  return withDetails(new NotFoundError(`Environment ${environment} not found`), {
    code: CATALYST_ERROR_CODES.environmentNotFound,
    environment,
  });
}

/**
 * The answer for an Environment the caller may not read: the same 404 as for one that does not
 * exist, as on every other surface (Authorization), so the stream does not tell other
 * Organizations' Environments apart from missing ones. The audit records the truth.
 */
export function environmentHidden(environment: string): NotFoundError {
  noteForAudit({ refusal: `may not read Environment ${environment}` });
  return environmentNotFound(environment);
}

function parse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.join('.') || 'value';
    throw withDetails(new InputError(`Invalid ${what}: ${path} ${issue.message}`), {
      code: CATALYST_ERROR_CODES.invalidRequest,
      issues: [{ code: 'invalid-request', path, message: issue.message }],
    });
  }
  return result.data;
}

/** The keys of one Application (its view, activity, workloads, Flux objects) plus the summary. */
export function applicationKeyFilter(applications: string[] | undefined): (key: string) => boolean {
  if (!applications) return isPublicKey;
  const exact = new Set<string>([KV_KEYS.summary]);
  const prefixes: string[] = [];
  for (const app of applications) {
    for (const kind of ['application', 'activity', 'namespace', 'kustomization']) exact.add(kvKey(kind, app));
    prefixes.push(`${kvKey('helmrelease', app)}.`);
  }
  return key => exact.has(key) || prefixes.some(p => key.startsWith(p));
}

export interface ReadSideRouterOptions {
  httpAuth: HttpAuthService;
  access: CatalystAccess;
  hubs: KvHubRegistry;
  /** Whether an Environment exists (the registry). */
  environmentExists: (name: string) => Promise<boolean>;
  logger: LoggerService;
  eventStream?: Partial<EventStreamSettings>;
  /** Refusals (and streams cut for lost access) go to the audit. */
  audit: CatalystAudit;
  /**
   * Tells when a user's access may have changed (their identity record was replaced at sign-in or
   * refresh): their open streams are authorized again at once, not at the next periodic check.
   */
  accessChanges?: (listener: (userRef: string) => void) => () => void;
}

/**
 * The read side's HTTP surface (mounted under /api/catalyst): `GET /events` (SSE) and the REST
 * snapshot reads, all served from the same KV mirror so every tab sees the same state.
 * Every requested Environment is authorized: 401 without credentials, 404 unknown or not readable
 * (as on the REST surface). An open stream is authorized again every `reauthorizeMs` and at once
 * when the user's access changes, and ends when its credentials expire or its access is gone.
 */
export function createReadSideRouter(options: ReadSideRouterOptions): express.Router {
  const { access, hubs, logger, audit } = options;
  const settings = { ...DEFAULT_EVENT_STREAM_SETTINGS, ...options.eventStream };
  const router = Router();

  /**
   * One read, audited when refused: 401 comes before 400, so an anonymous caller learns nothing
   * about what a valid query would be.
   */
  const attempt = async (
    req: Request,
    what: { eventId: string; surface: 'sse' | 'rest'; allowLimitedAccess?: boolean },
    run: (credentials: BackstageCredentials) => Promise<void>,
  ) => {
    const target = {
      ...req.params,
      ...(typeof req.query.environment === 'string' ? { environment: req.query.environment } : {}),
    };
    const credentials = await authenticateRequest({ httpAuth: options.httpAuth, audit }, req, {
      allow: ['user', 'service'],
      ...what,
      target,
    });
    await audit.attempt({ ...what, write: false, request: req, credentials, target }, () => run(credentials));
  };

  const authorize = async (credentials: BackstageCredentials, environments: string[]) => {
    const principal = await access.principal(credentials);
    const readable = new Set(await access.readableEnvironments(principal));
    for (const env of environments) {
      if (!(await options.environmentExists(env))) throw environmentNotFound(env);
      if (!readable.has(env)) throw environmentHidden(env);
    }
    return principal;
  };

  const withHub = async <T>(environment: string, fn: (hub: KvEnvironmentHub) => T): Promise<T> => {
    let acquired: Awaited<ReturnType<KvHubRegistry['acquire']>>;
    try {
      acquired = await hubs.acquire(environment);
    } catch (error) {
      throw withDetails(
        new ServiceUnavailableError(`The read model of ${environment} is not available: ${(error as Error).message}`),
        { code: CATALYST_ERROR_CODES.unavailable, environment },
      );
    }
    try {
      return fn(acquired.hub);
    } finally {
      acquired.release();
    }
  };

  router.get('/events', (req, res) =>
    // Limited (cookie) credentials too: a browser's EventSource cannot send an Authorization header.
    attempt(req, { eventId: 'live-events', surface: 'sse', allowLimitedAccess: true }, async credentials => {
      const query = parse(eventsQuerySchema, req.query, 'query');
      const environments = [...new Set(query.environment)];
      const principal = await authorize(credentials, environments);
      const acquired: Array<{ hub: KvEnvironmentHub; release: () => void }> = [];
      try {
        for (const env of environments) acquired.push(await hubs.acquire(env));
      } catch (error) {
        acquired.forEach(a => a.release());
        throw withDetails(new ServiceUnavailableError(`The read model is not available: ${(error as Error).message}`), {
          code: CATALYST_ERROR_CODES.unavailable,
        });
      }
      const lastEventId = req.header('last-event-id') ?? query.lastEventId;
      const session = new EventStreamSession(
        req,
        res,
        new Map(acquired.map(a => [a.hub.environment, a.hub])),
        applicationKeyFilter(query.application),
        settings,
        logger,
        () => acquired.forEach(a => a.release()),
        {
          ...(credentials.expiresAt ? { expiresAt: credentials.expiresAt } : {}),
          // The same checks as at connect time, with grants resolved afresh.
          reauthorize: async () => {
            const missing: string[] = [];
            for (const env of environments) if (!(await options.environmentExists(env))) missing.push(env);
            if (missing.length) return `Environment ${missing.join(', ')} no longer exists`;
            let lost: string | undefined;
            try {
              const readable = new Set(await access.readableEnvironments(await access.principal(credentials)));
              const gone = environments.filter(env => !readable.has(env));
              if (gone.length) lost = `Not allowed to read Environment ${gone.join(', ')} any more`;
            } catch (error) {
              // the identity behind the token changed (a team removed): the token no longer speaks for it
              if (!isError(error) || error.name !== 'AuthenticationError') throw error;
              lost = error.message;
            }
            if (lost) {
              await audit.refusedAtTheDoor(
                { eventId: 'live-events', surface: 'sse', request: req, credentials, target: { environments } },
                Object.assign(new NotAllowedError(`stream ended: ${lost}`), { code: CATALYST_ERROR_CODES.notAllowed }),
              );
            }
            return lost;
          },
          ...(options.accessChanges && principal.userRef
            ? {
                watch: recheck =>
                  options.accessChanges!(userRef => {
                    if (userRef === principal.userRef) recheck();
                  }),
              }
            : {}),
        },
      );
      logger.debug('SSE client connected', {
        user: principal.userRef,
        environments: environments.join(','),
        resumed: lastEventId ? 'yes' : 'no',
      });
      session.open(decodeLiveCursor(lastEventId));
    }),
  );

  router.get('/environments/:env/status', (req, res) =>
    attempt(req, { eventId: 'get-environment-status', surface: 'rest' }, async credentials => {
      const { env } = parse(environmentParams, req.params, 'path');
      await authorize(credentials, [env]);
      const body = await withHub(env, hub => {
        const summary = hub.get(KV_KEYS.summary)?.value;
        const applications = hub
          .snapshot(key => key.startsWith('application.'))
          .entries.map(([, value]) => JSON.parse(value) as unknown);
        return {
          environment: env,
          revision: hub.revision,
          summary: summary ? (JSON.parse(summary) as unknown) : null,
          applications,
        };
      });
      res.json(body);
    }),
  );

  router.get('/environments/:env/applications/:app/status', (req, res) =>
    attempt(req, { eventId: 'get-application-status', surface: 'rest' }, async credentials => {
      const { env, app } = parse(applicationParams, req.params, 'path');
      await authorize(credentials, [env]);
      const body = await withHub(env, hub => {
        const view = hub.get(kvKey('application', app))?.value;
        if (!view) return undefined;
        const activity = hub.get(kvKey('activity', app))?.value;
        return {
          environment: env,
          revision: hub.revision,
          application: JSON.parse(view) as unknown,
          activity: activity ? (JSON.parse(activity) as unknown) : [],
        };
      });
      if (!body) {
        throw withDetails(new NotFoundError(`Application ${app} not found in Environment ${env}`), {
          code: CATALYST_ERROR_CODES.notFound,
          environment: env,
        });
      }
      res.json(body);
    }),
  );

  return router;
}
