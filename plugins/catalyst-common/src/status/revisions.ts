/**
 * Git revisions as Flux and the Git writer spell them: `main@sha1:<hex>` (Flux v1 API),
 * `main/<hex>` (older Flux), `sha1:<hex>` or a bare sha. Only the hex part identifies the commit.
 */
const SHA = /([0-9a-f]{7,64})$/i;
const BARE_SHA = /^[0-9a-f]{7,64}$/;

/**
 * The commit sha in a revision string, lower-cased, or `null` when there is none.
 *
 * @public
 */
export function revisionSha(revision: string | null | undefined): string | null {
  if (!revision) return null;
  // Fast path for the bare lower-case shas the Git events carry.
  if (BARE_SHA.test(revision)) return revision;
  const match = SHA.exec(revision.trim());
  return match ? match[1].toLowerCase() : null;
}

function samePrefix(x: string, y: string): boolean {
  if (!x || !y) return false;
  return x.length <= y.length ? y.startsWith(x) : x.startsWith(y);
}

/** Two revisions name the same commit when one sha is a prefix of the other (abbreviated shas). @public */
export function sameCommit(a: string | null | undefined, b: string | null | undefined): boolean {
  return samePrefix(revisionSha(a) ?? '', revisionSha(b) ?? '');
}

/**
 * Whether Flux, having applied `applied`, has applied `desired` too. Flux reports the repository
 * head it applied, which is usually newer than the commit that last touched the Application, so
 * equality is not enough: `knownRevisions` (newest first, from the Git events) orders them.
 * A desired commit missing from the list is older than every listed one.
 *
 * @public
 */
export function revisionIncludes(
  applied: string | null | undefined,
  desired: string | null | undefined,
  knownRevisions: ReadonlyArray<string> = [],
): boolean {
  if (!applied || !desired) return false;
  const a = revisionSha(applied);
  const d = revisionSha(desired);
  if (!a || !d) return false;
  if (samePrefix(a, d)) return true;
  const appliedAt = knownRevisions.findIndex(r => samePrefix(revisionSha(r) ?? '', a));
  const desiredAt = knownRevisions.findIndex(r => samePrefix(revisionSha(r) ?? '', d));
  if (appliedAt === -1) return false;
  return desiredAt === -1 || appliedAt <= desiredAt;
}

/** `main@sha1:0123456789abcdef…` → `main@sha1:0123456`, for reasons people read. @public */
export function shortRevision(revision: string): string {
  const sha = revisionSha(revision);
  if (!sha) return revision;
  const at = revision.toLowerCase().lastIndexOf(sha);
  return `${revision.slice(0, at)}${sha.slice(0, 7)}`;
}
