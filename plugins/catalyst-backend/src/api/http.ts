import type { BackstageCredentials, HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  CATALYST_ERROR_CODES,
  CATALYST_OPERATIONS,
  CatalystIssue,
  CatalystOperation,
  CatalystPathParam,
  CHANGE_REQUEST_ID,
  ChangeResponse,
  findForbiddenKeys,
  GIT_TOKEN_ID,
  parseEnvironmentName,
  validateApplicationName,
  validateBlueprintName,
} from '@internal/plugin-catalyst-common';
import type { CatalystAccess, CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { JsonObject } from '@backstage/types';
import express, { Request, Router } from 'express';
import type { z } from 'zod';
import { authenticateRequest } from '../access/authenticate';
import type { CatalystAudit } from '../audit/CatalystAudit';

/**
 * The HTTP edge shared by the routers: a route is mounted by its entry in catalyst-common's
 * operation table, which decides its method and path, how its query and body are parsed and what
 * it answers. Handlers receive validated input and a way to learn who is calling; they call one
 * service and return its answer. Bad input answers 400 naming the field, before anything runs.
 */

/** What a handler gets: the validated path parameters, query and body, and the caller. */
export interface RouteInput<Query, Body> {
  params: Record<CatalystPathParam, string>;
  query: Query;
  body: Body;
  /** Who is calling (authenticated before anything else; services authorize the action). */
  caller(): Promise<CatalystPrincipal>;
}

/** A status other than the operation's usual one (e.g. 200 for a replayed create). */
export class Answer<T> {
  constructor(readonly status: number, readonly body: T) {}
}

type Callers = Array<'user' | 'service'>;

function invalid(issues: CatalystIssue[], what = 'Invalid request'): InputError {
  const text = issues.map(i => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return Object.assign(new InputError(`${what}: ${text}`), { code: CATALYST_ERROR_CODES.invalidRequest, issues });
}

/** zod's problems as issues, field path first (at most five). */
function zodIssues(error: z.ZodError, prefix?: string): CatalystIssue[] {
  return error.issues.slice(0, 5).map(i => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return { code: 'invalid-request', path: path || (prefix ?? 'body'), message: i.message };
  });
}

const PARAM_CHECKS: Record<CatalystPathParam, (value: string) => string | undefined> = {
  environment: v => {
    const parsed = parseEnvironmentName(v, 'environment');
    return parsed.ok ? undefined : parsed.errors[0].message;
  },
  application: v => {
    const checked = validateApplicationName(v, 'application');
    return checked.ok ? undefined : checked.errors[0].message;
  },
  name: v => {
    const checked = validateBlueprintName(v, 'name');
    return checked.ok ? undefined : checked.errors[0].message;
  },
  version: v => (/^[0-9A-Za-z.+-]{1,64}$/.test(v) ? undefined : 'must be a semantic version'),
  sha: v => (/^[0-9a-f]{40}$/.test(v) ? undefined : 'must be a full commit sha'),
  id: v => (CHANGE_REQUEST_ID.test(v) ? undefined : 'must be a change request id (cr-<number>)'),
  token: v => (GIT_TOKEN_ID.test(v) ? undefined : 'must be a Git token id (gt-<12 hex digits>)'),
};

function validParams(req: Request): Record<CatalystPathParam, string> {
  const issues: CatalystIssue[] = [];
  for (const [name, value] of Object.entries(req.params)) {
    const check = PARAM_CHECKS[name as CatalystPathParam];
    const problem = check ? check(value) : undefined;
    if (problem) issues.push({ code: 'invalid-request', path: name, message: problem });
  }
  if (issues.length) throw invalid(issues, 'Invalid path');
  return req.params as Record<CatalystPathParam, string>;
}

/** Audit event ids: the operation's name in kebab-case (`updateApplication` → `update-application`). */
const EVENT_IDS = new Map<CatalystOperation<any, any, any>, string>(
  Object.entries(CATALYST_OPERATIONS).map(([name, operation]) => [
    operation,
    name.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`),
  ]),
);

/** Body fields that name what a write is about; values (configuration, secrets) never go to the log. */
const NAMING_FIELDS = ['organization', 'name', 'envType', 'application', 'blueprint', 'version', 'commit', 'userRef'];

function targetOf(req: Request, body: unknown): JsonObject {
  const target: JsonObject = { ...req.params };
  if (body && typeof body === 'object') {
    for (const field of NAMING_FIELDS) {
      const value = (body as Record<string, unknown>)[field];
      if (typeof value === 'string' && value.length <= 256) target[field] = value;
    }
  }
  return target;
}

/** Bodies are JSON of at most 1 MiB: a configuration, not a file upload. */
const jsonBody = express.json({ limit: '1mb' });

/**
 * The mount function the routers use. `access` turns credentials into a Catalyst principal;
 * `httpAuth` authenticates the request; `audit` records every write and every refusal.
 */
export function createRouteMounter(deps: { httpAuth: HttpAuthService; access: CatalystAccess; audit: CatalystAudit }) {
  return function mount<Query, Body, Response>(
    router: Router,
    operation: CatalystOperation<Query, Body, Response>,
    handler: (input: RouteInput<Query, Body>) => Promise<Response | Answer<Response>>,
    options: { callers?: Callers } = {},
  ): void {
    // Users and services alike: the access service decides. A backend plugin calling as itself may
    // read, never write; a service token bound to a role in `catalyst.access.bindings` (an
    // integration) acts as that role, and its commits name it as their author.
    const callers = options.callers ?? ['user', 'service'];
    const method = operation.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    const eventId = EVENT_IDS.get(operation);
    if (!eventId) throw new Error(`${operation.method} ${operation.path} is not in CATALYST_OPERATIONS`);
    const write = operation.method !== 'GET';
    // Who first: an anonymous caller learns nothing about what a valid request looks like.
    const handlers: express.RequestHandler[] = [
      (req, res, next) =>
        authenticateRequest(deps, req, {
          allow: callers,
          eventId,
          surface: 'rest',
          target: targetOf(req, undefined),
        }).then(credentials => {
          res.locals.credentials = credentials;
          next();
        }, next),
    ];
    // Body parsing only where the operation takes a body, and right here, not by mount order. A body
    // that does not parse is handed on, so it is answered (and audited) like any other bad input.
    if (operation.body) {
      handlers.push((req, res, next) =>
        jsonBody(req, res, error => {
          if (error) res.locals.bodyError = error;
          next();
        }),
      );
    }
    handlers.push(async (req, res, next) => {
      const credentials = res.locals.credentials as BackstageCredentials;
      const attempt = { eventId, surface: 'rest', write, request: req, credentials, target: targetOf(req, req.body) };
      try {
        const result = await deps.audit.attempt(attempt, async () => {
          if (res.locals.bodyError) throw res.locals.bodyError;
          const params = validParams(req);
          let query = {} as Query;
          if (operation.query) {
            const parsed = operation.query.safeParse(req.query);
            if (!parsed.success) throw invalid(zodIssues(parsed.error), 'Invalid query');
            query = parsed.data;
          }
          let body = undefined as Body;
          if (operation.body) {
            const raw: unknown = req.body ?? {};
            const forbidden = findForbiddenKeys(raw);
            if (forbidden.length) throw invalid(forbidden);
            const parsed = operation.body.safeParse(raw);
            if (!parsed.success) throw invalid(zodIssues(parsed.error));
            body = parsed.data;
          }
          let principal: Promise<CatalystPrincipal> | undefined;
          const caller = () => (principal ??= deps.access.principal(credentials));
          return handler({ params, query, body, caller });
        });
        if (result instanceof Answer) res.status(result.status).json(result.body);
        else res.status(operation.success[0]).json(result);
      } catch (error) {
        next(error);
      }
    });
    router[method](operation.path, ...handlers);
  };
}

/**
 * How a write is answered: 202 when it opened (or replayed) a change request in a governed
 * Environment, 200 when an idempotent retry replayed a commit, `created` for a new commit.
 */
export function changeAnswer(result: ChangeResponse, created: 200 | 201 = 200): Answer<ChangeResponse> {
  if (result.changeRequest) return new Answer(202, result);
  return new Answer(result.replayed ? 200 : created, result);
}

/** The function {@link createRouteMounter} returns. */
export type MountRoute = ReturnType<typeof createRouteMounter>;
