import { parse, stringify } from 'yaml';
import { JsonObject, KubeObject } from '../types';
import { ObjectStore } from '../store/ObjectStore';
import { isRecord, stringMap } from '../util/json';
import { substituteVariables, validateVariableNames } from './substitute';

const DISABLED = 'kustomize.toolkit.fluxcd.io/substitute';

export type PostBuildResult = { ok: true; objects: KubeObject[] } | { ok: false; message: string };

/**
 * Flux post-build substitution: each object is serialized to YAML, the
 * variables are substituted in the text, and the text is parsed again — so
 * `replicas: ${replicas}` becomes the number 2. Objects labelled or annotated
 * `kustomize.toolkit.fluxcd.io/substitute: disabled` are left alone.
 */
export function substituteObjects(
  objects: KubeObject[],
  vars: Record<string, string>,
  options: { strict?: boolean } = {},
): PostBuildResult {
  const badName = validateVariableNames(vars);
  if (badName) return { ok: false, message: badName };
  const result: KubeObject[] = [];
  for (const object of objects) {
    if (object.metadata.annotations?.[DISABLED] === 'disabled' || object.metadata.labels?.[DISABLED] === 'disabled') {
      result.push(object);
      continue;
    }
    const text = stringify(object, { lineWidth: 0 });
    if (!text.includes('${') && !text.includes('$$')) {
      result.push(object);
      continue;
    }
    const substituted = substituteVariables(text, vars, options);
    const where = `${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${
      object.metadata.name
    }`;
    if (!substituted.ok) {
      return { ok: false, message: `post build failed for '${where}': ${substituted.message}` };
    }
    let parsed: unknown;
    try {
      parsed = parse(substituted.text);
    } catch (error) {
      return {
        ok: false,
        message: `post build failed for '${where}': substituted YAML does not parse: ${
          (error as Error).message.split('\n')[0]
        }`,
      };
    }
    if (!isRecord(parsed) || !isRecord(parsed.metadata) || typeof parsed.metadata.name !== 'string') {
      return { ok: false, message: `post build failed for '${where}': substitution left no metadata.name` };
    }
    result.push(parsed as unknown as KubeObject);
  }
  return { ok: true, objects: result };
}

/**
 * The variables of `spec.postBuild`: `substituteFrom` ConfigMaps and Secrets already in the
 * Kustomization's namespace, then the inline `substitute` values, which win as in Flux. A missing
 * non-optional source is the BuildFailed message.
 */
export function substitutionVariables(
  store: ObjectStore,
  ks: KubeObject,
  postBuild: JsonObject,
): Record<string, string> | string {
  const vars: Record<string, string> = {};
  const from = Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : [];
  for (const ref of from.filter(isRecord)) {
    const kind = ref.kind === 'Secret' ? 'Secret' : 'ConfigMap';
    const found = store.get({ group: '', kind, namespace: ks.metadata.namespace, name: String(ref.name) });
    if (!found) {
      if (ref.optional === true) continue;
      return `substitute from '${kind}/${ks.metadata.namespace}/${String(ref.name)}' failed: ${
        kind === 'Secret' ? 'secrets' : 'configmaps'
      } "${String(ref.name)}" not found`;
    }
    for (const [k, v] of Object.entries(stringMap(found.data))) {
      vars[k] = kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v;
    }
  }
  if (isRecord(postBuild.substitute)) {
    for (const [k, v] of Object.entries(postBuild.substitute)) {
      vars[k] = v === null || v === undefined ? '' : String(v);
    }
  }
  return vars;
}
