import type { JsonObject, JsonValue } from '@backstage/types';
import { parseYaml } from '@internal/plugin-catalyst-common';
import { actionContext } from '../__testUtils__/actionContext';
import type { CatalystBackendClient } from '@internal/plugin-catalyst-node';
import { CatalystTestBackend, startCatalystTestBackend } from '../__testUtils__/catalystBackend';
import { createCatalystActions } from '.';

jest.setTimeout(60_000);

/** Template parameters for examples written against a form (`${{ parameters.x }}`). */
const PARAMETERS: JsonObject = {
  environment: 'acme-dev',
  name: 'landing',
  values: { domain: 'landing.acme.example', title: 'ACME' },
};

/** Renders `${{ parameters.x }}` the way the scaffolder renders a whole-value expression: to the value itself. */
function render(value: JsonValue): JsonValue {
  if (typeof value === 'string') {
    const m = /^\$\{\{\s*parameters\.([A-Za-z0-9_]+)\s*\}\}$/.exec(value);
    if (m) return PARAMETERS[m[1]] ?? null;
    if (value.includes('${{')) throw new Error(`the test renders whole-value parameter expressions only: ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map(render);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v as JsonValue)]));
  return value;
}

type Outcome = { outputs: Record<string, unknown>; input: JsonObject; error?: Error };
const committed = ({ outputs, error }: Outcome) => {
  expect(error).toBeUndefined();
  expect(outputs.commit).toMatch(/^[0-9a-f]{40}$/);
  expect(outputs.links).toEqual(
    expect.arrayContaining([expect.objectContaining({ url: expect.stringMatching(/^\/catalog\//) })]),
  );
};
const created = ({ outputs, error }: Outcome) => {
  expect(error).toBeUndefined();
  expect(outputs.links).toEqual([expect.objectContaining({ url: expect.stringMatching(/^\/catalog\//) })]);
};

/** What each action's examples must do when run. */
const OUTCOMES: Record<string, (o: Outcome) => void> = {
  'catalyst:application:plan': ({ outputs, input, error }) => {
    expect(error).toBeUndefined();
    expect(outputs.applications).toContain(input.application);
  },
  'catalyst:application:install': committed,
  'catalyst:application:configure': committed,
  // acme-prod is governed in the seed: its promotion waits in a change request, the others commit.
  'catalyst:application:promote': outcome => {
    if (outcome.input.targetEnvironment !== 'acme-prod') {
      committed(outcome);
      return;
    }
    expect(outcome.error).toBeUndefined();
    expect(outcome.outputs).toMatchObject({
      state: 'open',
      governed: true,
      changeRequest: expect.stringMatching(/^cr-\d+$/),
      changeRequestUrl: expect.stringMatching(/^\/catalyst\/change-requests\/cr-\d+$/),
    });
    expect(outcome.outputs.commit).toBeUndefined();
  },
  'catalyst:environment:create': created,
  'catalyst:organization:create': created,
};

describe('every *.examples.ts example, executed', () => {
  let b: CatalystTestBackend;
  beforeAll(async () => {
    b = await startCatalystTestBackend();
  });
  afterAll(async () => {
    await b?.stop();
  });

  // Enumerated before the backend exists (a client is only needed to run them). They run in this
  // order: the configure examples change the Application an install example creates.
  const listed = createCatalystActions({ client: {} as CatalystBackendClient });
  const cases = listed.flatMap(action =>
    (action.examples ?? []).map((example, i) => [action.id, i, example.description, example] as const),
  );

  it('covers every action, and knows what each must do', () => {
    expect(new Set(cases.map(c => c[0]))).toEqual(new Set(listed.map(a => a.id)));
    expect(Object.keys(OUTCOMES).sort()).toEqual(listed.map(a => a.id).sort());
  });

  it.each(cases)('%s example %i: %s', async (id, _i, _description, example) => {
    const action = createCatalystActions({ client: b.client }).find(a => a.id === id)!;
    const parsed = parseYaml(example.example);
    if (!parsed.ok) throw new Error(parsed.errors.map(e => e.message).join('; '));
    const steps = (parsed.value as { steps: Array<{ id: string; action: string; input: JsonObject }> }).steps;
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.action).toBe(action.id);
      const input = render(step.input) as JsonObject;
      const run = actionContext(action, {
        input,
        credentials: b.credentials(action.id === 'catalyst:organization:create' ? 'admin' : 'dev'),
        taskId: `example-${action.id.replace(/:/g, '-')}-${step.id}`,
        stepId: step.id,
      });
      const error = await run.run().then(
        () => undefined,
        (e: Error) => e,
      );
      OUTCOMES[action.id]({ outputs: run.outputs, input, error });
    }
  });
});
