import type { CatalystApi } from '../../api';
import { hostnameProblem } from '../validation';

/** A domain already in use, and by what. */
export interface UsedDomain {
  domain: string;
  usedBy: string;
}

/** Keys whose string values are host names in Blueprint configurations (`domain`, `adminHost`, `hostname`). */
const DOMAIN_KEY = /(domain|host|hostname)$/i;
/** Reading every Application's values is one call each: enough to suggest, bounded for big Organizations. */
const MAX_APPLICATIONS = 50;

function collect(values: unknown, out: string[], depth = 0): void {
  if (depth > 8 || !values || typeof values !== 'object' || Array.isArray(values)) return;
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    if (typeof value === 'string' && DOMAIN_KEY.test(key) && value.includes('.') && !hostnameProblem(value))
      out.push(value);
    else collect(value, out, depth + 1);
  }
}

/**
 * The domains the Organization's Applications use, read from their configuration across the
 * Organization's Environments the user can see. Sorted, each once, with the first user.
 */
export async function organizationDomains(api: CatalystApi, organization: string): Promise<UsedDomain[]> {
  const environments = await api.listEnvironments({ organization });
  const apps = (
    await Promise.all(
      environments.map(async e => (await api.listApplications(e.name)).map(a => ({ env: e.name, app: a.name }))),
    )
  )
    .flat()
    .slice(0, MAX_APPLICATIONS);
  const found = new Map<string, string>();
  for (const { env, app } of apps) {
    const detail = await api.getApplication(env, app);
    const domains: string[] = [];
    collect(detail.values, domains);
    for (const d of domains) if (!found.has(d)) found.set(d, `${app} in ${env}`);
  }
  return [...found.entries()]
    .map(([domain, usedBy]) => ({ domain, usedBy }))
    .sort((a, b) => a.domain.localeCompare(b.domain));
}
