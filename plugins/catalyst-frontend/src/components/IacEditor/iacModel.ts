import {
  ApplicationDetail,
  applySchemaDefaults,
  BlueprintDetail,
  CATALYST_PAUSED_ANNOTATION,
  CatalystIssue,
  deepMerge,
  jsonPath,
  OVERLAY_SIZES,
  parseYaml,
  stringifyYaml,
  UpdateBody,
  validateApplication,
  validateConfigValues,
} from '@internal/plugin-catalyst-common';
import { locateYamlMessage, locateYamlPath, parseJsonPath, TextRange, withoutPosition } from './yamlPositions';

/**
 * The IaC editor's rules, as pure functions: which files it edits, what an edit means for the
 * provisioning service (an `UpdateBody`), and every problem with where it is in the text. The YAML
 * parser and the configSchema check are catalyst-common's, the ones the server runs.
 */

export const IAC_FILES = ['values.yaml', 'application.yaml'] as const;
export type IacFile = (typeof IAC_FILES)[number];

export const iacPath = (application: string, file: IacFile) => `applications/${application}/${file}`;

/** One problem in one file, where it is, ready for a marker and the list under the editor. */
export interface IacProblem extends TextRange {
  file: IacFile;
  code: string;
  /** The JSON path the problem is about (`values.replicas`, `metadata.name`), or '' for the file. */
  path: string;
  message: string;
}

export type IacTexts = Partial<Record<IacFile, string>>;

type Segments = Array<string | number>;

/** The fields of application.yaml the provisioning service changes (UpdateBody's version, overlay, paused). */
const VERSION: Segments = ['spec', 'blueprintRef', 'version'];
const OVERLAY: Segments = ['spec', 'overlay'];
const PAUSED: Segments = ['metadata', 'annotations', CATALYST_PAUSED_ANNOTATION];
const EDITABLE = [VERSION, OVERLAY, PAUSED].map(p => jsonPath(...p));

/** The text of each file at the head (values.yaml from the values when the folder lacks it). */
export function headTexts(app: ApplicationDetail): IacTexts {
  const values = app.files[iacPath(app.name, 'values.yaml')] ?? stringifyYaml(app.values, { sortKeys: true });
  const application = app.files[iacPath(app.name, 'application.yaml')];
  return { 'values.yaml': values, ...(application !== undefined ? { 'application.yaml': application } : {}) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function get(doc: unknown, path: Segments): unknown {
  let v = doc;
  for (const s of path) v = isPlainObject(v) || Array.isArray(v) ? (v as Record<string, unknown>)[s] : undefined;
  return v;
}

/** JSON with sorted keys: two values are the same settings when their canonical texts are equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map(k => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** The paths of every leaf that differs (lists of equal length compared item by item). */
function differences(before: unknown, after: unknown, path: Segments, out: Segments[]): void {
  const objectish = (v: unknown) => v === undefined || isPlainObject(v);
  if ((isPlainObject(before) || isPlainObject(after)) && objectish(before) && objectish(after)) {
    const a = (before ?? {}) as Record<string, unknown>;
    const b = (after ?? {}) as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) differences(a[key], b[key], [...path, key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, i) => differences(item, after[i], [...path, i], out));
    return;
  }
  if (canonical(before) !== canonical(after)) out.push(path);
}

const problem = (file: IacFile, text: string, issue: CatalystIssue, segments: Segments): IacProblem => ({
  file,
  code: issue.code,
  path: issue.path,
  message: issue.message,
  ...locateYamlPath(text, segments),
});

const parseProblems = (file: IacFile, text: string, errors: CatalystIssue[]): IacProblem[] =>
  errors.map(e => ({
    file,
    code: e.code,
    path: '',
    message: withoutPosition(e.message),
    ...locateYamlMessage(text, e.message),
  }));

interface ApplicationCheck {
  problems: IacProblem[];
  body: Pick<UpdateBody, 'version' | 'overlay' | 'paused'>;
}

/** application.yaml: readable, a valid Application, and changed only where the service can change it. */
function checkApplicationYaml(app: ApplicationDetail, blueprint: BlueprintDetail, head: string, text: string) {
  const file = 'application.yaml';
  const out: ApplicationCheck = { problems: [], body: {} };
  const parsed = parseYaml(text, { path: file });
  if (!parsed.ok) return { ...out, problems: parseProblems(file, text, parsed.errors) };
  const doc = parsed.value;
  const before = parseYaml(head, { path: file });
  const add = (path: Segments, code: string, message: string) =>
    out.problems.push(problem(file, text, { code, path: jsonPath(...path), message }, path));

  const changed: Segments[] = [];
  differences(before.ok ? before.value : undefined, doc, [], changed);
  const refused = changed.filter(p => !EDITABLE.includes(jsonPath(...p)));
  for (const path of refused) {
    const was = get(before.ok ? before.value : undefined, path);
    add(
      path,
      'not-editable',
      `${jsonPath(...path) || 'the document'} cannot be changed here${
        was === undefined ? '' : ` (it is ${canonical(was)} at the head)`
      }: in application.yaml the provisioning service changes only the version (${EDITABLE[0]}), the size (${
        EDITABLE[1]
      }) and pausing (${EDITABLE[2]})`,
    );
  }
  const valid = validateApplication(doc);
  // a field that may not change at all is said once, not again as invalid
  const told = new Set(refused.map(p => jsonPath(...p)));
  for (const e of valid.ok ? [] : valid.errors.filter(i => !told.has(i.path))) {
    out.problems.push(problem(file, text, e, parseJsonPath(e.path)));
  }

  const version = get(doc, VERSION);
  if (typeof version === 'string' && version !== app.version) {
    if (blueprint.versions.includes(version)) out.body.version = version;
    else {
      add(
        VERSION,
        'no-matching-version',
        `${blueprint.name} has no version ${version} (it has ${blueprint.versions.join(', ')})`,
      );
    }
  }
  const overlay = get(doc, OVERLAY);
  const target = blueprint.versionDetails.find(v => v.version === (out.body.version ?? app.version));
  if (overlay === undefined && app.overlay !== undefined) {
    add(
      OVERLAY,
      'not-editable',
      `spec.overlay cannot be removed: pick one of ${(target?.overlays ?? OVERLAY_SIZES).join(', ')}`,
    );
  } else if (
    typeof overlay === 'string' &&
    overlay !== app.overlay &&
    (OVERLAY_SIZES as readonly string[]).includes(overlay)
  ) {
    if (target && !target.overlays.includes(overlay)) {
      add(
        OVERLAY,
        'no-such-overlay',
        `${blueprint.name} ${target.version} has no size ${overlay} (it has ${target.overlays.join(', ') || 'none'})`,
      );
    } else out.body.overlay = overlay as UpdateBody['overlay'];
  }
  const paused = get(doc, PAUSED);
  if (paused !== undefined && paused !== 'true') {
    add(PAUSED, 'invalid-request', `${EDITABLE[2]} must be "true" (paused), or absent to resume`);
  } else if ((paused === 'true') !== app.paused) out.body.paused = paused === 'true';
  return out;
}

/** values.yaml: readable, a map, and valid for the configSchema of the version it will run with. */
function checkValuesYaml(blueprint: BlueprintDetail, version: string, overlay: string | undefined, text: string) {
  const file = 'values.yaml';
  const parsed = parseYaml(text, { path: file });
  if (!parsed.ok && !parsed.errors.every(e => e.code === 'yaml-empty')) {
    return { problems: parseProblems(file, text, parsed.errors) };
  }
  // an empty file, like `{}`, is no settings
  const values = parsed.ok && parsed.value !== null ? parsed.value : {};
  if (!isPlainObject(values)) {
    const issue = {
      code: 'invalid-values',
      path: 'values',
      message: 'values.yaml must be a map of settings (key: value)',
    };
    return { problems: [problem(file, text, issue, [])] };
  }
  const detail = blueprint.versionDetails.find(v => v.version === version);
  const schema = detail?.configSchema;
  // as the server checks them: the size's values beneath the file's, then the schema's defaults
  const sized = deepMerge((overlay && detail?.overlayValues?.[overlay]) || {}, values as Record<string, unknown>);
  const issues = schema ? validateConfigValues(schema, applySchemaDefaults(schema, sized), ['values']) : [];
  return { values, problems: issues.map(i => problem(file, text, i, parseJsonPath(i.path).slice(1))) };
}

export interface IacCheck {
  problems: IacProblem[];
  /** What the edits ask of the provisioning service; undefined when there are problems or nothing to change. */
  body?: UpdateBody;
  /** Some text differs from the head (it may still change nothing that is stored: comments, order). */
  edited: boolean;
}

/**
 * Checks the edited files against the head and the Blueprint: every problem with its place, and the
 * update they amount to. Values are validated with the configSchema of the version application.yaml
 * asks for (defaults filled in first, as the server does).
 */
export function checkIac(input: {
  application: ApplicationDetail;
  blueprint: BlueprintDetail;
  heads: IacTexts;
  texts: IacTexts;
}): IacCheck {
  const { application: app, blueprint, heads, texts } = input;
  const edited = IAC_FILES.some(f => texts[f] !== undefined && texts[f] !== heads[f]);
  const headApp = heads['application.yaml'];
  const appText = texts['application.yaml'];
  const appCheck =
    headApp !== undefined && appText !== undefined && appText !== headApp
      ? checkApplicationYaml(app, blueprint, headApp, appText)
      : { problems: [], body: {} };
  const valuesCheck = checkValuesYaml(
    blueprint,
    appCheck.body.version ?? app.version,
    appCheck.body.overlay ?? app.overlay,
    texts['values.yaml'] ?? heads['values.yaml'] ?? '',
  );
  const problems = [...valuesCheck.problems, ...appCheck.problems].sort(
    (a, b) => IAC_FILES.indexOf(a.file) - IAC_FILES.indexOf(b.file) || a.line - b.line || a.column - b.column,
  );
  const body: UpdateBody = { ...appCheck.body };
  if (valuesCheck.values && canonical(valuesCheck.values) !== canonical(app.values)) body.values = valuesCheck.values;
  const changes = Object.keys(body).length > 0;
  return { problems, edited, ...(problems.length === 0 && changes ? { body } : {}) };
}

/**
 * The server's issues after a preview or save, placed in the files where they belong (`values.*` in
 * values.yaml, `version`/`overlay`/`paused` in application.yaml); the rest come back as sentences.
 */
export function serverProblems(
  issues: readonly CatalystIssue[],
  texts: IacTexts,
): { problems: IacProblem[]; other: string[] } {
  const fields: Record<string, Segments> = { version: VERSION, overlay: OVERLAY, paused: PAUSED };
  const problems: IacProblem[] = [];
  const other: string[] = [];
  for (const issue of issues) {
    const [head, ...rest] = parseJsonPath(issue.path);
    const values = head === 'values' && texts['values.yaml'] !== undefined;
    const field = typeof head === 'string' ? fields[head] : undefined;
    if (values) problems.push(problem('values.yaml', texts['values.yaml']!, issue, rest));
    else if (field && texts['application.yaml'] !== undefined) {
      problems.push(problem('application.yaml', texts['application.yaml'], issue, field));
    } else other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  return { problems, other };
}
