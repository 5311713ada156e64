import { CatalystIssue } from '../issues';
import {
  ENV_TYPES,
  EnvType,
  RESERVED_APPLICATION_NAMES,
  RESERVED_APPLICATION_PREFIXES,
  RESERVED_ORGANIZATION_NAMES,
  RESERVED_ORGANIZATION_PREFIXES,
} from './codes';

/**
 * Outcome of a name check. Errors use the codes `path-traversal`, `name-too-long`, `invalid-name`,
 * `reserved-name`, `invalid-env-type`, `invalid-alias`.
 *
 * @public
 */
export type NameCheck = { ok: true } | { ok: false; errors: CatalystIssue[] };

const OK: NameCheck = { ok: true };

function fail(code: string, path: string, message: string): NameCheck {
  return { ok: false, errors: [{ code, path, message }] };
}

/**
 * Names become Git paths, namespaces and NATS subjects, so anything that could climb out of a folder
 * or be decoded into a separator gets its own code before pattern checks.
 */
function traversal(value: string, what: string, path: string): NameCheck | undefined {
  let why: string | undefined;
  if (value.includes('\0')) why = 'a NUL character';
  else if (value.includes('/') || value.includes('\\')) why = 'a path separator';
  else if (value.includes('..')) why = '".."';
  else if (value.includes('%')) why = 'percent-encoding';
  else if (hasControlCharacter(value)) why = 'a control character';
  return why ? fail('path-traversal', path, `${what} "${printable(value)}" contains ${why}`) : undefined;
}

/** Shows a hostile value safely inside a message. */
function printable(value: string): string {
  let cleaned = '';
  for (const c of value) {
    const code = c.charCodeAt(0);
    cleaned += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return cleaned.length > 80 ? `${cleaned.slice(0, 77)}...` : cleaned;
}

/** True when `value` holds C0 control characters or DEL (which have no place in names or paths). @public */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function notString(value: unknown, what: string, path: string): NameCheck | undefined {
  return typeof value === 'string' ? undefined : fail('invalid-name', path, `${what} must be a string`);
}

const ORGANIZATION = /^[a-z][a-z0-9-]{2,31}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const BLUEPRINT = /^bp-[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The shapes of the names as regular-expression sources, for documents that describe them (the
 * OpenAPI document). Validation adds what a pattern cannot say (reserved words, hyphen rules,
 * lengths): call the validate functions, not these.
 *
 * @public
 */
export const NAME_PATTERNS = {
  organization: ORGANIZATION.source,
  application: DNS_LABEL.source,
  blueprint: BLUEPRINT.source,
} as const;
const FORBIDDEN_ALIASES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Organization slug: `^[a-z][a-z0-9-]{2,31}$`, no trailing or doubled hyphen, not a reserved word
 * (platform components, `kube-*`, `catalyst-*`, provider/region/building-block/env-type codes).
 *
 * @public
 */
export function validateOrganizationName(name: unknown, path = 'metadata.name'): NameCheck {
  const what = 'Organization name';
  const bad = notString(name, what, path);
  if (bad) return bad;
  const value = name as string;
  const t = traversal(value, what, path);
  if (t) return t;
  if (value.length > 32) {
    return fail('name-too-long', path, `${what} "${printable(value)}" is ${value.length} characters; the limit is 32`);
  }
  if (!ORGANIZATION.test(value)) {
    return fail(
      'invalid-name',
      path,
      `${what} "${printable(
        value,
      )}" must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter`,
    );
  }
  if (value.endsWith('-') || value.includes('--')) {
    return fail('invalid-name', path, `${what} "${value}" may not end with a hyphen or contain "--"`);
  }
  if (RESERVED_ORGANIZATION_NAMES.has(value) || RESERVED_ORGANIZATION_PREFIXES.some(p => value.startsWith(p))) {
    return fail('reserved-name', path, `${what} "${value}" is reserved`);
  }
  return OK;
}

/**
 * Sovereign names follow the Organization slug rule (reference §2.3), without the reserved list:
 * a Sovereign is never a namespace next to Organizations.
 *
 * @public
 */
export function validateSovereignName(name: unknown, path = 'metadata.name'): NameCheck {
  const what = 'Sovereign name';
  const bad = notString(name, what, path);
  if (bad) return bad;
  const value = name as string;
  const t = traversal(value, what, path);
  if (t) return t;
  if (value.length > 32) {
    return fail('name-too-long', path, `${what} "${printable(value)}" is ${value.length} characters; the limit is 32`);
  }
  if (!ORGANIZATION.test(value) || value.endsWith('-') || value.includes('--')) {
    return fail(
      'invalid-name',
      path,
      `${what} "${printable(
        value,
      )}" must be 3-32 characters of lowercase letters, digits and single hyphens, starting with a letter`,
    );
  }
  return OK;
}

/** @public */
export function isEnvType(value: unknown): value is EnvType {
  return typeof value === 'string' && (ENV_TYPES as readonly string[]).includes(value);
}

/** @public */
export type ParsedEnvironmentName =
  | { ok: true; organization: string; envType: EnvType }
  | { ok: false; errors: CatalystIssue[] };

/**
 * Splits `{org}-{env_type}` at the LAST hyphen (Organization slugs may contain hyphens) and checks
 * both halves.
 *
 * @public
 */
export function parseEnvironmentName(name: unknown, path = 'metadata.name'): ParsedEnvironmentName {
  const what = 'Environment name';
  const bad = notString(name, what, path);
  if (bad && !bad.ok) return bad;
  const value = name as string;
  const t = traversal(value, what, path);
  if (t && !t.ok) return t;
  if (value.length > 37) {
    return {
      ok: false,
      errors: [
        {
          code: 'name-too-long',
          path,
          message: `${what} "${printable(value)}" is ${value.length} characters; the limit is 37`,
        },
      ],
    };
  }
  const dash = value.lastIndexOf('-');
  if (dash <= 0) {
    return {
      ok: false,
      errors: [
        {
          code: 'invalid-name',
          path,
          message: `${what} "${printable(value)}" must be {organization}-{env_type}, e.g. acme-prod`,
        },
      ],
    };
  }
  const organization = value.slice(0, dash);
  const envType = value.slice(dash + 1);
  if (!isEnvType(envType)) {
    return {
      ok: false,
      errors: [
        {
          code: 'invalid-env-type',
          path,
          message: `${what} "${printable(value)}" ends in "${printable(
            envType,
          )}"; the env type must be one of ${ENV_TYPES.join(', ')}`,
        },
      ],
    };
  }
  const org = validateOrganizationName(organization, path);
  if (!org.ok) {
    return {
      ok: false,
      errors: org.errors.map(e => ({
        ...e,
        message: `${what} "${value}": ${e.message}`,
      })),
    };
  }
  return { ok: true, organization, envType };
}

/** @public */
export function validateEnvironmentName(name: unknown, path = 'metadata.name'): NameCheck {
  const parsed = parseEnvironmentName(name, path);
  return parsed.ok ? OK : parsed;
}

/** Builds `{org}-{env_type}`; the inputs are assumed valid. @public */
export function environmentName(organization: string, envType: EnvType): string {
  return `${organization}-${envType}`;
}

/**
 * Application name: a DNS-1123 label (≤ 63, lowercase alphanumerics and hyphens), because it is the
 * Application's namespace and DNS label. Names of namespaces that already exist in every vcluster
 * (`default`, `flux-system`, `kube-*`) are reserved.
 *
 * @public
 */
export function validateApplicationName(name: unknown, path = 'metadata.name'): NameCheck {
  const what = 'Application name';
  const bad = notString(name, what, path);
  if (bad) return bad;
  const value = name as string;
  const t = traversal(value, what, path);
  if (t) return t;
  if (value.length > 63) {
    return fail('name-too-long', path, `${what} "${printable(value)}" is ${value.length} characters; the limit is 63`);
  }
  if (!DNS_LABEL.test(value)) {
    return fail(
      'invalid-name',
      path,
      `${what} "${printable(
        value,
      )}" must be a DNS label: lowercase letters, digits and hyphens, starting and ending with a letter or digit`,
    );
  }
  if (RESERVED_APPLICATION_NAMES.has(value) || RESERVED_APPLICATION_PREFIXES.some(p => value.startsWith(p))) {
    return fail('reserved-name', path, `${what} "${value}" is reserved (it is a system namespace)`);
  }
  return OK;
}

/**
 * Blueprint name: `bp-<name>` where the whole is a DNS label of at most 63 characters.
 *
 * @public
 */
export function validateBlueprintName(name: unknown, path = 'metadata.name'): NameCheck {
  const what = 'Blueprint name';
  const bad = notString(name, what, path);
  if (bad) return bad;
  const value = name as string;
  const t = traversal(value, what, path);
  if (t) return t;
  if (value.length > 63) {
    return fail('name-too-long', path, `${what} "${printable(value)}" is ${value.length} characters; the limit is 63`);
  }
  if (!BLUEPRINT.test(value)) {
    return fail(
      'invalid-name',
      path,
      `${what} "${printable(value)}" must be bp-<name> with <name> of lowercase letters, digits and hyphens`,
    );
  }
  return OK;
}

/** `bp-postgres` → `postgres`. @public */
export function blueprintShortName(blueprint: string): string {
  return blueprint.startsWith('bp-') ? blueprint.slice(3) : blueprint;
}

/**
 * Dependency alias: an identifier (`db`, `cache_store`), because it becomes the substitution
 * variable `dep_<alias>_app` and the template path `.Values.dependencies.<alias>`.
 *
 * @public
 */
export function validateAlias(alias: unknown, path: string): NameCheck {
  if (typeof alias !== 'string') return fail('invalid-alias', path, 'alias must be a string');
  const t = traversal(alias, 'alias', path);
  if (t) return t;
  // Prototype names would reach JavaScript internals when an alias is used as a record key.
  if (alias.length > 63 || !ALIAS.test(alias) || FORBIDDEN_ALIASES.has(alias)) {
    return fail(
      'invalid-alias',
      path,
      `alias "${printable(
        alias,
      )}" must be an identifier of at most 63 characters (letters, digits, underscores; not starting with a digit; not __proto__, constructor or prototype)`,
    );
  }
  return OK;
}

/** FNV-1a, 32 bit: a small stable hash so truncated names stay unique and reproducible. @public */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Name of an Application auto-created for a dependency: `{app}-{blueprint short name}`
 * (`marketing-site` + `bp-postgres` → `marketing-site-postgres`). Longer than 63 characters, it is
 * cut and suffixed with a hash of the full name, so the same inputs always give the same name.
 *
 * @public
 */
export function dependencyApplicationName(application: string, blueprint: string): string {
  const full = `${application}-${blueprintShortName(blueprint)}`;
  if (full.length <= 63) return full;
  const hash = fnv1a(full);
  const head = full.slice(0, 63 - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Name of any other Catalyst object (policies, runbooks): a DNS-1123 subdomain of at most 253
 * characters, like any Kubernetes object name.
 *
 * @public
 */
export function validateResourceName(name: unknown, what: string, path = 'metadata.name'): NameCheck {
  const bad = notString(name, what, path);
  if (bad) return bad;
  const value = name as string;
  const t = traversal(value, what, path);
  if (t) return t;
  if (value.length > 253) {
    return fail('name-too-long', path, `${what} "${printable(value)}" is ${value.length} characters; the limit is 253`);
  }
  if (!DNS_SUBDOMAIN.test(value)) {
    return fail('invalid-name', path, `${what} "${printable(value)}" must be lowercase letters, digits, "-" and "."`);
  }
  return OK;
}

/**
 * A file path inside a Blueprint or Environment folder: relative, `/`-separated, no `.`/`..` or empty
 * segments, no backslashes, percent-encoding or control characters.
 *
 * @public
 */
export function validateRelativePath(value: unknown, path: string): NameCheck {
  if (typeof value !== 'string' || value.length === 0)
    return fail('invalid-path', path, 'file path must be a non-empty string');
  if (value.length > 1024) return fail('invalid-path', path, 'file path is longer than 1024 characters');
  const bad =
    value.startsWith('/') ||
    value.includes('\\') ||
    value.includes('%') ||
    hasControlCharacter(value) ||
    value.split('/').some(s => s === '' || s === '.' || s === '..');
  return bad ? fail('path-traversal', path, `file path "${printable(value)}" must stay inside its folder`) : OK;
}
