import log from '../__fixtures__/projection/acme-prod.log.json';
import expectedKv from '../__fixtures__/projection/acme-prod.expected-kv.json';
import expectedUsage from '../__fixtures__/projection/acme-prod.expected-usage.json';
import { generateEventLog, interleave } from '../__fixtures__/projection/generateEventLog';
import { createCatalystEvent, CATALYST_EVENT_TYPES } from '../events/catalystEvent';
import { diffKvEntries } from './kv';
import { foldEvent, project } from './project';
import { createEnvironmentState, EnvironmentState } from './state';
import {
  blueprintUsageEntries,
  blueprintUsageItems,
  blueprintUsageKey,
  BlueprintUsageRecord,
  diffBlueprintUsage,
  parseBlueprintUsageKey,
} from './usage';

const events = (log as Array<{ event: unknown; note?: string }>).map(e => e.event);

function fold(list: unknown[], start = createEnvironmentState('acme-prod'), firstSeq = 1): EnvironmentState {
  return list.reduce<EnvironmentState>((state, event, i) => project(state, event, firstSeq + i), start);
}

/** A usage image after applying change sets, through JSON like the KV. */
function apply(image: Record<string, unknown>, changes: { put: Record<string, unknown>; delete: string[] }) {
  const next = { ...image, ...(JSON.parse(JSON.stringify(changes.put)) as Record<string, unknown>) };
  for (const key of changes.delete) delete next[key];
  return next;
}

const commit = (sha: string, applications: unknown[]) =>
  createCatalystEvent({
    id: `git/acme-prod/${sha}`,
    source: 'catalyst/git-watcher',
    type: CATALYST_EVENT_TYPES.gitCommit,
    subject: `commit/${sha}`,
    time: '2026-12-01T10:00:00Z',
    organization: 'acme',
    environment: 'acme-prod',
    data: {
      sha,
      author: { name: 'Ada' },
      message: 'change',
      time: '2026-12-01T10:00:00Z',
      applications: applications as never,
    },
  });

describe('Blueprint usage view: replaying the acme-prod fixture log', () => {
  const state = fold(events);

  it('holds one record per pinned Application, keyed <blueprint>.<environment>.<application>', () => {
    expect(blueprintUsageEntries(state)).toEqual(expectedUsage);
  });

  it("shows the same live status as the Application's view in the read model", () => {
    const kv = expectedKv as unknown as Record<string, Record<string, unknown>>;
    for (const record of Object.values(expectedUsage as Record<string, BlueprintUsageRecord>)) {
      const view = kv[`application.${record.application}`];
      expect(record.live).toEqual({
        status: view.status,
        reason: view.reason,
        pods: view.pods,
        version: view.version,
        targetVersion: view.targetVersion,
      });
    }
  });

  it('changes a record only when what the usage table shows changed', () => {
    const entries = log as Array<{ event: unknown; note?: string }>;
    let before = createEnvironmentState('acme-prod');
    const viewOnly: string[] = [];
    let usageWrites = 0;
    entries.forEach(({ event, note }, i) => {
      const after = project(before, event, i + 1);
      const usage = diffBlueprintUsage(before, after);
      const views = Object.keys(diffKvEntries(before, after).put).filter(k => k.startsWith('application.'));
      if (Object.keys(usage.put).length > 0 || usage.delete.length > 0) usageWrites += 1;
      else if (views.length > 0) viewOnly.push(note ?? String(i + 1));
      before = after;
    });
    // Flux applying an unrelated commit moves the view's appliedRevision, not what the table shows.
    expect(viewOnly).toContain('an unrelated commit leaves wordpress Running');
    expect(usageWrites).toBeGreaterThan(3);
  });
});

describe('Blueprint usage view: one diff per batch (how the projector writes)', () => {
  it.each([
    [1, 1],
    [2, 7],
    [3, 64],
  ])('seed %i, batches of %i: the image after every batch is the usage of the folded state', (seed, batchSize) => {
    const generated = generateEventLog({ seed, applications: 6, upgrades: 3, uninstallEvery: 3 });
    const delivered = interleave(generated, seed * 11, Math.floor(generated.length / 5));
    let state = createEnvironmentState('acme-prod');
    let before = state;
    let image: Record<string, unknown> = {};
    let deletes = 0;
    const overlays = new Set<unknown>();
    const images: Array<{ image: unknown; expected: unknown }> = [];
    delivered.forEach((event, i) => {
      state = foldEvent(state, event, i + 1).state;
      if ((i + 1) % batchSize === 0 || i === delivered.length - 1) {
        const changes = diffBlueprintUsage(before, state);
        deletes += changes.delete.length;
        image = apply(image, changes);
        Object.values(changes.put).forEach(r => overlays.add(r.overlay));
        images.push({ image, expected: JSON.parse(JSON.stringify(blueprintUsageEntries(state))) });
        before = state;
      }
    });
    for (const batch of images) expect(batch.image).toEqual(batch.expected);
    // Not vacuous: Applications were installed, resized and uninstalled along the way.
    expect(Object.keys(image).length).toBe(4);
    expect(deletes).toBeGreaterThan(0);
    expect([...overlays].sort()).toEqual(['medium', null]);
  });

  it('moves an Application that changes Blueprint from one key to the other', () => {
    const before = fold([
      commit('a'.repeat(40), [
        { name: 'shop', change: 'added', blueprint: 'bp-a', version: '1.0.0', source: 'catalog' },
      ]),
    ]);
    const after = project(
      before,
      commit('b'.repeat(40), [
        { name: 'shop', change: 'modified', blueprint: 'bp-b', version: '2.0.0', source: 'shared-blueprints' },
      ]),
      2,
    );
    const changes = diffBlueprintUsage(before, after);
    expect(Object.keys(changes.put)).toEqual(['bp-b.acme-prod.shop']);
    expect(changes.put['bp-b.acme-prod.shop']).toMatchObject({ version: '2.0.0', source: 'shared-blueprints' });
    expect(changes.delete).toEqual(['bp-a.acme-prod.shop']);
  });

  it.each([
    ['the Application is removed from Git', { name: 'shop', change: 'removed' }, null],
    [
      'the overlay goes (a pin without overlay means none)',
      { name: 'shop', change: 'modified', blueprint: 'bp-a', version: '1.1.0', source: 'catalog' },
      { version: '1.1.0', overlay: null },
    ],
    [
      'an unreadable application.yaml (no pin) keeps the pin known so far',
      { name: 'shop', change: 'modified', valuesDigest: 'sha256:2' },
      { version: '1.0.0', overlay: 'large' },
    ],
  ] as const)('when %s', (_name, entry, expected) => {
    const before = fold([
      commit('a'.repeat(40), [
        { name: 'shop', change: 'added', blueprint: 'bp-a', version: '1.0.0', source: 'catalog', overlay: 'large' },
      ]),
    ]);
    const after = project(before, commit('c'.repeat(40), [entry]), 2);
    const image = apply(JSON.parse(JSON.stringify(blueprintUsageEntries(before))), diffBlueprintUsage(before, after));
    const shop = image['bp-a.acme-prod.shop'] as BlueprintUsageRecord | undefined;
    expect(shop ? { version: shop.version, overlay: shop.overlay } : null).toEqual(expected);
    expect(image).toEqual(JSON.parse(JSON.stringify(blueprintUsageEntries(after))));
  });

  it('has no record for an Application whose commits never named its source (an older Git publisher)', () => {
    const state = fold([commit('d'.repeat(40), [{ name: 'shop', change: 'added', blueprint: 'bp-a', version: '1' }])]);
    expect(state.applications.shop).toBeDefined();
    expect(blueprintUsageEntries(state)).toEqual({});
  });
});

describe('usage keys', () => {
  it.each([
    ['bp-web', 'acme-dev', 'web', 'bp-web.acme-dev.web'],
    ['bp-web', 'acme-dev', 'odd.name', 'bp-web.acme-dev.odd=2Ename'],
  ])('%s / %s / %s ↔ %s', (blueprint, environment, application, key) => {
    expect(blueprintUsageKey(blueprint, environment, application)).toBe(key);
    expect(parseBlueprintUsageKey(key)).toEqual({ blueprint, environment, application });
  });

  it.each([['bp-web.acme-dev'], ['a.b.c.d'], ['bp-web..web'], ['bp-web.acme-dev.=ZZ']])('%s is not one', key => {
    expect(parseBlueprintUsageKey(key)).toBeNull();
  });
});

describe('blueprintUsageItems: the usage table of GET /blueprints/:name/applications', () => {
  const record = (
    environment: string,
    application: string,
    source: 'catalog' | 'shared-blueprints',
    overlay: string | null = null,
  ): BlueprintUsageRecord => ({
    blueprint: 'bp-web',
    environment,
    organization: environment.slice(0, environment.lastIndexOf('-')),
    application,
    version: '1.0.0',
    source,
    overlay,
    live: {
      status: 'Running',
      reason: '1/1 pods ready',
      pods: { ready: 1, total: 1 },
      version: '1.0.0',
      targetVersion: null,
    },
  });
  const records = [
    record('beta-dev', 'web', 'shared-blueprints'),
    record('acme-prod', 'web', 'catalog', 'large'),
    record('acme-dev', 'zeta', 'shared-blueprints'),
    record('acme-dev', 'alpha', 'catalog'),
    record('gamma-dev', 'web', 'catalog'),
  ];
  const names = (items: ReturnType<typeof blueprintUsageItems>) =>
    items.map(i => `${i.application.environment}/${i.application.name}`);

  it.each([
    [
      'readable Environments only, by Environment then Application',
      { environments: ['acme-dev', 'acme-prod', 'beta-dev'] },
      ['acme-dev/alpha', 'acme-dev/zeta', 'acme-prod/web', 'beta-dev/web'],
    ],
    [
      "with an Organization: only that Organization's own (shared-blueprints) Blueprint",
      { environments: ['acme-dev', 'acme-prod', 'beta-dev'], organization: 'acme' },
      ['acme-dev/zeta'],
    ],
    ['nothing readable, nothing listed', { environments: [] }, []],
  ])('%s', (_name, options, expected) => {
    expect(names(blueprintUsageItems(records, options))).toEqual(expected);
  });

  it('gives each item the application and live fields of BlueprintUsageEntry, the overlay only when there is one', () => {
    const items = blueprintUsageItems(records, { environments: ['acme-prod', 'gamma-dev'] });
    expect(items).toEqual([
      {
        application: {
          name: 'web',
          environment: 'acme-prod',
          organization: 'acme',
          version: '1.0.0',
          source: 'catalog',
          overlay: 'large',
        },
        live: {
          status: 'Running',
          reason: '1/1 pods ready',
          pods: { ready: 1, total: 1 },
          version: '1.0.0',
          targetVersion: null,
        },
      },
      {
        application: {
          name: 'web',
          environment: 'gamma-dev',
          organization: 'gamma',
          version: '1.0.0',
          source: 'catalog',
        },
        live: {
          status: 'Running',
          reason: '1/1 pods ready',
          pods: { ready: 1, total: 1 },
          version: '1.0.0',
          targetVersion: null,
        },
      },
    ]);
  });
});
