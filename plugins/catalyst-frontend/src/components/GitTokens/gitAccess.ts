import {
  catalystErrorDetails,
  CreateGitTokenBody,
  createGitTokenBodySchema,
  GitToken,
} from '@internal/plugin-catalyst-common';

/**
 * The rules of the Git access UI, as pure functions: where a repo is cloned from, what state a
 * token is in, and which form field a problem with a new token is about.
 */

/** The plugin's part of the backend's Git surface: `<backend>/api/catalyst` + `/git/<organization>`. */
export function catalystGitBaseUrl(catalystApiBaseUrl: string, organization: string): string {
  return `${catalystApiBaseUrl.replace(/\/+$/, '')}/git/${encodeURIComponent(organization)}`;
}

/** `<gitBaseUrl>/<repo>.git`: an Environment's repo is named after it; `shared-blueprints` is the Organization's. */
export function cloneUrlOf(gitBaseUrl: string, repo: string): string {
  return `${gitBaseUrl.replace(/\/+$/, '')}/${repo}.git`;
}

/**
 * Whether an Environment's repository lives on an external Git host (`catalyst.git.remote`): then
 * Catalyst does not serve it (its Git surface answers 404) and a Catalyst token does not open it.
 * The embedded Git root's repositories are `file://` paths (or relative in fixtures).
 */
export function isOnGitHost(repository: string): boolean {
  return /^(https?|ssh):\/\//i.test(repository) || /^[\w.-]+@[\w.-]+:/.test(repository);
}

export type GitTokenState = 'active' | 'expired' | 'revoked';

/** A revoked token stays revoked; an unrevoked one past its expiry no longer works either. */
export function gitTokenState(token: GitToken, now: number): GitTokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

/** `2026-12-03`: the day in UTC, as the server stores instants. */
export function dayOf(iso: string): string {
  return Number.isNaN(Date.parse(iso)) ? iso : new Date(iso).toISOString().slice(0, 10);
}

/** The new-token form's fields, as typed. */
export interface GitTokenForm {
  name: string;
  organization: string;
  /** Empty: until revoked. */
  expiresInDays: string;
}

export type GitTokenField = keyof GitTokenForm;
export type GitTokenFieldErrors = Partial<Record<GitTokenField, string>>;

const FIELDS: readonly GitTokenField[] = ['name', 'organization', 'expiresInDays'];

/** Which field an issue path (`name`, `expiresInDays`, `body.name`) is about, if any. */
function fieldOf(path: string): GitTokenField | undefined {
  const segments = path.split('.');
  return FIELDS.find(f => segments.includes(f));
}

const EXPIRY = 'a whole number of days from 1 to 365, or empty for no expiry';

/**
 * The request body for the form, checked with the server's own schema first, so a bad name or
 * expiry is named on its field before anything is sent.
 */
export function checkGitTokenForm(
  form: GitTokenForm,
): { ok: true; body: CreateGitTokenBody } | { ok: false; fields: GitTokenFieldErrors } {
  const fields: GitTokenFieldErrors = {};
  const days = form.expiresInDays.trim();
  const expiresInDays = days === '' ? undefined : Number(days);
  if (expiresInDays !== undefined && !Number.isInteger(expiresInDays)) fields.expiresInDays = EXPIRY;
  // the schema takes any string; an empty one would only be refused by the server's authorization
  if (!form.organization) fields.organization = 'pick the Organization whose repos it opens';
  const parsed = createGitTokenBodySchema.safeParse({
    name: form.name,
    organization: form.organization,
    ...(expiresInDays !== undefined && Number.isInteger(expiresInDays) ? { expiresInDays } : {}),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path.map(String).join('.'));
      if (field && !fields[field]) fields[field] = field === 'expiresInDays' ? EXPIRY : issue.message;
    }
  }
  if (Object.keys(fields).length > 0 || !parsed.success) return { ok: false, fields };
  return { ok: true, body: parsed.data };
}

/**
 * What a refused creation was about: the server's issues on their fields (`invalid-request`
 * names them by path), anything else as a sentence — its message, which for a 403 says why
 * (not a person, or not in that Organization).
 */
export function createFailureOf(error: unknown): { fields: GitTokenFieldErrors; other: string[] } {
  const details = catalystErrorDetails(error);
  const fields: GitTokenFieldErrors = {};
  const other: string[] = [];
  for (const issue of details?.issues ?? []) {
    const field = fieldOf(issue.path);
    if (field && !fields[field]) fields[field] = issue.message;
    else other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  if (Object.keys(fields).length === 0 && other.length === 0) other.push(messageOf(error));
  return { fields, other };
}

/** The server's message of a failed call (`ResponseError` keeps it in `body.error` and `cause`). */
export function messageOf(error: unknown): string {
  const e = error as { message?: string; body?: { error?: { message?: string } }; cause?: { message?: string } };
  return e?.body?.error?.message ?? e?.cause?.message ?? e?.message ?? String(error);
}
