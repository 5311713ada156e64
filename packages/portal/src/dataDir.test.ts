import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { DATA_DIR_PARTS, MARKER_FILE, prepareDataDir } from './dataDir';
import { PortalError } from './PortalError';

const now = new Date('2026-11-23T10:00:00Z');

describe('prepareDataDir', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-portal-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const expectOneLine = (fn: () => unknown, pattern: RegExp) => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PortalError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).not.toContain('\n');
  };

  it('creates the layout and marker on first start, then reuses it', () => {
    const dir = join(root, 'nested/data');
    const first = prepareDataDir(dir, now);
    expect(first.created).toBe(true);
    for (const part of DATA_DIR_PARTS) expect(fs.statSync(join(dir, part)).isDirectory()).toBe(true);
    expect(JSON.parse(fs.readFileSync(join(dir, MARKER_FILE), 'utf8'))).toEqual({
      format: 1,
      createdAt: '2026-11-23T10:00:00.000Z',
    });
    first.release();
    const second = prepareDataDir(dir, now);
    expect(second.created).toBe(false);
    second.release();
  });

  it('refuses a file in place of the data dir', () => {
    const file = join(root, 'file');
    fs.writeFileSync(file, 'x');
    expectOneLine(() => prepareDataDir(file, now), /exists but is not a directory/);
  });

  it('refuses a non-empty directory that is not a Catalyst data dir, and leaves it untouched', () => {
    fs.writeFileSync(join(root, 'notes.txt'), 'mine');
    expectOneLine(() => prepareDataDir(root, now), /is not a Catalyst data dir \(no catalyst\.json\)/);
    expect(fs.readdirSync(root)).toEqual(['notes.txt']);
  });

  it.each([
    [
      'an unreadable marker',
      (d: string) => fs.writeFileSync(join(d, MARKER_FILE), '{not json'),
      /is corrupt: catalyst\.json is unreadable/,
    ],
    [
      'a future layout format',
      (d: string) => fs.writeFileSync(join(d, MARKER_FILE), '{"format": 99}'),
      /has layout format 99/,
    ],
    [
      'a missing part',
      (d: string) => fs.rmSync(join(d, 'git'), { recursive: true }),
      /is incomplete: git\/ is missing/,
    ],
    [
      'a broken bare repository',
      (d: string) => {
        fs.mkdirSync(join(d, 'git/acme/acme-dev.git/objects'), { recursive: true });
        fs.mkdirSync(join(d, 'git/acme/acme-dev.git/refs'));
      },
      /is corrupt: git\/acme\/acme-dev\.git is not a Git repository \(no HEAD\)/,
    ],
    [
      'a database that is not SQLite',
      (d: string) => fs.writeFileSync(join(d, 'db/catalog.sqlite'), 'garbage garbage garbage'),
      /is corrupt: db\/catalog\.sqlite is not an SQLite database/,
    ],
  ])('reports %s in one line', (_label, damage, pattern) => {
    prepareDataDir(root, now).release();
    damage(root);
    expectOneLine(() => prepareDataDir(root, now), pattern);
  });

  it('refuses a data dir locked by a live process and takes over a stale lock', () => {
    prepareDataDir(root, now); // lock held by this process: it counts as ours
    fs.writeFileSync(join(root, 'catalyst.lock'), `${process.ppid}\n`);
    expectOneLine(
      () => prepareDataDir(root, now),
      new RegExp(`in use by another Catalyst portal \\(pid ${process.ppid}\\)`),
    );
    fs.writeFileSync(join(root, 'catalyst.lock'), '999999999\n');
    const taken = prepareDataDir(root, now);
    expect(fs.readFileSync(join(root, 'catalyst.lock'), 'utf8').trim()).toBe(String(process.pid));
    taken.release();
    expect(fs.existsSync(join(root, 'catalyst.lock'))).toBe(false);
  });
});
