import { evaluatePolicy, parseYaml, PolicyEvaluation, SoakObservation } from '@internal/plugin-catalyst-common';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { GitRepository } from '../git/GitRepository';
import { EnvironmentState, POLICY_PATH } from '../provisioning/environmentState';
import type { ChangeRequestRecord } from './ChangeRequestStore';
import { ChangeRequestDeps, crId } from './changeRequestContext';

/**
 * The rules a request is judged by: the destination's policy on main. A policy file that does not
 * validate still counts with its rules as written (the evaluator fails the ones it cannot run), so
 * a broken policy blocks merges — except the change that repairs it, which an org-admin's approval
 * alone may merge (otherwise nothing could ever fix it).
 */
async function policyRulesFor(
  cr: ChangeRequestRecord,
  state: EnvironmentState,
  repo: GitRepository,
  head: string | null,
): Promise<unknown[]> {
  if (!state.policyError) return state.policyRules ?? [];
  if (cr.touchesPolicies) return [];
  const text = head ? await repo.readFile(head, POLICY_PATH) : undefined;
  const parsed = text === undefined ? undefined : parseYaml(text, { path: POLICY_PATH });
  const rules = parsed?.ok ? (parsed.value as { spec?: { rules?: unknown } })?.spec?.rules : undefined;
  return Array.isArray(rules) && rules.length ? rules : [{ kind: 'invalid', reason: state.policyError }];
}

/**
 * The destination's policy applied to a request by catalyst-common's pure evaluator, on the facts
 * as they are now: the approvals given, the soak observations of the sources its rules name (from
 * the read model), the Environment's freeze, its org-admins, and the clock.
 */
export async function evaluateRequestPolicy(
  deps: Pick<ChangeRequestDeps, 'store' | 'soak' | 'orgAdmins'>,
  cr: ChangeRequestRecord,
  env: EnvironmentRecord,
  state: EnvironmentState,
  repo: GitRepository,
  head: string | null,
  now: Date,
): Promise<PolicyEvaluation> {
  const rules = await policyRulesFor(cr, state, repo, head);
  const [approvals, freeze] = await Promise.all([deps.store.approvals(cr.number), deps.store.getFreeze(env.name)]);
  const soak: Record<string, SoakObservation | null> = {};
  for (const rule of rules) {
    const source = (rule as { kind?: unknown; sourceEnvironment?: unknown }).sourceEnvironment;
    if ((rule as { kind?: unknown }).kind === 'soak' && typeof source === 'string' && cr.application) {
      soak[source] = await deps.soak(source, cr.application).catch(() => null);
    }
  }
  return evaluatePolicy(
    { environment: env.name, rules: rules as never },
    {
      id: crId(cr.number),
      destinationEnvironment: env.name,
      ...(cr.application ? { application: cr.application } : {}),
      author: cr.author,
      touchesPolicies: cr.touchesPolicies,
      ...(cr.pin.blueprint && cr.pin.version ? { blueprint: { name: cr.pin.blueprint, version: cr.pin.version } } : {}),
      ...(cr.pin.valuesDigest ? { valuesDigest: cr.pin.valuesDigest } : {}),
      ...(cr.source ? { sourceEnvironment: cr.source.environment } : {}),
      revisedAt: cr.revisedAt,
    },
    {
      approvals: approvals.map(a => ({ user: a.approver, teams: a.teams, at: a.at })),
      soak,
      orgAdmins: [
        ...new Set([
          ...approvals.filter(a => a.orgAdmin).map(a => a.approver),
          ...(cr.touchesPolicies && deps.orgAdmins ? await deps.orgAdmins(cr.organization).catch(() => []) : []),
        ]),
      ],
      freeze: freeze ? { reason: freeze.reason, by: freeze.by, since: freeze.since } : null,
    },
    now,
  );
}
