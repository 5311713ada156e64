import {
  Application,
  BlueprintCatalog,
  CatalystIssue,
  parseYaml,
  validateApplication,
  validateEnvironmentPolicy,
} from '@internal/plugin-catalyst-common';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { GitRepository } from '../git/GitRepository';
import { EnvironmentState, POLICY_PATH } from '../provisioning/environmentState';
import { applicationOfIntent, ChangeIntent, prepareIntent } from '../provisioning/intents';
import type { PreparedChange } from '../provisioning/prepareChanges';
import { isPaused, valuesOf } from '../provisioning/repoReads';
import type { ChangedPath, PushedObjects } from './pushedObjects';

/**
 * A push to an Environment repo read as the writes it stands for. People edit the two files that
 * say what runs — an Application's `application.yaml` and `values.yaml` — and the policy file;
 * everything else in the repo (the composed manifests, Flux's files) Catalyst writes from those.
 * So a push becomes install / update / uninstall / policy intents, and each is prepared exactly as
 * the portal, REST, GraphQL and the scaffolder prepare theirs: the same validation, naming the file
 * and the field when it fails.
 */

export interface PushReading {
  intents: ChangeIntent[];
  /** The intents prepared against the state they were checked on (their events, their files). */
  prepared: PreparedChange[];
  issues: CatalystIssue[];
}

const APP_PATH = /^applications\/([^/]+)\/(.+)$/;
const FLUX_PATH = /^flux-system\/applications\/([^/]+)\.yaml$/;
const EDITABLE = new Set(['application.yaml', 'values.yaml']);

function issue(path: string, message: string, code = 'invalid-push'): CatalystIssue {
  return { code, path, message };
}

function parseApplicationFile(text: string, file: string, dir: string): { app?: Application; issues: CatalystIssue[] } {
  const parsed = parseYaml(text, { path: file });
  const valid = parsed.ok ? validateApplication(parsed.value) : parsed;
  if (!valid.ok) return { issues: valid.errors.map(e => issue(`${file}: ${e.path}`, e.message, e.code)) };
  if (valid.value.metadata.name !== dir) {
    return {
      issues: [
        issue(`${file}: metadata.name`, `is ${valid.value.metadata.name}; it must be the folder's name, ${dir}`),
      ],
    };
  }
  return { app: valid.value, issues: [] };
}

function parseValuesFile(
  text: string | undefined,
  file: string,
): { values?: Record<string, unknown>; issues: CatalystIssue[] } {
  if (text === undefined) return { values: {}, issues: [] };
  const parsed = parseYaml(text, { path: file });
  if (!parsed.ok) return { issues: parsed.errors.map(e => issue(`${file}: ${e.path}`, e.message, e.code)) };
  if (parsed.value !== null && (typeof parsed.value !== 'object' || Array.isArray(parsed.value))) {
    return { issues: [issue(file, 'must be a mapping of configuration keys to values')] };
  }
  return { values: (parsed.value ?? {}) as Record<string, unknown>, issues: [] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What a push changed in one Application's folder, as one intent (or the reasons it cannot be one). */
async function applicationIntent(
  objects: PushedObjects,
  head: string,
  state: EnvironmentState,
  name: string,
): Promise<{ intent?: ChangeIntent; issues: CatalystIssue[] }> {
  const file = `applications/${name}/application.yaml`;
  const valuesFile = `applications/${name}/values.yaml`;
  const before = state.applications.get(name);
  const text = await objects.readFile(head, file);
  if (text === undefined) {
    return before ? { intent: { kind: 'uninstall', application: name }, issues: [] } : { issues: [] };
  }
  const { app, issues } = parseApplicationFile(text, file, name);
  const values = parseValuesFile(await objects.readFile(head, valuesFile), valuesFile);
  if (!app || !values.values) return { issues: [...issues, ...values.issues] };
  const paused = isPaused(app);
  if (!before) {
    const dependencies = Object.fromEntries(
      app.spec.dependencies.map(d => [d.alias, { use: 'existing' as const, application: d.application }]),
    );
    return {
      intent: {
        kind: 'install',
        body: {
          application: name,
          blueprint: app.spec.blueprintRef.name,
          version: app.spec.blueprintRef.version,
          values: values.values,
          ...(app.spec.overlay ? { overlay: app.spec.overlay } : {}),
          placement: app.spec.placement,
          dependencies,
        },
      },
      issues: [],
    };
  }
  // What a configure or upgrade can change; the rest says which Application this is.
  const fixed: Array<[string, unknown, unknown]> = [
    ['spec.blueprintRef.name', before.spec.blueprintRef.name, app.spec.blueprintRef.name],
    ['spec.blueprintRef.source', before.spec.blueprintRef.source, app.spec.blueprintRef.source],
    ['spec.dependencies', before.spec.dependencies, app.spec.dependencies],
    ['spec.placement', before.spec.placement, app.spec.placement],
  ];
  const refused = fixed
    .filter(([, a, b]) => !same(a, b))
    .map(([field]) =>
      issue(`${file}: ${field}`, 'cannot change in place; uninstall and install again, or install under another name'),
    );
  if (refused.length) return { issues: refused };
  const previousValues = valuesOf(await objects.readFile(state.head!, valuesFile));
  const body = {
    ...(same(previousValues, values.values) ? {} : { values: values.values }),
    ...(app.spec.blueprintRef.version !== before.spec.blueprintRef.version
      ? { version: app.spec.blueprintRef.version }
      : {}),
    ...(app.spec.overlay !== before.spec.overlay && app.spec.overlay ? { overlay: app.spec.overlay } : {}),
    ...(paused !== isPaused(before) ? { paused } : {}),
  };
  return Object.keys(body).length
    ? { intent: { kind: 'update', application: name, body }, issues: [] }
    : { issues: [] };
}

async function policyIntent(
  objects: PushedObjects,
  head: string,
): Promise<{ intent?: ChangeIntent; issues: CatalystIssue[] }> {
  const text = await objects.readFile(head, POLICY_PATH);
  if (text === undefined) return { intent: { kind: 'policy', rules: [] }, issues: [] };
  const parsed = parseYaml(text, { path: POLICY_PATH });
  const valid = parsed.ok ? validateEnvironmentPolicy(parsed.value) : parsed;
  if (!valid.ok) return { issues: valid.errors.map(e => issue(`${POLICY_PATH}: ${e.path}`, e.message, e.code)) };
  return {
    intent: {
      kind: 'policy',
      rules: valid.value.spec.rules,
      ...(valid.value.spec.merge ? { merge: valid.value.spec.merge } : {}),
    },
    issues: [],
  };
}

/** Which file of the push an issue of a prepared intent is about (values.* → values.yaml). */
function fileOfIssue(intent: ChangeIntent, path: string): string {
  if (intent.kind === 'policy') return POLICY_PATH;
  const app = applicationOfIntent(intent) ?? '';
  return /^values(\.|\[|$)/.test(path) ? `applications/${app}/values.yaml` : `applications/${app}/application.yaml`;
}

/**
 * Reads the changes between `base` and `head` as intents and prepares each against `state` (the
 * Environment as the intents would apply to it). Files Catalyst writes are refused by name.
 */
export async function readPush(input: {
  objects: PushedObjects;
  changed: ChangedPath[];
  head: string;
  state: EnvironmentState;
  env: EnvironmentRecord;
  repo: GitRepository;
  catalog: BlueprintCatalog;
}): Promise<PushReading> {
  const { objects, changed, head, state } = input;
  const issues: CatalystIssue[] = [];
  const apps = new Set<string>();
  let policy = false;
  for (const { path, status } of changed) {
    const app = APP_PATH.exec(path);
    const flux = FLUX_PATH.exec(path);
    if (path === POLICY_PATH) policy = true;
    else if (app && (EDITABLE.has(app[2]) || status === 'D')) apps.add(app[1]);
    else if (app) {
      issues.push(
        issue(
          path,
          `is composed by Catalyst from the Blueprint; change applications/${app[1]}/values.yaml or application.yaml instead`,
          'generated-file',
        ),
      );
    } else if (flux && status === 'D') apps.add(flux[1]);
    else {
      issues.push(
        issue(
          path,
          `is written by Catalyst; a push may change applications/<name>/application.yaml, values.yaml and ${POLICY_PATH}`,
          'generated-file',
        ),
      );
    }
  }
  const intents: ChangeIntent[] = [];
  for (const name of [...apps].sort()) {
    const read = await applicationIntent(objects, head, state, name);
    issues.push(...read.issues);
    if (read.intent) intents.push(read.intent);
  }
  if (policy) {
    const read = await policyIntent(objects, head);
    issues.push(...read.issues);
    if (read.intent) intents.push(read.intent);
  }
  const prepared: PreparedChange[] = [];
  if (issues.length === 0) {
    for (const intent of intents) {
      try {
        prepared.push(await prepareIntent({ env: input.env, state, repo: input.repo, catalog: input.catalog }, intent));
      } catch (error) {
        const e = error as Error & { issues?: CatalystIssue[] };
        const found = e.issues?.length ? e.issues : [{ code: 'invalid-change', path: '', message: e.message }];
        for (const i of found)
          issues.push(issue(`${fileOfIssue(intent, i.path)}${i.path ? `: ${i.path}` : ''}`, i.message, i.code));
      }
    }
  }
  return { intents, prepared, issues };
}
