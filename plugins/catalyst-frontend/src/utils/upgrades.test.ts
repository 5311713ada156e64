import type { BlueprintVersionDetail } from '@internal/plugin-catalyst-common';
import { changelogBetween, releaseNotesOf, upgradeOfferFor, upgradeRuleRefusal } from './upgrades';

const version = (v: string, extra: Partial<BlueprintVersionDetail> = {}): BlueprintVersionDetail => ({
  version: v,
  configSchema: {},
  depends: [],
  overlays: [],
  ...extra,
});

/** The seed's README shape: every version's notes up to this one, newest first. */
const seedReadme = (notes: Array<[string, string]>) =>
  `# Echo\n\nAnswers every HTTP request.\n\n## Changes\n\n${notes.map(([v, n]) => `- **${v}** — ${n}`).join('\n')}\n`;

describe('upgradeRuleRefusal', () => {
  it.each<[string, BlueprintVersionDetail['upgrades'], string, string | undefined]>([
    ['no rules', undefined, '1.0.0', undefined],
    ['empty from allows every older version', { from: [] }, '0.1.0', undefined],
    ['from matches', { from: ['1.1.x'] }, '1.1.4', undefined],
    [
      'from does not match',
      { from: ['1.1.x'] },
      '1.0.0',
      'bp-x 2.0.0 upgrades only from 1.1.x; upgrade 1.0.0 through an intermediate version first',
    ],
    [
      'blocks win over from',
      { from: ['1.x'], blocks: ['1.0.x'] },
      '1.0.3',
      'bp-x 2.0.0 has no upgrade path from 1.0.3 (blocked: 1.0.x); reinstall instead',
    ],
  ])('%s', (_, upgrades, from, expected) => {
    expect(upgradeRuleRefusal('bp-x', version('2.0.0', upgrades ? { upgrades } : {}), from)).toBe(expected);
  });
});

describe('upgradeOfferFor', () => {
  const blueprint = (details: BlueprintVersionDetail[], versions = details.map(d => d.version)) => ({
    name: 'bp-x',
    versions,
    versionDetails: details,
  });

  it.each<[string, ReturnType<typeof blueprint>, string, ReturnType<typeof upgradeOfferFor>]>([
    ['nothing newer', blueprint([version('1.0.0'), version('1.1.0')]), '1.1.0', undefined],
    ['a pin that is not a version', blueprint([version('1.0.0')]), 'main', undefined],
    [
      'the latest, compared as versions (1.10.0 is newer than 1.9.0)',
      blueprint([version('1.2.0'), version('1.10.0'), version('1.9.0')]),
      '1.2.0',
      { latest: '1.10.0', target: '1.10.0' },
    ],
    [
      'an intermediate version when the latest upgrades only from it',
      blueprint([version('0.1.0'), version('0.2.0'), version('1.0.0', { upgrades: { from: ['0.2.x'] } })]),
      '0.1.0',
      {
        latest: '1.0.0',
        target: '0.2.0',
        latestRefusal: 'bp-x 1.0.0 upgrades only from 0.2.x; upgrade 0.1.0 through an intermediate version first',
      },
    ],
    [
      'no target when every newer version refuses',
      blueprint([version('1.0.0'), version('2.0.0', { upgrades: { blocks: ['1.x'] } })]),
      '1.0.0',
      {
        latest: '2.0.0',
        latestRefusal: 'bp-x 2.0.0 has no upgrade path from 1.0.0 (blocked: 1.x); reinstall instead',
      },
    ],
    [
      'a registered version without details is offered (its dry run decides)',
      blueprint([version('1.0.0')], ['1.0.0', '1.1.0']),
      '1.0.0',
      { latest: '1.1.0', target: '1.1.0' },
    ],
  ])('%s', (_, bp, pinned, expected) => {
    expect(upgradeOfferFor(bp, pinned)).toEqual(expected);
  });
});

describe('releaseNotesOf', () => {
  it.each<[string, string | undefined, string, string | undefined]>([
    ['no README', undefined, '1.0.0', undefined],
    ['no changelog section', '# X\n\nVersion 1.0.0 is great.\n', '1.0.0', undefined],
    [
      'a list item (the seed)',
      seedReadme([
        ['0.2.0', 'Configurable `text`.'],
        ['0.1.0', 'HTTP echo server.'],
      ]),
      '0.2.0',
      '**0.2.0** — Configurable `text`.',
    ],
    [
      'not a longer version',
      seedReadme([
        ['1.2.0-rc.1', 'Preview.'],
        ['11.2.0', 'Far future.'],
      ]),
      '1.2.0',
      undefined,
    ],
    [
      'a heading per version (Keep a Changelog)',
      '# X\n\n## Changelog\n\n### [1.2.0] - 2026-11-01\n\n- Adds `message`.\n- nginx 1.27.\n\n### [1.1.0]\n\nTitle.\n\n## License\n\nMIT\n',
      '1.2.0',
      '- Adds `message`.\n- nginx 1.27.',
    ],
    [
      'only inside the changelog section',
      '# X\n\n## Usage\n\n- 1.1.0 needs a domain\n\n## Release notes\n\n- 1.0.0 first\n',
      '1.1.0',
      undefined,
    ],
    [
      'a version with a v prefix',
      '## Changes\n\n- v2.0.0: rewritten\n  on nginx\n- v1.0.0: first\n',
      '2.0.0',
      'v2.0.0: rewritten on nginx',
    ],
  ])('%s', (_, readme, v, expected) => {
    expect(releaseNotesOf(readme, v)).toBe(expected);
  });
});

describe('changelogBetween', () => {
  it('lists every version after the pin up to the target, newest first, from its own README or the target’s', () => {
    const bp = {
      versions: ['1.0.0', '1.1.0', '1.2.0', '1.3.0'],
      versionDetails: [
        version('1.0.0'),
        // its own README has no changelog: the target's says it
        version('1.1.0', { readme: '# X\n' }),
        version('1.2.0', { readme: seedReadme([['1.2.0', 'Adds `message`.']]) }),
        version('1.3.0', {
          readme: seedReadme([
            ['1.3.0', 'nginx 1.27.'],
            ['1.1.0', 'Adds `title`.'],
          ]),
        }),
      ],
    };
    expect(changelogBetween(bp, '1.0.0', '1.3.0')).toEqual([
      { version: '1.3.0', notes: '**1.3.0** — nginx 1.27.' },
      { version: '1.2.0', notes: '**1.2.0** — Adds `message`.' },
      { version: '1.1.0', notes: '**1.1.0** — Adds `title`.' },
    ]);
    expect(changelogBetween(bp, '1.1.0', '1.2.0')).toEqual([
      { version: '1.2.0', notes: '**1.2.0** — Adds `message`.' },
    ]);
    expect(changelogBetween({ versions: ['1.0.0', '2.0.0'], versionDetails: [] }, '1.0.0', '2.0.0')).toEqual([
      { version: '2.0.0' },
    ]);
  });
});
