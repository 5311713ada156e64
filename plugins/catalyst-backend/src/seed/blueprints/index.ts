import type { SeedBlueprint } from './shared';
import { postgres } from './postgres';
import { redis } from './redis';
import { wordpress } from './wordpress';
import { staticSite } from './staticSite';
import { grafana } from './grafana';
import { echo } from './echo';
import { starterBundle } from './starterBundle';
import { acmePayments } from './acmePayments';

export type { SeedBlueprint, SeedBlueprintVersion } from './shared';

/** Every seed Blueprint, public ones first. */
export function seedBlueprints(): SeedBlueprint[] {
  return [postgres(), redis(), wordpress(), staticSite(), grafana(), echo(), starterBundle(), acmePayments()];
}
