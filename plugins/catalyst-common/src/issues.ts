/**
 * One problem found in an input: where (a JSON path such as `spec.depends[0].version`, or the empty path for the
 * whole document) and what, in words a user can act on. `code` is a stable machine-readable kind
 * (`invalid-name`, `cycle`, `no-matching-version`, …) so edges can map it to an HTTP status.
 *
 * @public
 */
export interface CatalystIssue {
  code: string;
  path: string;
  message: string;
}

/**
 * Builds a JSON path from segments: `jsonPath('spec', 'depends', 0, 'version')` → `spec.depends[0].version`.
 *
 * @public
 */
export function jsonPath(...segments: Array<string | number>): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (s === '') continue;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
