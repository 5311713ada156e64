import type { ApplicationStatus, ApplicationSummary, ApplicationView } from '@internal/plugin-catalyst-common';

export interface TopologyNode {
  id: string;
  blueprint?: string;
  version?: string;
  status?: ApplicationStatus;
  /** The Application the page is about. */
  current: boolean;
}

/** `from` depends on `to` (Flux dependsOn). */
export interface TopologyEdge {
  from: string;
  to: string;
}

/**
 * The dependency graph around one Application: every Application connected to it through
 * dependencies (either way, transitively), from Git's dependencies and the read model's dependsOn.
 */
export function topologyOf(
  application: string,
  summaries: readonly ApplicationSummary[],
  views: Readonly<Record<string, ApplicationView>>,
): { nodes: TopologyNode[]; edges: TopologyEdge[] } {
  const edges = new Map<string, TopologyEdge>();
  const add = (from: string, to: string) => edges.set(`${from}\u0000${to}`, { from, to });
  for (const s of summaries) for (const d of s.dependencies) add(s.name, d.application);
  for (const v of Object.values(views)) for (const d of v.dependsOn) add(v.name, d);

  const neighbours = new Map<string, string[]>();
  for (const { from, to } of edges.values()) {
    neighbours.set(from, [...(neighbours.get(from) ?? []), to]);
    neighbours.set(to, [...(neighbours.get(to) ?? []), from]);
  }
  const seen = new Set([application]);
  const queue = [application];
  while (queue.length) {
    for (const next of neighbours.get(queue.shift()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  const byName = new Map(summaries.map(s => [s.name, s]));
  const nodes = [...seen].sort().map(id => {
    const s = byName.get(id);
    const v = views[id];
    const node: TopologyNode = { id, current: id === application };
    const blueprint = s?.blueprint ?? v?.blueprint ?? undefined;
    const version = v?.version ?? s?.version ?? undefined;
    if (blueprint) node.blueprint = blueprint;
    if (version) node.version = version;
    if (v) node.status = v.status;
    return node;
  });
  return {
    nodes,
    edges: [...edges.values()]
      .filter(e => seen.has(e.from) && seen.has(e.to))
      .sort((a, b) => (a.from + a.to).localeCompare(b.from + b.to)),
  };
}
