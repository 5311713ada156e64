import { KubeObject } from '../../types';
import { canonicalJson } from '../../util/json';
import { sha256Hex } from '../../util/hash';
import { KustomizeError } from './errors';
import { resolvePath, VirtualFs } from './VirtualFs';
import { BuildResource, GeneratorEntry, GeneratorOptions } from './types';

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}

function splitPair(text: string, file: string, what: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new KustomizeError(file, `${what} '${text}' is not key=value`);
  return [text.slice(0, eq).trim(), unquote(text.slice(eq + 1))];
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

interface GeneratedData {
  data: Record<string, string>;
  binaryData: Record<string, string>;
}

function collectData(entry: GeneratorEntry, dir: string, fs: VirtualFs, file: string): GeneratedData {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const read = (relative: string): Uint8Array => {
    const path = resolvePath(dir, relative);
    const bytes = path === undefined ? undefined : fs.read(path);
    if (bytes === undefined) {
      throw new KustomizeError(
        file,
        `${entry.name}: file '${relative}' not found${path !== undefined ? ` (${path})` : ''}`,
      );
    }
    return bytes;
  };
  for (const literal of entry.literals ?? []) {
    const [key, value] = splitPair(String(literal), file, 'literal');
    data[key] = value;
  }
  for (const spec of entry.files ?? []) {
    const text = String(spec);
    const eq = text.indexOf('=');
    const [key, relative] = eq > 0 ? [text.slice(0, eq), text.slice(eq + 1)] : [basename(text), text];
    const bytes = read(relative);
    try {
      data[key] = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      binaryData[key] = Buffer.from(bytes).toString('base64');
    }
  }
  for (const relative of [...(entry.envs ?? []), ...(entry.env ? [entry.env] : [])]) {
    const text = new TextDecoder().decode(read(relative));
    for (const line of text.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#') || !trimmed.includes('=')) continue;
      const [key, value] = splitPair(trimmed, file, 'env line');
      data[key] = value;
    }
  }
  return { data, binaryData };
}

// kustomize's hash: sha256 of the canonical JSON, first 10 hex characters,
// with 0/1/3/a/e swapped so the suffix never looks like a number or a word.
function encodeHash(object: Record<string, unknown>): string {
  const swaps: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...sha256Hex(canonicalJson(object)).slice(0, 10)].map(c => swaps[c] ?? c).join('');
}

/** Appends the content hash to a generated object's name. */
export function hashedName(object: KubeObject): string {
  const content: Record<string, unknown> = { kind: object.kind, name: object.metadata.name };
  if (object.data !== undefined) content.data = object.data;
  if (object.binaryData !== undefined) content.binaryData = object.binaryData;
  if (object.kind === 'Secret') content.type = object.type;
  return `${object.metadata.name}-${encodeHash(content)}`;
}

/**
 * configMapGenerator / secretGenerator: literals, files (`key=path` or
 * `path`) and env files, with `behavior: create|merge|replace` against an
 * object of the same name already in the build.
 */
export function runGenerators(
  kind: 'ConfigMap' | 'Secret',
  entries: GeneratorEntry[],
  globalOptions: GeneratorOptions | undefined,
  resources: BuildResource[],
  dir: string,
  fs: VirtualFs,
  file: string,
): BuildResource[] {
  const result = [...resources];
  for (const entry of entries) {
    if (typeof entry?.name !== 'string') {
      throw new KustomizeError(
        file,
        `every ${kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} entry needs a name`,
      );
    }
    const options = { ...globalOptions, ...entry.options };
    const { data, binaryData } = collectData(entry, dir, fs, file);
    const encoded =
      kind === 'Secret'
        ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]))
        : data;
    const behavior = entry.behavior ?? 'create';
    const existingIndex = result.findIndex(
      r =>
        r.object.kind === kind &&
        r.originName === entry.name &&
        (entry.namespace === undefined || r.object.metadata.namespace === entry.namespace),
    );
    if (behavior !== 'create') {
      if (existingIndex === -1) {
        throw new KustomizeError(
          file,
          `${kind} '${entry.name}' has behavior '${behavior}' but no such ${kind} exists in the build`,
        );
      }
      const existing = result[existingIndex].object;
      const merged = behavior === 'merge' ? { ...(existing.data as Record<string, string>), ...encoded } : encoded;
      existing.data = merged;
      if (Object.keys(binaryData).length > 0) existing.binaryData = binaryData;
      continue;
    }
    if (existingIndex !== -1) {
      throw new KustomizeError(file, `${kind} '${entry.name}' is generated twice (use behavior: merge or replace)`);
    }
    const object: KubeObject = {
      apiVersion: 'v1',
      kind,
      metadata: {
        name: entry.name,
        ...(entry.namespace ? { namespace: entry.namespace } : {}),
        ...(options.labels ? { labels: { ...options.labels } } : {}),
        ...(options.annotations ? { annotations: { ...options.annotations } } : {}),
      },
      ...(kind === 'Secret' ? { type: entry.type ?? 'Opaque' } : {}),
      data: encoded,
      ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}),
      ...(options.immutable ? { immutable: true } : {}),
    };
    result.push({ object, originName: entry.name, needsHash: !options.disableNameSuffixHash });
  }
  return result;
}
