/** One line of a diff: kept (` `), removed (`-`) or added (`+`), with its numbers in the old and new text. */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
  oldNumber?: number;
  newNumber?: number;
}

/** A unified-diff hunk: `@@ -oldStart,oldLines +newStart,newLines @@` and its lines. */
export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

type Op = ' ' | '-' | '+';

// Beyond this many differences Myers' trace grows quadratically; such files are shown as replaced.
const MAX_EDIT_DISTANCE = 2000;

function splitLines(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const lines = text.split('\n');
  // a final newline ends the last line rather than starting an empty one
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Myers' O(ND) shortest edit script between a and b (already stripped of common ends). */
function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const snap = trace[d];
    // snap holds V before step d for k in [-d, d]
    const at = (k: number) => snap[k + d];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push(' ');
      x--;
      y--;
    }
    if (d > 0) ops.push(x === prevX ? '+' : '-');
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

/** The line-by-line difference of two texts (undefined = the file does not exist on that side). */
export function diffLines(before: string | undefined, after: string | undefined): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const ops: Op[] = [
    ...Array<Op>(start).fill(' '),
    ...(myers(midA, midB) ?? [...Array<Op>(midA.length).fill('-'), ...Array<Op>(midB.length).fill('+')]),
    ...Array<Op>(a.length - endA).fill(' '),
  ];
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    if (op === ' ') out.push({ op, text: a[i++], oldNumber: i, newNumber: ++j });
    else if (op === '-') out.push({ op, text: a[i++], oldNumber: i });
    else out.push({ op, text: b[j++], newNumber: j });
  }
  return out;
}

/** Groups a diff into hunks with `context` unchanged lines around each change; no changes, no hunks. */
export function diffHunks(before: string | undefined, after: string | undefined, context = 3): DiffHunk[] {
  const lines = diffLines(before, after);
  const hunks: DiffHunk[] = [];
  let current: { from: number; to: number } | undefined;
  const ranges: Array<{ from: number; to: number }> = [];
  lines.forEach((line, index) => {
    if (line.op === ' ') return;
    const from = Math.max(0, index - context);
    const to = Math.min(lines.length - 1, index + context);
    if (current && from <= current.to + 1) current.to = to;
    else {
      current = { from, to };
      ranges.push(current);
    }
  });
  for (const { from, to } of ranges) {
    const slice = lines.slice(from, to + 1);
    const olds = slice.filter(l => l.op !== '+');
    const news = slice.filter(l => l.op !== '-');
    // an empty side starts at the line before it, as `diff -u` prints it
    const before0 = lines.slice(0, from);
    hunks.push({
      oldStart: olds.length ? olds[0].oldNumber! : before0.filter(l => l.op !== '+').length,
      oldLines: olds.length,
      newStart: news.length ? news[0].newNumber! : before0.filter(l => l.op !== '-').length,
      newLines: news.length,
      lines: slice,
    });
  }
  return hunks;
}

/** A `diff -u` style text of one file. */
export function formatUnifiedDiff(
  path: string,
  before: string | undefined,
  after: string | undefined,
  context = 3,
): string {
  const hunks = diffHunks(before, after, context);
  if (hunks.length === 0) return '';
  const out = [
    before === undefined ? '--- /dev/null' : `--- a/${path}`,
    after === undefined ? '+++ /dev/null' : `+++ b/${path}`,
  ];
  for (const h of hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) out.push(`${l.op}${l.text}`);
  }
  return `${out.join('\n')}\n`;
}

/** A file that differs between two sets of files (path → content). */
export interface FileDifference {
  path: string;
  change: 'added' | 'modified' | 'removed';
  before?: string;
  after?: string;
}

function changeKind(before: string | undefined, after: string | undefined): FileDifference['change'] {
  if (before === undefined) return 'added';
  return after === undefined ? 'removed' : 'modified';
}

/** The files that differ between two sets, sorted by path. */
export function diffFileSets(before: Record<string, string>, after: Record<string, string>): FileDifference[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const out: FileDifference[] = [];
  for (const path of paths) {
    const a = Object.prototype.hasOwnProperty.call(before, path) ? before[path] : undefined;
    const b = Object.prototype.hasOwnProperty.call(after, path) ? after[path] : undefined;
    if (a === b) continue;
    out.push({
      path,
      change: changeKind(a, b),
      ...(a !== undefined ? { before: a } : {}),
      ...(b !== undefined ? { after: b } : {}),
    });
  }
  return out;
}
