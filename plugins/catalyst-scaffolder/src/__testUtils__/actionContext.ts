import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject, JsonValue } from '@backstage/types';

/**
 * The scaffolder's checkpoint semantics (NunjucksWorkflowRunner): a key that succeeded once returns
 * its stored value on a retry instead of running again. `lose` drops a key's value as a crash between
 * the call and the state write would, so a retry runs it again.
 */
export class CheckpointStore {
  readonly values = new Map<string, JsonValue>();
  readonly ran: string[] = [];
  readonly lose = new Set<string>();

  checkpoint = async (opts: { key: string; fn: () => Promise<unknown> | unknown }): Promise<never> => {
    if (this.values.has(opts.key)) return this.values.get(opts.key) as never;
    this.ran.push(opts.key);
    const value = (await opts.fn()) as JsonValue;
    if (!this.lose.has(opts.key)) this.values.set(opts.key, value ?? {});
    return value as never;
  };
}

/** The context type an action's handler takes. */
type HandlerContext<A> = A extends { handler: (ctx: infer C) => Promise<void> } ? C : never;

export interface TestActionRun<C> {
  ctx: C;
  /** Runs the action's handler with this context. */
  run(): Promise<void>;
  outputs: Record<string, unknown>;
  /** Every line the action logged at info level, in order. */
  logs(): string[];
}

/**
 * A mock action context as the scaffolder would build it for one step of one task. Input is given as
 * a template would give it: the tests also pass input the action's schema would refuse.
 */
export function actionContext<A extends { handler: (ctx: never) => Promise<void> }>(
  action: A,
  options: {
    input: object;
    credentials: BackstageCredentials;
    isDryRun?: boolean;
    taskId?: string;
    stepId?: string;
    checkpoints?: CheckpointStore;
  },
): TestActionRun<HandlerContext<A>> {
  const logger = mockServices.logger.mock();
  const base = createMockActionContext<JsonObject, JsonObject>({
    input: options.input as JsonObject,
    logger,
    task: { id: options.taskId ?? 'e3b0c442-98fc-4c14-9afb-f4c8996fb924' },
  });
  const outputs: Record<string, unknown> = {};
  const ctx: ActionContext<JsonObject, JsonObject> = {
    ...base,
    output: (name, value) => {
      outputs[name as string] = value;
    },
    getInitiatorCredentials: async () => options.credentials,
    isDryRun: options.isDryRun ?? false,
    step: { id: options.stepId ?? 'install', name: options.stepId ?? 'install' },
    ...(options.checkpoints ? { checkpoint: options.checkpoints.checkpoint } : {}),
  };
  // The input is unchecked on purpose (see above), so the context is the action's by assertion.
  const typed = ctx as unknown as HandlerContext<A>;
  return {
    ctx: typed,
    run: () => (action.handler as (c: HandlerContext<A>) => Promise<void>)(typed),
    outputs,
    logs: () => (logger.info as jest.Mock).mock.calls.map(c => String(c[0])),
  };
}
