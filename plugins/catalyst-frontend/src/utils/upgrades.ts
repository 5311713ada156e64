import { compareVersions, versionSatisfies } from '@internal/plugin-catalyst-common';
import type { BlueprintDetail, BlueprintVersionDetail } from '@internal/plugin-catalyst-common';

/**
 * Upgrade offers: which registered Blueprint version an Application pinned to an older one may move
 * to, and the release notes of the versions in between. The server decides (the upgrade's dry run
 * and the write apply catalyst-common's `checkUpgrade`); this only chooses what to offer.
 */

const compare = (a: string, b: string): number | undefined => {
  try {
    return compareVersions(a, b);
  } catch {
    return undefined;
  }
};

/**
 * Why the version's `upgrades` rules refuse a move from `from`, in the words of `checkUpgrade`
 * (`blocks` win over `from`; an empty `from` allows every older version), or undefined.
 */
export function upgradeRuleRefusal(
  blueprint: string,
  target: Pick<BlueprintVersionDetail, 'version' | 'upgrades'>,
  from: string,
): string | undefined {
  const blocks = target.upgrades?.blocks ?? [];
  const blocked = blocks.find(p => versionSatisfies(from, p));
  if (blocked) {
    return `${blueprint} ${target.version} has no upgrade path from ${from} (blocked: ${blocked}); reinstall instead`;
  }
  const allowedFrom = target.upgrades?.from ?? [];
  if (allowedFrom.length > 0 && !allowedFrom.some(p => versionSatisfies(from, p))) {
    return `${blueprint} ${target.version} upgrades only from ${allowedFrom.join(
      ', ',
    )}; upgrade ${from} through an intermediate version first`;
  }
  return undefined;
}

/** What to offer an Application pinned to `pinned`. */
export interface UpgradeOffer {
  /** The newest registered version. */
  latest: string;
  /** The newest version the `upgrades` rules allow from `pinned` (the latest, unless they refuse it). */
  target?: string;
  /** Why the latest is not offered, when `target` is not the latest. */
  latestRefusal?: string;
}

/** Every registered version of the Blueprint, whether or not the detail describes it. */
function registeredVersions(blueprint: Pick<BlueprintDetail, 'versions' | 'versionDetails'>): string[] {
  return [...new Set([...(blueprint.versions ?? []), ...(blueprint.versionDetails ?? []).map(v => v.version)])];
}

/**
 * The upgrade to offer, or undefined when no registered version is newer than `pinned` (or the pin
 * is not a version). A version the detail does not describe has no rules to check here: its dry
 * run says whether it may be reached.
 */
export function upgradeOfferFor(
  blueprint: Pick<BlueprintDetail, 'name' | 'versions' | 'versionDetails'>,
  pinned: string,
): UpgradeOffer | undefined {
  const newer = registeredVersions(blueprint)
    .filter(v => (compare(v, pinned) ?? 0) > 0)
    .sort((a, b) => compareVersions(b, a));
  if (newer.length === 0) return undefined;
  const latest = newer[0];
  const refusalOf = (version: string) => {
    const detail = blueprint.versionDetails?.find(d => d.version === version);
    return detail ? upgradeRuleRefusal(blueprint.name, detail, pinned) : undefined;
  };
  const target = newer.find(v => refusalOf(v) === undefined);
  const latestRefusal = target === latest ? undefined : refusalOf(latest);
  return { latest, ...(target ? { target } : {}), ...(latestRefusal ? { latestRefusal } : {}) };
}

const HEADING = /^(#{1,6})\s+(.*)$/;
const CHANGELOG_TITLE = /^(changes|changelog|change log|release notes|what's new|history)\b/i;
const BULLET = /^\s*[-*+]\s+(.*)$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The notes of one version in a README's changelog section ("Changes", "Changelog", "Release
 * notes", …): the section under a heading naming the version (`### 1.2.0`, `## [1.2.0] - date`), or
 * the list item naming it (`- **1.2.0** — Configurable text.`). Undefined when there is none.
 */
export function releaseNotesOf(readme: string | undefined, version: string): string | undefined {
  if (!readme) return undefined;
  const lines = readme.split(/\r?\n/);
  // the version as a whole token: 1.2.0 must not match 1.2.0-rc.1 or 11.2.0
  const named = new RegExp(`(^|[^0-9A-Za-z.-])v?${escapeRegExp(version)}(?![0-9A-Za-z-]|\\.[0-9A-Za-z])`);
  let start = -1;
  let level = 0;
  for (let i = 0; i < lines.length; i++) {
    const h = HEADING.exec(lines[i]);
    if (h && CHANGELOG_TITLE.test(h[2].trim())) {
      start = i + 1;
      level = h[1].length;
      break;
    }
  }
  if (start < 0) return undefined;
  let end = lines.length;
  for (let i = start; i < lines.length; i++) {
    const h = HEADING.exec(lines[i]);
    if (h && h[1].length <= level) {
      end = i;
      break;
    }
  }
  const section = lines.slice(start, end);

  for (let i = 0; i < section.length; i++) {
    const h = HEADING.exec(section[i]);
    if (!h || !named.test(h[2])) continue;
    const out: string[] = [];
    for (let j = i + 1; j < section.length; j++) {
      const next = HEADING.exec(section[j]);
      if (next && next[1].length <= h[1].length) break;
      out.push(section[j]);
    }
    const text = out.join('\n').trim();
    return text || undefined;
  }

  for (let i = 0; i < section.length; i++) {
    const b = BULLET.exec(section[i]);
    if (!b || !named.test(b[1])) continue;
    const out = [b[1]];
    // continuation lines are indented and are not items of their own
    for (let j = i + 1; j < section.length && /^\s+\S/.test(section[j]) && !BULLET.exec(section[j]); j++) {
      out.push(section[j].trim());
    }
    return out.join(' ').trim();
  }
  return undefined;
}

/** One version of a changelog. */
export interface ChangelogEntry {
  version: string;
  /** Markdown, from the README (undefined when it has none for this version). */
  notes?: string;
}

/**
 * The release notes of every version after `from` up to and including `to`, newest first. Each
 * version's notes come from its own README, else from the README of `to` (whose changelog usually
 * lists every earlier version).
 */
export function changelogBetween(
  blueprint: Pick<BlueprintDetail, 'versions' | 'versionDetails'>,
  from: string,
  to: string,
): ChangelogEntry[] {
  const readmeOf = (version: string) => blueprint.versionDetails?.find(d => d.version === version)?.readme;
  return registeredVersions(blueprint)
    .filter(v => (compare(v, from) ?? 0) > 0 && (compare(v, to) ?? 1) <= 0)
    .sort((a, b) => compareVersions(b, a))
    .map(version => {
      const notes = releaseNotesOf(readmeOf(version), version) ?? releaseNotesOf(readmeOf(to), version);
      return notes ? { version, notes } : { version };
    });
}
