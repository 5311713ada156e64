import { stringify } from 'yaml';

/** @public */
export interface StringifyYamlOptions {
  /** Sort every map's keys (used for values.yaml so two Environments diff cleanly). Default false: insertion order. */
  sortKeys?: boolean;
}

/**
 * Deterministic YAML text: block style, two-space indent, no line folding, no anchors/aliases, and
 * key order either sorted or exactly as inserted. Written in the YAML 1.1-safe way (`"yes"`, `"on"`,
 * `"0755"` are quoted) because kustomize and Flux read YAML with 1.1 rules, while we read with 1.2.
 *
 * @public
 */
export function stringifyYaml(
  value: unknown,
  options: StringifyYamlOptions = {},
): string {
  return stringify(value, {
    version: '1.1',
    lineWidth: 0,
    minContentWidth: 0,
    indent: 2,
    indentSeq: true,
    aliasDuplicateObjects: false,
    sortMapEntries: options.sortKeys === true,
  });
}

/**
 * Several documents in one stream, separated by `---` (e.g. an OCIRepository beside its HelmRelease).
 *
 * @public
 */
export function stringifyYamlDocuments(
  values: unknown[],
  options: StringifyYamlOptions = {},
): string {
  return values.map(v => stringifyYaml(v, options)).join('---\n');
}
