import semver from 'semver';
import {
  BlueprintCatalog,
  BlueprintVersion,
  availableOverlays,
  defaultOverlay,
  installableVersions,
} from '../blueprint/catalog';
import { applicationRefFields, applySchemaDefaults, validateConfigValues } from '../blueprint/configSchema';
import { isCompositeBlueprint } from '../blueprint/validateBlueprint';
import { ExpressionContext } from '../expressions/evaluate';
import { evaluateWhen, renderTemplateValues } from '../expressions/templates';
import { jsonPath } from '../issues';
import { OverlaySize, Placement } from '../kinds/application';
import { parseWith } from '../kinds/common';
import {
  dependencyApplicationName,
  parseEnvironmentName,
  validateApplicationName,
  validateBlueprintName,
  validateVersion,
  validateVersionRange,
  versionSatisfies,
} from '../naming';
import {
  DependencyChoice,
  InstallIssue,
  InstallPlan,
  InstallRequest,
  InstallResult,
  PlannedApplication,
  PlannedDependency,
  SkippedDependency,
  installRequestSchema,
} from './types';
import { JsonObject, canonicalJson, deepMerge, jsonDepth, mergeAgreeing, readPath } from './values';

type Request = ReturnType<typeof installRequestSchema.parse>;

/** One edge arriving at an Application: what the depending side asks of it. */
interface Requirement {
  range: string;
  /** Rendered `depends[].values` of the declaring Blueprint. */
  values: JsonObject;
  /** Values from the user's choice for this alias path (or the request's values for the root). */
  userValues: JsonObject;
  /** Overlay the user chose for this alias path, if any. */
  overlay?: OverlaySize;
  /** Alias path (`` for the requested Application). */
  path: string;
  /** Blueprints from the requested one down to the depending one. */
  chain: string[];
  /** The Blueprint asked for; a name is only ever decided from requirements for one Blueprint. */
  blueprint: string;
}

interface Node {
  name: string;
  blueprint: string;
  version: BlueprintVersion;
  composite: boolean;
  overlay?: OverlaySize;
  values: JsonObject;
  placement: Placement;
  dependencies: PlannedDependency[];
  /** Alias path of the first requirement; hoisted aliases of composites are relative to it. */
  path: string;
  requestedBy: string[];
}

interface Iteration {
  nodes: Map<string, Node>;
  incoming: Map<string, Requirement[]>;
  /** The requirements each node's version/values were decided from. */
  used: Map<string, Requirement[]>;
  edges: Array<{ from: string; to: string }>;
  skipped: SkippedDependency[];
  errors: InstallIssue[];
  seenPaths: Set<string>;
  failed: Set<string>;
}

const MAX_ITERATIONS = 8;
const MAX_VALUES_DEPTH = 32;
const ALIAS_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Record lookup that never reads inherited properties (`constructor`, `__proto__`). */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Code-unit order: the same in every locale, unlike localeCompare. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function chainText(chain: string[]): string {
  return chain.join(' → ');
}

function requirementSignature(reqs: Requirement[]): string {
  return reqs
    .map(r =>
      canonicalJson({
        range: r.range,
        values: r.values,
        userValues: r.userValues,
        overlay: r.overlay ?? null,
        path: r.path,
      }),
    )
    .sort()
    .join('\n');
}

/** `dependencies["cms.db"]`-style path of a choice, or the request field for the root. */
function choicePath(aliasPath: string, field?: string): string {
  return aliasPath === '' ? field ?? '' : jsonPath('dependencies', aliasPath, ...(field ? [field] : []));
}

function valuesPrefix(aliasPath: string): Array<string | number> {
  return aliasPath === '' ? ['values'] : ['dependencies', aliasPath, 'values'];
}

/** Release versions first-class: `*` and `^1` don't pick pre-releases, like semver.maxSatisfying. */
function inRange(version: string, range: string): boolean {
  try {
    return semver.satisfies(version, range);
  } catch {
    return false;
  }
}

class Resolver {
  private readonly organization: string;
  private readonly envType: string;
  private readonly versionCache = new Map<string, BlueprintVersion[]>();

  constructor(
    private readonly catalog: BlueprintCatalog,
    private readonly req: Request,
    organization: string,
    envType: string,
  ) {
    this.organization = organization;
    this.envType = envType;
  }

  run(): InstallResult {
    let prev = new Map<string, Requirement[]>();
    let last: Iteration | undefined;
    for (let i = 0; i < MAX_ITERATIONS; i++) {
      const it = this.iterate(prev);
      last = it;
      if (this.converged(it)) return this.finish(it);
      prev = it.incoming;
    }
    const errors = last?.errors.length
      ? last.errors
      : [
          {
            code: 'resolution-unstable',
            path: 'blueprint',
            message: `dependency resolution did not settle after ${MAX_ITERATIONS} rounds; pin dependency versions with explicit choices`,
          },
        ];
    return { ok: false, errors: dedupe(errors) };
  }

  /** Every node was decided from exactly the requirements that reached it. */
  private converged(it: Iteration): boolean {
    for (const [name, used] of it.used) {
      const incoming = it.incoming.get(name) ?? [];
      // Most nodes have one requirement, decided from that very object: no need to compare content.
      if (used.length === incoming.length && incoming.every(r => used.includes(r))) continue;
      if (requirementSignature(used) !== requirementSignature(incoming)) return false;
    }
    return true;
  }

  private iterate(prev: Map<string, Requirement[]>): Iteration {
    const it: Iteration = {
      nodes: new Map(),
      incoming: new Map(),
      used: new Map(),
      edges: [],
      skipped: [],
      errors: [],
      seenPaths: new Set(),
      failed: new Set(),
    };
    const root: Requirement = {
      range: this.req.version ?? '*',
      values: {},
      userValues: this.req.values,
      ...(this.req.overlay ? { overlay: this.req.overlay } : {}),
      path: '',
      chain: [],
      blueprint: this.req.blueprint,
    };
    this.visit(it, prev, this.req.application, this.req.blueprint, root, undefined, this.req.placement);
    return it;
  }

  private visit(
    it: Iteration,
    prev: Map<string, Requirement[]>,
    name: string,
    blueprint: string,
    requirement: Requirement,
    owner: Node | undefined,
    parentPlacement: Placement | undefined,
  ): Node | undefined {
    const chain = [...requirement.chain, blueprint];
    const reached = it.nodes.get(name);
    if (reached) {
      if (reached.blueprint !== blueprint) {
        it.errors.push({
          code: 'name-conflict',
          path: choicePath(requirement.path, 'name'),
          message: `Application ${name} would be both ${reached.blueprint} (for ${
            reached.path || 'the request'
          }) and ${blueprint} (for ${requirement.path}); choose another name`,
          chain,
        });
        return undefined;
      }
    }
    const list = it.incoming.get(name) ?? [];
    list.push(requirement);
    it.incoming.set(name, list);
    if (reached) {
      reached.requestedBy.push(requirement.path);
      return reached;
    }
    // Reported once per round; later arrivals at a failed name add nothing new.
    if (it.failed.has(name)) return undefined;
    if (requirement.chain.includes(blueprint)) {
      const from = requirement.chain.indexOf(blueprint);
      it.errors.push({
        code: 'cycle',
        path: choicePath(requirement.path),
        message: `dependency cycle: ${chainText(chain.slice(from))}`,
        chain,
      });
      it.failed.add(name);
      return undefined;
    }

    // Decide from everything known to reach this name: last round's requirements plus this one.
    const previous = (prev.get(name) ?? []).filter(r => r.blueprint === blueprint);
    const used = [...previous.filter(r => r.path !== requirement.path), requirement];
    it.used.set(name, used);

    const version = this.chooseVersion(it, name, blueprint, used, requirement, chain);
    if (!version) return undefined;
    const bp = version.blueprint;
    const composite = isCompositeBlueprint(bp);

    const overlay = composite ? undefined : this.chooseOverlay(it, version, used, requirement, chain);
    const placement = this.choosePlacement(it, version, requirement, parentPlacement);

    // Path order, so merged lists do not depend on which dependent arrived first.
    const layers = [...used].sort((a, b) => compareText(a.path, b.path));
    const agreed = mergeAgreeing(layers.map(r => r.values));
    const agreedUser = mergeAgreeing(layers.map(r => r.userValues));
    const prefix = valuesPrefix(requirement.path);
    for (const conflict of [...agreed.conflicts, ...agreedUser.conflicts]) {
      it.errors.push({
        code: 'dependency-conflict',
        path: jsonPath(...prefix, ...conflict),
        message: `${used.map(r => r.path || 'the request').join(' and ')} pass different values for ${conflict.join(
          '.',
        )} to the shared Application ${name}`,
        chain,
      });
    }
    const overlayValues = overlay ? bp.spec.manifests?.overlays?.[overlay] ?? {} : {};
    const merged = deepMerge(deepMerge(overlayValues, agreed.value), agreedUser.value);
    const values = applySchemaDefaults(bp.spec.configSchema, merged);
    const invalid = validateConfigValues(bp.spec.configSchema, values, prefix);
    for (const issue of invalid) it.errors.push({ ...issue, chain });

    const node: Node = {
      name,
      blueprint,
      version,
      composite,
      ...(overlay ? { overlay } : {}),
      values,
      placement,
      dependencies: [],
      path: requirement.path,
      requestedBy: [requirement.path],
    };
    it.nodes.set(name, node);
    // Invalid values would make `when` and templates read garbage; report them, not the cascade.
    if (invalid.length > 0) {
      // Its dependencies still exist, so choices for them are not reported as unknown.
      for (const dep of bp.spec.depends) {
        it.seenPaths.add(requirement.path ? `${requirement.path}.${dep.alias}` : dep.alias);
      }
      return node;
    }

    const depOwner = composite ? owner : node;
    const context: ExpressionContext = {
      config: values,
      application: {
        name: composite ? this.req.application : name,
        blueprint,
        version: bp.metadata.version,
        overlay: overlay ?? null,
      },
      environment: {
        name: this.req.environment,
        organization: this.organization,
        type: this.envType,
      },
    };
    const refFields = applicationRefFields(bp.spec.configSchema);

    bp.spec.depends.forEach((dep, i) => {
      const aliasPath = requirement.path ? `${requirement.path}.${dep.alias}` : dep.alias;
      it.seenPaths.add(aliasPath);
      const where = `${blueprint}@${bp.metadata.version} spec.depends[${i}]`;
      const when = evaluateWhen(dep.when, context, `${where}.when`);
      if (!when.ok) {
        it.errors.push(...when.errors.map(e => ({ ...e, chain })));
        return;
      }
      let choice: DependencyChoice | undefined = own(this.req.dependencies, aliasPath);
      let mode: PlannedDependency['mode'] = 'existing';
      // Built only when an issue needs it: most dependencies resolve without one.
      let refPath: string | undefined;
      const errorPath = () => refPath ?? choicePath(aliasPath);
      if (!when.value) {
        // Reference mode (contracts §3): a skipped entry may still resolve through an
        // application-ref field filtered to its Blueprint.
        const ref = refFields
          .filter(f => f.blueprint === dep.blueprint)
          .map(f => ({ field: f, value: readPath(values, f.path) }))
          .find(f => typeof f.value === 'string' && f.value !== '');
        if (!ref) {
          it.skipped.push({
            path: aliasPath,
            blueprint: dep.blueprint,
            application: depOwner?.name ?? this.req.application,
          });
          return;
        }
        choice = { use: 'existing', application: ref.value as string };
        refPath = jsonPath(...prefix, ...ref.field.path);
      }
      const rendered = renderTemplateValues(dep.values ?? {}, context, [where, 'values']);
      if (!rendered.ok) {
        it.errors.push(...rendered.errors.map(e => ({ ...e, chain })));
        return;
      }
      if (!choice) {
        const recorded = this.recordedDependency(aliasPath);
        choice = recorded ? { use: 'existing', application: recorded.application } : { use: 'new' };
        // Re-resolving keeps an embedded dependency embedded: it still belongs to this Application.
        if (recorded?.mode === 'embedded') mode = 'embedded';
      }
      const alias = depOwner ? hoistedAlias(depOwner.path, aliasPath) : dep.alias;

      if (choice.use === 'existing') {
        if (
          !this.checkExisting(it, choice.application, dep.blueprint, dep.version, errorPath(), [
            ...chain,
            dep.blueprint,
          ])
        )
          return;
        if (depOwner) {
          depOwner.dependencies.push({
            alias,
            blueprint: dep.blueprint,
            application: choice.application,
            mode,
          });
          it.edges.push({ from: depOwner.name, to: choice.application });
        }
        return;
      }

      const target = choice.name ?? dependencyApplicationName(this.req.application, dep.blueprint);
      // Generated names are checked too: `kube` + bp-postgres would be the reserved `kube-postgres`.
      const n = validateApplicationName(target, choicePath(aliasPath, 'name'));
      if (!n.ok) {
        it.errors.push(
          ...n.errors.map(e =>
            choice?.use === 'new' && choice.name === undefined
              ? {
                  ...e,
                  message: `${e.message}; give this dependency a name with { use: 'new', name: … }`,
                }
              : e,
          ),
        );
        return;
      }
      if (own(this.req.existingApplications, target)) {
        it.errors.push({
          code: 'application-exists',
          path: errorPath(),
          message: `Application ${target} already exists in ${this.req.environment}; use it ({ use: 'existing', application: '${target}' }) or choose another name`,
          chain: [...chain, dep.blueprint],
        });
        return;
      }
      const child = this.visit(
        it,
        prev,
        target,
        dep.blueprint,
        {
          range: dep.version,
          values: rendered.value as JsonObject,
          userValues: choice.values ?? {},
          ...(choice.overlay ? { overlay: choice.overlay } : {}),
          path: aliasPath,
          chain,
          blueprint: dep.blueprint,
        },
        depOwner,
        placement,
      );
      if (child && !child.composite && depOwner) {
        depOwner.dependencies.push({
          alias,
          blueprint: dep.blueprint,
          application: target,
          mode: 'embedded',
        });
        it.edges.push({ from: depOwner.name, to: target });
      }
    });
    return node;
  }

  /** Installable versions per name, computed once per resolution (sorting parses every version). */
  private candidates(blueprint: string): BlueprintVersion[] {
    let list = this.versionCache.get(blueprint);
    if (!list) {
      list = installableVersions(this.catalog, blueprint, this.organization);
      this.versionCache.set(blueprint, list);
    }
    return list;
  }

  private chooseVersion(
    it: Iteration,
    name: string,
    blueprint: string,
    used: Requirement[],
    requirement: Requirement,
    chain: string[],
  ): BlueprintVersion | undefined {
    const candidates = this.candidates(blueprint);
    const path = requirement.path === '' ? 'blueprint' : choicePath(requirement.path);
    if (candidates.length === 0) {
      it.errors.push({
        code: 'missing-blueprint',
        path,
        message: `Blueprint ${blueprint} is not available to Organization ${this.organization}${
          chain.length > 1 ? ` (needed by ${chainText(chain)})` : ''
        }`,
        chain,
      });
      it.failed.add(name);
      return undefined;
    }
    const ranges = [...new Set(used.map(r => r.range))];
    const chosen = candidates.find(c => ranges.every(r => inRange(c.blueprint.metadata.version, r)));
    if (chosen) return chosen;
    it.failed.add(name);
    const available = candidates
      .map(c => c.blueprint.metadata.version)
      .reverse()
      .join(', ');
    if (ranges.length === 1) {
      it.errors.push({
        code: 'no-matching-version',
        path: requirement.path === '' ? 'version' : path,
        message: `no version of ${blueprint} satisfies ${ranges[0]} (available: ${available})${
          chain.length > 1 ? `; required by ${chainText(chain)}` : ''
        }`,
        chain,
      });
    } else {
      // Path order, so the message and the reported path do not depend on arrival order.
      const sorted = [...used].sort((a, b) => compareText(a.path, b.path));
      const by = sorted.map(r => `${r.path || 'the request'} (${chainText([...r.chain, blueprint])}) needs ${r.range}`);
      it.errors.push({
        code: 'dependency-conflict',
        path: sorted[0].path === '' ? 'version' : choicePath(sorted[0].path),
        message: `no version of ${blueprint} (available: ${available}) satisfies every dependent of ${name}: ${by.join(
          '; ',
        )}`,
        chain,
      });
    }
    return undefined;
  }

  private chooseOverlay(
    it: Iteration,
    version: BlueprintVersion,
    used: Requirement[],
    requirement: Requirement,
    chain: string[],
  ): OverlaySize | undefined {
    const offered = availableOverlays(version);
    const explicit = [...new Set(used.map(r => r.overlay).filter((o): o is OverlaySize => o !== undefined))];
    if (explicit.length > 1) {
      it.errors.push({
        code: 'dependency-conflict',
        path: choicePath(requirement.path, 'overlay'),
        message: `different overlays (${explicit.join(', ')}) were chosen for the shared Application ${
          version.blueprint.metadata.name
        }`,
        chain,
      });
      return undefined;
    }
    if (explicit.length === 1) {
      if (offered.includes(explicit[0])) return explicit[0];
      it.errors.push({
        code: 'unknown-overlay',
        path: choicePath(requirement.path, 'overlay'),
        message: `${version.blueprint.metadata.name}@${version.blueprint.metadata.version} has no overlay "${
          explicit[0]
        }"${offered.length ? ` (offers ${offered.join(', ')})` : ''}`,
        chain,
      });
      return undefined;
    }
    // Dependencies follow the size asked for the request when they offer it.
    if (this.req.overlay && offered.includes(this.req.overlay)) return this.req.overlay;
    return defaultOverlay(version);
  }

  private choosePlacement(
    it: Iteration,
    version: BlueprintVersion,
    requirement: Requirement,
    parent: Placement | undefined,
  ): Placement {
    const schema = version.blueprint.spec.placementSchema;
    if (requirement.path === '') {
      const placement = parent ?? { mode: 'single-region', regions: [] };
      if (!schema.modes.includes(placement.mode)) {
        it.errors.push({
          code: 'invalid-placement',
          path: 'placement.mode',
          message: `${version.blueprint.metadata.name} supports placement ${schema.modes.join(', ')}, not ${
            placement.mode
          }`,
        });
      }
      const n = placement.regions.length;
      if (placement.mode === 'single-region' && n > 1) {
        it.errors.push({
          code: 'invalid-placement',
          path: 'placement.regions',
          message: 'single-region placement takes one region',
        });
      } else if (
        n > 0 &&
        ((schema.minRegions !== undefined && n < schema.minRegions) ||
          (schema.maxRegions !== undefined && n > schema.maxRegions))
      ) {
        it.errors.push({
          code: 'invalid-placement',
          path: 'placement.regions',
          message: `${version.blueprint.metadata.name} runs in ${schema.minRegions ?? 1} to ${
            schema.maxRegions ?? 'any number of'
          } regions, not ${n}`,
        });
      }
      return { mode: placement.mode, regions: [...placement.regions] };
    }
    // A dependency follows its dependent where it can, and otherwise stays in the first region.
    const from = parent ?? { mode: 'single-region', regions: [] };
    const max = schema.maxRegions ?? Infinity;
    if (schema.modes.includes(from.mode) && from.regions.length <= max) {
      return { mode: from.mode, regions: [...from.regions] };
    }
    return { mode: 'single-region', regions: from.regions.slice(0, 1) };
  }

  /** In an update, the requested Application's own dependencies as recorded in its application.yaml. */
  private recordedDependency(aliasPath: string) {
    if (!this.req.update || aliasPath.includes('.')) return undefined;
    return own(this.req.existingApplications, this.req.application)?.dependencies?.find(d => d.alias === aliasPath);
  }

  private checkExisting(
    it: Iteration,
    application: string,
    blueprint: string,
    range: string,
    path: string,
    chain: string[],
  ): boolean {
    const existing = own(this.req.existingApplications, application);
    if (!existing) {
      it.errors.push({
        code: 'unknown-application',
        path,
        message: `Application ${application} does not exist in ${this.req.environment}`,
        chain,
      });
      return false;
    }
    if (existing.blueprint !== blueprint) {
      it.errors.push({
        code: 'blueprint-mismatch',
        path,
        message: `Application ${application} runs ${existing.blueprint}, but ${blueprint} is needed`,
        chain,
      });
      return false;
    }
    if (!versionSatisfies(existing.version, range)) {
      it.errors.push({
        code: 'version-mismatch',
        path,
        message: `Application ${application} runs ${blueprint}@${existing.version}, outside the required ${range}; upgrade it first`,
        chain,
      });
      return false;
    }
    return true;
  }

  private finish(it: Iteration): InstallResult {
    const errors = [...it.errors];
    for (const key of Object.keys(this.req.dependencies)) {
      if (!it.seenPaths.has(key)) {
        errors.push({
          code: 'unknown-dependency',
          path: jsonPath('dependencies', key),
          message: `${key} is not a dependency of ${this.req.blueprint} (known: ${
            [...it.seenPaths].sort().join(', ') || 'none'
          })`,
        });
      }
    }
    const root = it.nodes.get(this.req.application);
    const existingRoot = own(this.req.existingApplications, this.req.application);
    if (root && !root.composite) {
      if (!this.req.update && existingRoot) {
        errors.push({
          code: 'application-exists',
          path: 'application',
          message: `Application ${this.req.application} already exists in ${this.req.environment}`,
        });
      }
      if (this.req.update && !existingRoot) {
        errors.push({
          code: 'unknown-application',
          path: 'application',
          message: `Application ${this.req.application} does not exist in ${this.req.environment}; install it instead`,
        });
      }
      if (this.req.update && existingRoot && existingRoot.blueprint !== this.req.blueprint) {
        errors.push({
          code: 'blueprint-mismatch',
          path: 'blueprint',
          message: `Application ${this.req.application} runs ${existingRoot.blueprint}; it cannot become ${this.req.blueprint}`,
        });
      }
    }
    if (errors.length > 0) return { ok: false, errors: dedupe(errors) };

    const planned = [...it.nodes.values()].filter(n => !n.composite);
    const names = new Set(planned.map(n => n.name));
    const edges = uniqueEdges(it.edges);
    const sorted = topologicalOrder(
      [...names],
      edges.filter(e => names.has(e.to)),
    );
    if (!sorted.ok) {
      const chain = sorted.cycle.map(n => it.nodes.get(n)?.blueprint ?? n);
      return {
        ok: false,
        errors: [
          {
            code: 'cycle',
            path: 'dependencies',
            message: `dependency cycle between Applications: ${chainText(sorted.cycle)} (${chainText(chain)})`,
            chain,
          },
        ],
      };
    }
    const applications: PlannedApplication[] = sorted.order.map(name => {
      const n = it.nodes.get(name)!;
      const v = n.version;
      return {
        name,
        blueprint: n.blueprint,
        version: v.blueprint.metadata.version,
        source: v.source,
        ...(v.organization !== undefined ? { organization: v.organization } : {}),
        ...(n.overlay ? { overlay: n.overlay } : {}),
        values: n.values,
        placement: n.placement,
        dependencies: uniqueDependencies(n.dependencies),
        isNew: !(this.req.update && name === this.req.application),
        requestedBy: [...new Set(n.requestedBy)].sort(),
      };
    });
    const plan: InstallPlan = {
      environment: this.req.environment,
      organization: this.organization,
      root: this.req.application,
      applications,
      edges,
      order: sorted.order,
      skipped: [...it.skipped].sort((a, b) => compareText(a.path, b.path)),
    };
    return { ok: true, plan };
  }
}

/** Alias an owner uses for a dependency reached through composites: path segments joined with `_`. */
function hoistedAlias(ownerPath: string, aliasPath: string): string {
  const relative = ownerPath === '' ? aliasPath : aliasPath.slice(ownerPath.length + 1);
  return relative.replace(/\./g, '_');
}

function uniqueEdges(edges: Array<{ from: string; to: string }>): Array<{ from: string; to: string }> {
  const seen = new Map<string, { from: string; to: string }>();
  for (const e of edges) seen.set(`${e.from}\u0000${e.to}`, e);
  return [...seen.values()].sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
}

function uniqueDependencies(deps: PlannedDependency[]): PlannedDependency[] {
  const seen = new Map<string, PlannedDependency>();
  for (const d of deps) if (!seen.has(d.alias)) seen.set(d.alias, d);
  return [...seen.values()].sort((a, b) => compareText(a.alias, b.alias));
}

function dedupe<T extends { code: string; path: string; message: string }>(errors: T[]): T[] {
  const seen = new Set<string>();
  return errors.filter(e => {
    const k = `${e.code}\u0000${e.path}\u0000${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Kahn's algorithm with a name-sorted ready list, so equal inputs give equal orders. `from` depends on
 * `to`, so `to` comes first. On a cycle, returns one cycle's names.
 *
 * @public
 */
export function topologicalOrder(
  names: string[],
  edges: Array<{ from: string; to: string }>,
): { ok: true; order: string[] } | { ok: false; cycle: string[] } {
  const pending = new Map<string, number>(names.map(n => [n, 0]));
  const dependents = new Map<string, string[]>();
  for (const e of edges) {
    if (!pending.has(e.from) || !pending.has(e.to)) continue;
    pending.set(e.from, (pending.get(e.from) ?? 0) + 1);
    dependents.set(e.to, [...(dependents.get(e.to) ?? []), e.from]);
  }
  const ready = [...pending]
    .filter(([, n]) => n === 0)
    .map(([name]) => name)
    .sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const next = ready.shift()!;
    order.push(next);
    for (const d of dependents.get(next) ?? []) {
      const left = (pending.get(d) ?? 0) - 1;
      pending.set(d, left);
      if (left === 0) {
        ready.push(d);
        ready.sort();
      }
    }
  }
  if (order.length === names.length) return { ok: true, order };
  // Walk dependencies from any node left over until one repeats: that loop is a cycle.
  const left = new Set(names.filter(n => !order.includes(n)));
  const deps = new Map<string, string[]>();
  for (const e of edges) if (left.has(e.from) && left.has(e.to)) deps.set(e.from, [...(deps.get(e.from) ?? []), e.to]);
  const start = [...left].sort()[0];
  const path: string[] = [];
  let cur = start;
  while (!path.includes(cur)) {
    path.push(cur);
    cur = (deps.get(cur) ?? []).sort()[0];
  }
  return { ok: false, cycle: [...path.slice(path.indexOf(cur)), cur] };
}

/**
 * Resolves an install request against a catalog into an InstallPlan: the highest version satisfying
 * every range, transitive dependencies to any depth, `when` conditions, aliases, templated values,
 * "use existing" vs "create new", shared (diamond) dependencies installed once, composites expanded,
 * config defaults + overlay + values validated against each version's configSchema.
 *
 * Issue codes: `invalid-*`/`required` for a malformed request, `missing-blueprint`,
 * `no-matching-version`, `dependency-conflict`, `cycle`, `name-conflict`, `application-exists`,
 * `unknown-application`, `blueprint-mismatch`, `version-mismatch`, `unknown-overlay`,
 * `invalid-placement`, `invalid-values`, `unknown-dependency`, `resolution-unstable`.
 *
 * @public
 */
export function resolveInstall(catalog: BlueprintCatalog, request: InstallRequest): InstallResult {
  const parsed = parseWith(installRequestSchema, request);
  if (!parsed.ok) return parsed;
  const req = parsed.value;
  const errors: InstallIssue[] = [];
  const collect = (r: { ok: boolean; errors?: InstallIssue[] }) => {
    if (!r.ok && r.errors) errors.push(...r.errors);
  };
  const env = parseEnvironmentName(req.environment, 'environment');
  collect(env);
  collect(validateApplicationName(req.application, 'application'));
  collect(validateBlueprintName(req.blueprint, 'blueprint'));
  if (req.version !== undefined) collect(validateVersionRange(req.version, 'version'));
  if (jsonDepth(req.values) > MAX_VALUES_DEPTH) {
    errors.push({
      code: 'invalid-values',
      path: 'values',
      message: `values nest deeper than ${MAX_VALUES_DEPTH} levels`,
    });
  }
  for (const [key, choice] of Object.entries(req.dependencies)) {
    if (!ALIAS_PATH.test(key)) {
      errors.push({
        code: 'invalid-alias',
        path: jsonPath('dependencies', key),
        message: `"${key.slice(0, 80)}" is not an alias path like db or cms.db`,
      });
    }
    if (choice.use === 'existing')
      collect(validateApplicationName(choice.application, jsonPath('dependencies', key, 'application')));
    if (choice.use === 'new' && choice.values && jsonDepth(choice.values) > MAX_VALUES_DEPTH) {
      errors.push({
        code: 'invalid-values',
        path: jsonPath('dependencies', key, 'values'),
        message: `values nest deeper than ${MAX_VALUES_DEPTH} levels`,
      });
    }
  }
  for (const [name, app] of Object.entries(req.existingApplications)) {
    collect(validateApplicationName(name, jsonPath('existingApplications', name)));
    collect(validateBlueprintName(app.blueprint, jsonPath('existingApplications', name, 'blueprint')));
    collect(validateVersion(app.version, jsonPath('existingApplications', name, 'version')));
  }
  if (errors.length > 0 || !env.ok) return { ok: false, errors };
  return new Resolver(catalog, req, env.organization, env.envType).run();
}
