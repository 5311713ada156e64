import { cloneJson, isRecord } from '../../util/json';

// patchMergeKey of the built-in list fields kustomize merges by key; every
// other list is replaced. `ports` merges by containerPort in containers and
// by port in Services.
const MERGE_KEYS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  volumes: ['name'],
  env: ['name'],
  imagePullSecrets: ['name'],
  resourceClaims: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  hostAliases: ['ip'],
  ports: ['containerPort', 'port'],
  conditions: ['type'],
  topologySpreadConstraints: ['topologyKey'],
  readinessGates: ['conditionType'],
};
// Lists of scalars with patchStrategy "merge".
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  const candidates = MERGE_KEYS[field];
  if (!candidates) return undefined;
  return candidates.find(key => items.some(item => isRecord(item) && item[key] !== undefined));
}

function mergeList(base: unknown, patch: unknown[], field: string, builtin: boolean): unknown[] {
  if (patch.some(item => isRecord(item) && item.$patch === 'replace')) {
    return patch.filter(item => !(isRecord(item) && item.$patch === 'replace'));
  }
  const baseList = Array.isArray(base) ? cloneJson(base) : [];
  if (builtin && MERGED_SCALAR_LISTS.has(field)) {
    return [...baseList, ...patch.filter(item => !baseList.includes(item))];
  }
  const key = builtin ? mergeKeyFor(field, [...baseList, ...patch]) : undefined;
  if (!key) return patch.filter(item => !(isRecord(item) && item.$patch === 'delete'));
  const result = baseList;
  for (const item of patch) {
    if (!isRecord(item)) continue;
    const index = result.findIndex(b => isRecord(b) && b[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) {
      result[index] = mergeValue(result[index], item, field, builtin);
    } else {
      result.push(mergeValue(undefined, item, field, builtin));
    }
  }
  return result;
}

function mergeValue(base: unknown, patch: unknown, _field: string, builtin: boolean): unknown {
  if (!isRecord(patch)) return cloneJson(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return cloneJson(rest);
  }
  const result: Record<string, unknown> = isRecord(base) ? cloneJson(base) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue; // $setElementOrder, $retainKeys: ordering hints only
    if (value === null) {
      delete result[key];
    } else if (isRecord(value) && value.$patch === 'delete') {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(result[key], value, key, builtin);
    } else {
      result[key] = mergeValue(result[key], value, key, builtin);
    }
  }
  return result;
}

/**
 * Applies a strategic-merge patch: maps merge deeply, `null` removes a key,
 * `$patch: delete|replace` directives are honoured, and the built-in list
 * fields with a merge key (containers by name, ports by port …) merge item by
 * item. For custom resources (`builtin: false`) lists are replaced, as for a
 * JSON merge patch. Returns undefined when the patch deletes the object.
 */
export function strategicMerge<T>(base: T, patch: Record<string, unknown>, builtin: boolean): T | undefined {
  if (patch.$patch === 'delete') return undefined;
  return mergeValue(base, patch, '', builtin) as T;
}
