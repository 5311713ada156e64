import { CronExpressionParser } from 'cron-parser';
import { parseDuration } from '../duration';
import { CatalystIssue, jsonPath } from '../issues';
import { ChangeWindowRule, environmentPolicyRuleSchema, FreezeRule, PrRequiredRule, SoakRule } from './rules';

/** Appends segments to an existing JSON path (`spec.rules` + 2 + `cron` → `spec.rules[2].cron`). */
export function subPath(base: string, ...segments: Array<string | number>): string {
  const tail = jsonPath(...segments);
  if (!tail) return base;
  if (!base) return tail;
  return tail.startsWith('[') ? `${base}${tail}` : `${base}.${tail}`;
}

/** A rule whose duration, cron and timezone have been parsed, ready for the evaluator. */
export type CompiledPolicyRule =
  | { kind: 'pr-required'; rule: PrRequiredRule; minApprovals: number }
  | { kind: 'soak'; rule: SoakRule; durationMs: number }
  | { kind: 'change-window'; rule: ChangeWindowRule; durationMs: number; timezone: string }
  | { kind: 'freeze'; rule: FreezeRule };

/** @public */
export interface ValidatePolicyRulesOptions {
  /** The Environment the policy governs; a soak rule may not name it as its own source. */
  environment?: string;
  /** Path of the rules list in the document; default `spec.rules`. */
  path?: string;
}

const KNOWN_KINDS = ['pr-required', 'soak', 'change-window', 'freeze'];

// Area/Location names (and UTC); rejects offsets like "+02:00" that luxon would also accept,
// because policies must follow DST, which a fixed offset cannot.
const IANA_ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
const zoneCache = new Map<string, string | null>();

/**
 * The canonical IANA name (`Europe/Berlin`) of a timezone, or `null` when the runtime does not know it.
 *
 * @public
 */
export function canonicalTimeZone(zone: string): string | null {
  const cached = zoneCache.get(zone);
  if (cached !== undefined) return cached;
  let out: string | null = null;
  if (IANA_ZONE.test(zone)) {
    try {
      out = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      out = null;
    }
  }
  // Policies name a handful of zones; the cap only guards against hostile input.
  if (zoneCache.size > 256) zoneCache.clear();
  zoneCache.set(zone, out);
  return out;
}

/**
 * Checks a change-window cron: exactly five fields (minute hour day-of-month month day-of-week),
 * no `@daily` shorthands (ambiguous about seconds in cron-parser) and no `H` (random per process,
 * so two replicas would disagree about the window).
 */
function cronIssue(cron: string, zone: string, path: string): CatalystIssue | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    return {
      code: 'invalid-cron',
      path,
      message: `cron "${cron}" has ${fields.length} field(s); use 5: minute hour day-of-month month day-of-week (e.g. "0 14 * * 2,4")`,
    };
  }
  // THU is the only field name containing an H.
  if (fields.some(f => /h/i.test(f.replace(/thu/gi, '')))) {
    return { code: 'invalid-cron', path, message: `cron "${cron}" uses H (hashed) values; write explicit times` };
  }
  try {
    CronExpressionParser.parse(fields.join(' '), { currentDate: new Date(0), tz: zone });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { code: 'invalid-cron', path, message: `cron "${cron}" is not valid: ${reason}` };
  }
  return null;
}

/**
 * Parses one rule. Schema problems, bad durations, crons and timezones come back as issues with
 * paths under `basePath` (e.g. `spec.rules[2].cron`).
 */
export function compilePolicyRule(
  rule: unknown,
  basePath: string,
  options: ValidatePolicyRulesOptions = {},
): { ok: true; compiled: CompiledPolicyRule } | { ok: false; kind: string; issues: CatalystIssue[] } {
  const rawKind =
    rule && typeof rule === 'object' && typeof (rule as { kind?: unknown }).kind === 'string'
      ? (rule as { kind: string }).kind
      : 'unknown';
  const parsed = environmentPolicyRuleSchema.safeParse(rule);
  if (!parsed.success) {
    const issues: CatalystIssue[] = [];
    if (!KNOWN_KINDS.includes(rawKind)) {
      issues.push({
        code: 'invalid-rule',
        path: subPath(basePath, 'kind'),
        message: `unknown rule kind "${rawKind}"; expected one of ${KNOWN_KINDS.join(', ')}`,
      });
    } else {
      for (const issue of parsed.error.issues) {
        const segments = issue.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
        issues.push({ code: 'invalid-rule', path: subPath(basePath, ...segments), message: issue.message });
      }
    }
    return { ok: false, kind: rawKind, issues };
  }
  const value = parsed.data;
  switch (value.kind) {
    case 'pr-required':
      return { ok: true, compiled: { kind: value.kind, rule: value, minApprovals: value.minApprovals ?? 1 } };
    case 'freeze':
      return { ok: true, compiled: { kind: value.kind, rule: value } };
    case 'soak': {
      const duration = parseDuration(value.duration, subPath(basePath, 'duration'));
      const issues: CatalystIssue[] = duration.ok ? [] : [duration.issue];
      if (options.environment && value.sourceEnvironment === options.environment) {
        issues.push({
          code: 'invalid-rule',
          path: subPath(basePath, 'sourceEnvironment'),
          message: `a soak rule cannot take its own Environment ${options.environment} as source`,
        });
      }
      if (!duration.ok || issues.length > 0) return { ok: false, kind: value.kind, issues };
      return { ok: true, compiled: { kind: value.kind, rule: value, durationMs: duration.ms } };
    }
    case 'change-window': {
      const issues: CatalystIssue[] = [];
      const duration = parseDuration(value.duration, subPath(basePath, 'duration'));
      if (!duration.ok) issues.push(duration.issue);
      const zone = canonicalTimeZone(value.timezone ?? 'UTC');
      if (!zone) {
        issues.push({
          code: 'invalid-timezone',
          path: subPath(basePath, 'timezone'),
          message: `"${value.timezone}" is not an IANA timezone; use a name such as Europe/Berlin or UTC`,
        });
      }
      const cron = cronIssue(value.cron, zone ?? 'UTC', subPath(basePath, 'cron'));
      if (cron) issues.push(cron);
      if (!duration.ok || !zone || issues.length > 0) return { ok: false, kind: value.kind, issues };
      return {
        ok: true,
        compiled: { kind: value.kind, rule: value, durationMs: duration.ms, timezone: zone },
      };
    }
    default:
      return { ok: false, kind: rawKind, issues: [] };
  }
}

/**
 * Every problem in an EnvironmentPolicy's `spec.rules`: shape, durations, cron expressions and
 * timezones, with paths such as `spec.rules[2].cron`. An empty list means the evaluator can run
 * every rule.
 *
 * @public
 */
export function validateEnvironmentPolicyRules(
  rules: unknown,
  options: ValidatePolicyRulesOptions = {},
): CatalystIssue[] {
  const base = options.path ?? 'spec.rules';
  if (!Array.isArray(rules)) {
    return [{ code: 'invalid-rule', path: base, message: 'rules must be a list' }];
  }
  const issues: CatalystIssue[] = [];
  rules.forEach((rule, index) => {
    const result = compilePolicyRule(rule, subPath(base, index), options);
    if (!result.ok) issues.push(...result.issues);
  });
  return issues;
}
