import { CatalystIssue } from '../issues';

/**
 * NATS subjects of the read side (DESIGN §6):
 *
 * | publisher | subject |
 * |---|---|
 * | informers (Namespace, Deployment, ReplicaSet, Pod, Service) | `ws.<env>.k8s.<kind>.<ns>.<name>` (`<ns>` is `_` for cluster-scoped objects) |
 * | informers (Flux Kustomization) | `ws.<env>.flux.<kustomization>` |
 * | informers (Flux HelmRelease, GitRepository) | `ws.<env>.flux.<kind>.<ns>.<name>` (more tokens, so `ws.<env>.flux.*` still selects Kustomizations only) |
 * | Git writer / watcher | `ws.<env>.git.<commit>` |
 * | Catalyst services | `ws.<env>.catalyst.<aggregate>.<event>` |
 *
 * Tokens we define (Environment, kind, commit, aggregate, event) are validated and REJECTED when
 * malformed: they come from our own code and a bad one is a bug. Tokens that come from the cluster
 * (namespaces, object names) are ENCODED, because Kubernetes allows dots in many names: every
 * character outside `[A-Za-z0-9-]` becomes `=XX` per UTF-8 byte (`api.v2` → `api=2Ev2`). The result
 * never contains `.`, `*`, `>` or whitespace, is a valid NATS KV key token too, and decodes back.
 */

/** @public */
export type SubjectResult = { ok: true; subject: string } | { ok: false; issue: CatalystIssue };

/** @public */
export const K8S_OBJECT_KINDS = ['Namespace', 'Deployment', 'ReplicaSet', 'Pod', 'Service'] as const;
/** @public */
export type K8sObjectKind = (typeof K8S_OBJECT_KINDS)[number];
/** @public */
export const FLUX_OBJECT_KINDS = ['Kustomization', 'HelmRelease', 'GitRepository'] as const;
/** @public */
export type FluxObjectKind = (typeof FLUX_OBJECT_KINDS)[number];

const ENVIRONMENT = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const WORD = /^[a-z][a-z0-9-]{0,62}$/;
const COMMIT = /^[0-9a-f]{7,64}$/;
const CLUSTER_SCOPE = '_';

/**
 * Makes any string a single subject/KV-key token (see the module comment). Empty stays empty.
 *
 * @public
 */
export function encodeSubjectToken(value: string): string {
  let out = '';
  for (const char of value) {
    if (/^[A-Za-z0-9-]$/.test(char)) {
      out += char;
      continue;
    }
    for (const byte of utf8(char)) out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Inverse of {@link encodeSubjectToken}; `null` when the token is not an encoding.
 *
 * @public
 */
export function decodeSubjectToken(token: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const char = token[i];
    if (char === '=') {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (/^[A-Za-z0-9-]$/.test(char)) {
      bytes.push(char.charCodeAt(0));
    } else {
      return null;
    }
  }
  return fromUtf8(bytes);
}

function utf8(char: string): number[] {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x80) return [code];
  if (code < 0x800) return [0xc0 | (code >> 6), 0x80 | (code & 63)];
  if (code < 0x10000) return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)];
  return [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)];
}

function fromUtf8(bytes: number[]): string | null {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    let extra = -1;
    if (b < 0x80) extra = 0;
    else if (b >= 0xf0) extra = 3;
    else if (b >= 0xe0) extra = 2;
    else if (b >= 0xc0) extra = 1;
    if (extra < 0) return null;
    let code = extra === 0 ? b : b & (0x3f >> extra);
    for (let j = 1; j <= extra; j++) {
      const next = bytes[i + j];
      if (next === undefined || (next & 0xc0) !== 0x80) return null;
      code = (code << 6) | (next & 63);
    }
    out += String.fromCodePoint(code);
    i += extra + 1;
  }
  return out;
}

function invalid(path: string, message: string): SubjectResult {
  return { ok: false, issue: { code: 'invalid-subject-token', path, message } };
}

function checkEnvironment(environment: string): SubjectResult | null {
  return ENVIRONMENT.test(environment)
    ? null
    : invalid('environment', `"${environment}" is not an Environment name usable in a subject`);
}

function encodedName(value: string, path: string): string | SubjectResult {
  if (typeof value !== 'string' || value.length === 0) return invalid(path, `${path} must not be empty`);
  return encodeSubjectToken(value);
}

/**
 * `ws.<env>.k8s.<kind>.<ns>.<name>`; `namespace` null for cluster-scoped objects (Namespace).
 *
 * @public
 */
export function k8sSubject(
  environment: string,
  kind: K8sObjectKind,
  namespace: string | null,
  name: string,
): SubjectResult {
  const bad = checkEnvironment(environment);
  if (bad) return bad;
  if (!K8S_OBJECT_KINDS.includes(kind)) {
    return invalid('kind', `"${kind}" is not one of ${K8S_OBJECT_KINDS.join(', ')}`);
  }
  const ns = namespace === null ? CLUSTER_SCOPE : encodedName(namespace, 'namespace');
  if (typeof ns !== 'string') return ns;
  const n = encodedName(name, 'name');
  if (typeof n !== 'string') return n;
  return { ok: true, subject: `ws.${environment}.k8s.${kind.toLowerCase()}.${ns}.${n}` };
}

/**
 * `ws.<env>.flux.<kustomization>` for Kustomizations; `ws.<env>.flux.<kind>.<ns>.<name>` for the others.
 *
 * @public
 */
export function fluxSubject(
  environment: string,
  name: string,
  kind: FluxObjectKind = 'Kustomization',
  namespace = 'flux-system',
): SubjectResult {
  const bad = checkEnvironment(environment);
  if (bad) return bad;
  if (!FLUX_OBJECT_KINDS.includes(kind)) {
    return invalid('kind', `"${kind}" is not one of ${FLUX_OBJECT_KINDS.join(', ')}`);
  }
  const n = encodedName(name, 'name');
  if (typeof n !== 'string') return n;
  if (kind === 'Kustomization') return { ok: true, subject: `ws.${environment}.flux.${n}` };
  const ns = encodedName(namespace, 'namespace');
  if (typeof ns !== 'string') return ns;
  return { ok: true, subject: `ws.${environment}.flux.${kind.toLowerCase()}.${ns}.${n}` };
}

/**
 * `ws.<env>.git.<commit>`; the commit must be a lower-case hex sha.
 *
 * @public
 */
export function gitSubject(environment: string, commit: string): SubjectResult {
  const bad = checkEnvironment(environment);
  if (bad) return bad;
  if (!COMMIT.test(commit)) return invalid('commit', `"${commit}" is not a lower-case hex commit sha`);
  return { ok: true, subject: `ws.${environment}.git.${commit}` };
}

/**
 * `ws.<env>.catalyst.<aggregate>.<event>`, e.g. `ws.acme-prod.catalyst.application.installed`.
 *
 * @public
 */
export function catalystSubject(environment: string, aggregate: string, event: string): SubjectResult {
  const bad = checkEnvironment(environment);
  if (bad) return bad;
  if (!WORD.test(aggregate)) return invalid('aggregate', `"${aggregate}" must match ${WORD}`);
  if (!WORD.test(event)) return invalid('event', `"${event}" must match ${WORD}`);
  return { ok: true, subject: `ws.${environment}.catalyst.${aggregate}.${event}` };
}

/**
 * The filter one projector consumer uses for a whole Environment: `ws.<env>.>`.
 *
 * @public
 */
export function environmentSubjectFilter(environment: string): SubjectResult {
  const bad = checkEnvironment(environment);
  if (bad) return bad;
  return { ok: true, subject: `ws.${environment}.>` };
}
