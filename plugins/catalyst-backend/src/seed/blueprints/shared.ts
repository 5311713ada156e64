import { lte } from 'semver';
import type { Doc, Resources } from '../manifests';
import { toYaml } from '../manifests';

/**
 * The Blueprint catalog the embedded portal is seeded with: several released versions per Blueprint,
 * a conditional dependency (the CMS on a database when embedded), an unlisted and a private Blueprint,
 * and a composite bundle. Each version is the full folder content `bp-<name>/…` at its release tag.
 */
export interface SeedBlueprintVersion {
  version: string;
  /** `bp-<name>/…` paths relative to the Blueprint folder → content. */
  files: Record<string, string>;
}

export interface SeedBlueprint {
  name: string;
  /** `catalog` (the Sovereign's public mirror) or an Organization's `shared-blueprints`. */
  repo: 'catalog' | { organization: string };
  versions: SeedBlueprintVersion[];
}

export const API_VERSION = 'catalyst.openova.io/v1alpha1';

export interface VersionDef {
  version: string;
  image: string;
  notes: string;
  upgrades?: { from?: string[]; blocks?: string[] };
}

export function blueprintYaml(name: string, version: string, spec: Doc): string {
  return toYaml({ apiVersion: API_VERSION, kind: 'Blueprint', metadata: { name, version }, spec });
}

export function readme(title: string, body: string, versions: VersionDef[], current: string): string {
  const changes = versions
    .filter(v => lte(v.version, current))
    .reverse()
    .map(v => `- **${v.version}** — ${v.notes}`)
    .join('\n');
  return `# ${title}\n\n${body}\n\n## Changes\n\n${changes}\n`;
}

export function icon(letter: string, colour: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="${colour}"/><text x="32" y="42" font-family="sans-serif" font-size="30" text-anchor="middle" fill="#fff">${letter}</text></svg>\n`;
}

export const imageTag = (def: string) => ({
  type: 'object',
  description: 'Container image override (development and troubleshooting).',
  properties: { tag: { type: 'string', default: def, description: 'Image tag' } },
  default: {},
});

export const SMALL_MEDIUM_LARGE: Resources = {
  small: { cpu: '50m', memory: '64Mi', limit: '128Mi' },
  medium: { cpu: '200m', memory: '256Mi', limit: '512Mi' },
  large: { cpu: '1', memory: '1Gi', limit: '2Gi' },
};
