import { diffFileSets, diffHunks, diffLines, formatUnifiedDiff } from './unifiedDiff';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

/** Length of the longest common subsequence, the reference a shortest edit script must match. */
function lcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
    }
  }
  return t[0][0];
}

describe('diffLines', () => {
  it.each<[string, string | undefined, string | undefined, string]>([
    ['identical', lines('a', 'b'), lines('a', 'b'), ' a  b'],
    ['added file', undefined, lines('a', 'b'), '+a +b'],
    ['removed file', lines('a'), undefined, '-a'],
    ['both empty', '', '', ''],
    ['one changed line', lines('a', 'b', 'c'), lines('a', 'B', 'c'), ' a -b +B  c'],
    ['insert in the middle', lines('a', 'c'), lines('a', 'b', 'c'), ' a +b  c'],
    ['delete at the end', lines('a', 'b', 'c'), lines('a', 'b'), ' a  b -c'],
    ['no final newline', 'a\nb', 'a\nb\n', ' a  b'],
  ])('%s', (_name, before, after, expected) => {
    expect(
      diffLines(before, after)
        .map(l => `${l.op}${l.text}`)
        .join(' '),
    ).toBe(expected);
  });

  it('numbers old and new lines', () => {
    expect(diffLines(lines('a', 'b'), lines('x', 'a', 'b'))).toEqual([
      { op: '+', text: 'x', newNumber: 1 },
      { op: ' ', text: 'a', oldNumber: 1, newNumber: 2 },
      { op: ' ', text: 'b', oldNumber: 2, newNumber: 3 },
    ]);
  });

  it('finds a shortest edit script that turns one text into the other (random texts)', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: Math.floor(random() * 12) }, () => 'abcd'[Math.floor(random() * 4)]);
      const b = Array.from({ length: Math.floor(random() * 12) }, () => 'abcd'[Math.floor(random() * 4)]);
      const diff = diffLines(a.length ? lines(...a) : '', b.length ? lines(...b) : '');
      expect(diff.filter(l => l.op !== '+').map(l => l.text)).toEqual(a);
      expect(diff.filter(l => l.op !== '-').map(l => l.text)).toEqual(b);
      expect(diff.filter(l => l.op === ' ')).toHaveLength(lcs(a, b));
    }
  });

  it('shows very different large files as replaced instead of searching on for a shortest script', () => {
    // one shared line in the middle: a full search would keep it, the capped search gives up first
    const a = Array.from({ length: 3000 }, (_, i) => (i === 1500 ? 'shared' : `old ${i}`));
    const b = Array.from({ length: 3000 }, (_, i) => (i === 1500 ? 'shared' : `new ${i}`));
    const diff = diffLines(lines(...a), lines(...b));
    expect(diff.filter(l => l.op === ' ')).toEqual([]);
    expect(diff.filter(l => l.op === '-')).toHaveLength(3000);
    expect(diff.filter(l => l.op === '+')).toHaveLength(3000);
    // the common ends stay context lines even then
    const framed = diffLines(lines('head', ...a, 'tail'), lines('head', ...b, 'tail'));
    expect(framed[0]).toEqual({ op: ' ', text: 'head', oldNumber: 1, newNumber: 1 });
    expect(framed[framed.length - 1]).toEqual({ op: ' ', text: 'tail', oldNumber: 3002, newNumber: 3002 });
  });
});

describe('diffHunks and formatUnifiedDiff', () => {
  const before = lines('1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12');

  it('has no hunks for equal texts', () => {
    expect(diffHunks(before, before)).toEqual([]);
    expect(formatUnifiedDiff('f', before, before)).toBe('');
  });

  it('keeps three lines of context and merges close changes', () => {
    const after = lines('1', '2', 'three', '4', '5', '6', '7', '8', '9', '10', '11', 'twelve');
    expect(formatUnifiedDiff('values.yaml', before, after)).toBe(
      [
        '--- a/values.yaml',
        '+++ b/values.yaml',
        '@@ -1,6 +1,6 @@',
        ' 1',
        ' 2',
        '-3',
        '+three',
        ' 4',
        ' 5',
        ' 6',
        '@@ -9,4 +9,4 @@',
        ' 9',
        ' 10',
        ' 11',
        '-12',
        '+twelve',
        '',
      ].join('\n'),
    );
    const merged = diffHunks(before, lines('1', '2', 'x', '4', '5', '6', '7', 'y', '9', '10', '11', '12'));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ oldStart: 1, oldLines: 11, newStart: 1, newLines: 11 });
  });

  it('writes /dev/null and a zero start for added and removed files', () => {
    expect(formatUnifiedDiff('new.yaml', undefined, lines('a'))).toBe(
      '--- /dev/null\n+++ b/new.yaml\n@@ -0,0 +1,1 @@\n+a\n',
    );
    expect(formatUnifiedDiff('old.yaml', lines('a'), undefined)).toBe(
      '--- a/old.yaml\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n',
    );
  });
});

describe('diffFileSets', () => {
  it('lists added, modified and removed files by path, and skips equal ones', () => {
    expect(diffFileSets({ a: '1', b: '2', c: '3' }, { b: '2', c: '4', d: '5' })).toEqual([
      { path: 'a', change: 'removed', before: '1' },
      { path: 'c', change: 'modified', before: '3', after: '4' },
      { path: 'd', change: 'added', after: '5' },
    ]);
  });
});
