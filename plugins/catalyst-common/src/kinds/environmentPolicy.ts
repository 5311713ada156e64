import { z } from 'zod';
import { parseDuration } from '../duration';
import { CatalystIssue } from '../issues';
import { environmentPolicyRuleSchema } from '../policy/rules';
import { parseEnvironmentName } from '../naming';
import {
  CatalystValidation,
  combine,
  kindSchema,
  metadataSchema,
  nameIssues,
  notAnObject,
  parseWith,
} from './common';

/**
 * Gates every change landing in the Environments it applies to (DESIGN §7). Rules come from
 * `policy/rules.ts`; an empty rule list is a valid "no gates" policy.
 *
 * @public
 */
export const environmentPolicySchema = kindSchema(
  'EnvironmentPolicy',
  metadataSchema,
  z.strictObject({
    appliesTo: z.strictObject({ environments: z.array(z.string()).min(1) }),
    rules: z.array(environmentPolicyRuleSchema).default([]),
  }),
);

/** @public */
export type EnvironmentPolicy = z.infer<typeof environmentPolicySchema>;

// Five (or six, with seconds) cron fields of digits, names, and the operators cron parsers accept.
const CRON_FIELD = /^[A-Za-z0-9*?,/#LW-]+$/;

function cronIssue(cron: string, path: string): CatalystIssue | undefined {
  const fields = cron.trim().split(/\s+/);
  if (
    (fields.length !== 5 && fields.length !== 6) ||
    !fields.every(f => CRON_FIELD.test(f))
  ) {
    return {
      code: 'invalid-cron',
      path,
      message: `"${cron}" is not a cron expression like "0 14 * * 2,4"`,
    };
  }
  return undefined;
}

function timezoneIssue(tz: string, path: string): CatalystIssue | undefined {
  const issue = {
    code: 'invalid-timezone',
    path,
    message: `"${tz}" is not an IANA time zone such as Europe/Berlin`,
  };
  try {
    // Intl throws a RangeError for unknown zones; available in every JS runtime we target.
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions()
      .timeZone
      ? undefined
      : issue;
  } catch {
    return issue;
  }
}

/**
 * Schema plus the checks the schema cannot express: Environment names, durations, cron form,
 * time zones, and duplicate rules that would make the policy ambiguous.
 *
 * @public
 */
export function validateEnvironmentPolicy(
  doc: unknown,
): CatalystValidation<EnvironmentPolicy> {
  const notObject = notAnObject(doc);
  if (notObject) return { ok: false, errors: notObject };
  const extra: CatalystIssue[] = nameIssues(doc, 'EnvironmentPolicy name');
  const parsed = parseWith(environmentPolicySchema, doc);
  if (!parsed.ok) return combine(parsed, extra);
  const { spec } = parsed.value;
  spec.appliesTo.environments.forEach((env, i) => {
    const r = parseEnvironmentName(env, `spec.appliesTo.environments[${i}]`);
    if (!r.ok) extra.push(...r.errors);
  });
  let freezes = 0;
  spec.rules.forEach((rule, i) => {
    const base = `spec.rules[${i}]`;
    if (rule.kind === 'soak' || rule.kind === 'change-window') {
      const d = parseDuration(rule.duration, `${base}.duration`);
      if (!d.ok) extra.push(d.issue);
    }
    if (rule.kind === 'soak') {
      const r = parseEnvironmentName(
        rule.sourceEnvironment,
        `${base}.sourceEnvironment`,
      );
      if (!r.ok) extra.push(...r.errors);
      else if (spec.appliesTo.environments.includes(rule.sourceEnvironment)) {
        extra.push({
          code: 'invalid-value',
          path: `${base}.sourceEnvironment`,
          message: 'an Environment cannot soak in itself',
        });
      }
    }
    if (rule.kind === 'change-window') {
      const c = cronIssue(rule.cron, `${base}.cron`);
      if (c) extra.push(c);
      if (rule.timezone !== undefined) {
        const t = timezoneIssue(rule.timezone, `${base}.timezone`);
        if (t) extra.push(t);
      }
    }
    if (rule.kind === 'freeze') freezes++;
  });
  if (freezes > 1) {
    extra.push({
      code: 'duplicate',
      path: 'spec.rules',
      message: 'a policy may hold at most one freeze',
    });
  }
  return combine(parsed, extra);
}
