import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import { CATALYST_ERROR_CODES } from '@internal/plugin-catalyst-common';
import type { Request } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What came of an attempt, as the audit log says it:
 * - `allowed`: it was authorized and done;
 * - `refused`: authentication, authorization or an EnvironmentPolicy said no (401, 403, a 404 that
 *   hides an Environment the caller may not read, a governed Environment's 409);
 * - `rejected`: the input or the state said no (a named field, a cycle, a taken name, an unknown
 *   version);
 * - `failed`: something broke (a dependency away, a bug).
 */
export type AuditVerdict = 'allowed' | 'refused' | 'rejected' | 'failed';

/** What the services learn while they act, added to the attempt's audit event. */
export interface AuditNotes {
  /** The Catalyst permission the attempt needed (`install`, `configure` …). */
  action?: string;
  organization?: string;
  environment?: string;
  /** Why it was refused, when the answer does not say (a hidden Environment answers 404). */
  refusal?: string;
  /** What it produced (a commit sha, the Application's name …). */
  result?: JsonObject;
}

/** One attempt as the surfaces describe it before it runs. */
export interface AuditAttempt {
  /** kebab-case, per operation: `install`, `update-application`, `live-events` … */
  eventId: string;
  /** `rest`, `sse`, `git`, `graphql`: the way in (the scaffolder comes in through `rest`). */
  surface: string;
  /** A write is audited whatever comes of it; a read only when it is refused. */
  write: boolean;
  severityLevel?: AuditorServiceEventSeverityLevel;
  /**
   * The HTTP request, once its credentials are known good: Backstage's auditor takes the actor
   * (user entity ref or service subject), IP and user agent from it. Without it (credentials that
   * do not verify) the event says `caller: unauthenticated` and carries the address itself.
   */
  request?: Request;
  credentials?: BackstageCredentials;
  /**
   * Who acted when no Backstage credentials stand behind the request (a personal Git token): the
   * auditor cannot take them from the request, so the event names them.
   */
  actor?: string;
  /** What the caller named: path parameters and the naming fields of the body, never values. */
  target: JsonObject;
}

/** The Catalyst error codes that are somebody saying no rather than the input or the state. */
const REFUSAL_CODES = new Set<string>([
  CATALYST_ERROR_CODES.unauthenticated,
  CATALYST_ERROR_CODES.notAllowed,
  CATALYST_ERROR_CODES.governedEnvironment,
]);

const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotModifiedError: 304,
  ServiceUnavailableError: 503,
};

const attemptInProgress = new AsyncLocalStorage<AuditNotes>();

/**
 * Adds to the audited attempt in progress, wherever the caller is in the call tree; nothing outside
 * one (a controller acting on its own, a unit test of a service).
 */
export function noteForAudit(notes: AuditNotes): void {
  const open = attemptInProgress.getStore();
  if (!open) return;
  const result = notes.result ? { ...open.result, ...notes.result } : open.result;
  Object.assign(open, notes, result ? { result } : {});
}

/**
 * Catalyst's use of Backstage's auditor service: every write through any surface, and every
 * refused attempt, becomes one audit event with the actor (from the request's credentials), the
 * target (Organization, Environment, Application …) and the verdict.
 *
 * Surfaces open an attempt around the service call ({@link CatalystAudit.attempt}); the services
 * and {@link Authorization} add what only they know — the Organization an Environment belongs to,
 * the permission checked, that a 404 hid an Environment the caller may not read, the commit made —
 * with {@link noteForAudit}, which finds the attempt in progress through async context, so no
 * service signature carries an audit parameter.
 *
 * Successful reads are not audited: the UI polls and streams them all day and the access log has
 * them; refused reads are, because that is where somebody looks for what they may not see.
 */
export class CatalystAudit {
  private constructor(private readonly auditor: AuditorService) {}

  static create(auditor: AuditorService): CatalystAudit {
    return new CatalystAudit(auditor);
  }

  /** Runs `run` as one audited attempt; its answer or error passes through unchanged. */
  async attempt<T>(attempt: AuditAttempt, run: () => Promise<T>): Promise<T> {
    const notes: AuditNotes = {};
    // A write's event opens before it runs (Backstage logs it as initiated), so a write that never
    // finishes — the process dies in the middle — still left a line.
    const event = attempt.write ? await this.open(attempt, 'medium') : undefined;
    let result: T;
    try {
      result = await attemptInProgress.run(notes, run);
    } catch (error) {
      const verdict = verdictOf(error, notes);
      if (event || verdict === 'refused') {
        const e = isError(error) ? error : new Error(String(error));
        const failed = event ?? (await this.open(attempt, 'medium'));
        await failed.fail({ error: e, meta: { ...this.meta(attempt, notes), verdict, ...errorMeta(e) } });
      }
      throw error;
    }
    if (event) await event.success({ meta: { ...this.meta(attempt, notes), verdict: 'allowed' } });
    return result;
  }

  /** A refusal before any service ran (no or bad credentials, a caller kind the route refuses). */
  async refusedAtTheDoor(attempt: Omit<AuditAttempt, 'write'>, error: Error): Promise<void> {
    const event = await this.open(attempt, 'medium');
    await event.fail({ error, meta: { ...this.meta(attempt, {}), verdict: 'refused', ...errorMeta(error) } });
  }

  private open(attempt: Omit<AuditAttempt, 'write'>, fallback: AuditorServiceEventSeverityLevel) {
    return this.auditor.createEvent({
      eventId: attempt.eventId,
      severityLevel: attempt.severityLevel ?? fallback,
      ...(attempt.request && attempt.credentials ? { request: attempt.request } : {}),
      meta: this.meta(attempt, {}),
    });
  }

  private meta(attempt: Omit<AuditAttempt, 'write'>, notes: AuditNotes): JsonObject {
    const { result, ...where } = notes;
    const caller =
      attempt.request && attempt.credentials
        ? {}
        : {
            ...(attempt.actor ? { actor: attempt.actor } : {}),
            caller: attempt.actor ? 'token' : 'unauthenticated',
            ...(attempt.request
              ? { ip: attempt.request.ip ?? null, userAgent: attempt.request.get('user-agent') ?? null }
              : {}),
          };
    return {
      surface: attempt.surface,
      ...caller,
      target: { ...attempt.target, ...dropUndefined(where) },
      ...(result ? { result } : {}),
    };
  }
}

/** The verdict an error means (see {@link AuditVerdict}). */
export function verdictOf(error: unknown, notes: AuditNotes = {}): Exclude<AuditVerdict, 'allowed'> {
  const code = (error as { code?: unknown } | null)?.code;
  if (notes.refusal || (typeof code === 'string' && REFUSAL_CODES.has(code))) return 'refused';
  const status = statusOf(error);
  if (status === 401 || status === 403) return 'refused';
  return status < 500 ? 'rejected' : 'failed';
}

/** The HTTP status Backstage's error handler answers for an error (by name, else its own status). */
export function statusOf(error: unknown): number {
  if (!isError(error)) return 500;
  const own =
    (error as { statusCode?: unknown; status?: unknown }).statusCode ?? (error as { status?: unknown }).status;
  return STATUS_BY_NAME[error.name] ?? (typeof own === 'number' ? own : 500);
}

function errorMeta(error: Error): JsonObject {
  const code = (error as { code?: unknown }).code;
  return {
    status: statusOf(error),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

function dropUndefined(o: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as JsonObject;
}
