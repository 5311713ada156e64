import { diffArrays } from 'diff';

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

type Op = DiffLine['op'];

// The edit script's cost grows with the number of differences; beyond this many the file is shown
// as replaced rather than holding the browser for seconds.
const MAX_EDIT_LENGTH = 2000;

function splitLines(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const lines = text.split('\n');
  // a final newline ends the last line rather than starting an empty one
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const opOf = (change: { added: boolean; removed: boolean }): Op => {
  if (change.added) return '+';
  return change.removed ? '-' : ' ';
};

/** The shortest edit script (jsdiff's Myers) from a to b, or everything replaced when it would cost too much. */
function editScript(a: string[], b: string[]): Op[] {
  const changes = diffArrays(a, b, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes) return [...Array<Op>(a.length).fill('-'), ...Array<Op>(b.length).fill('+')];
  return changes.flatMap(c => Array<Op>(c.count).fill(opOf(c)));
}

/** The line-by-line difference of two texts (undefined = the file does not exist on that side). */
export function diffLines(before: string | undefined, after: string | undefined): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // common ends stay context even when the middle is too different to diff
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = [
    ...Array<Op>(start).fill(' '),
    ...editScript(a.slice(start, endA), b.slice(start, endB)),
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
