import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../../types';
import { isRecord } from '../../util/json';
import { KustomizeError } from './errors';

/** Parses YAML text, failing with the file name and the parser's line and column. */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  const values: unknown[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      throw new KustomizeError(file, `YAML parse error: ${doc.errors[0].message.split('\n')[0]}`);
    }
    values.push(doc.toJS({ maxAliasCount: 100 }));
  }
  return values;
}

/**
 * Parses a manifest file into Kubernetes objects (`kind: List` expanded).
 * With `skipNonObjects` (Flux's generated kustomization) documents that are
 * not Kubernetes objects are skipped; otherwise they are errors.
 */
export function parseManifests(text: string, file: string, options: { skipNonObjects?: boolean } = {}): KubeObject[] {
  const objects: KubeObject[] = [];
  const visit = (value: unknown, index: number) => {
    if (value === null || value === undefined) return;
    const looksLikeObject = isRecord(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
    if (!looksLikeObject) {
      if (options.skipNonObjects) return;
      throw new KustomizeError(file, `document ${index + 1} is not a Kubernetes object (missing apiVersion or kind)`);
    }
    if ((value.kind as string).endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach(item => visit(item, index));
      return;
    }
    const metadata = value.metadata;
    if (!isRecord(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
      throw new KustomizeError(file, `document ${index + 1} (${value.kind}) has no metadata.name`);
    }
    objects.push(value as unknown as KubeObject);
  };
  parseYamlDocuments(text, file).forEach(visit);
  return objects;
}
