import cases from '../__fixtures__/policy/validation-cases.json';
import { validateEnvironmentPolicyRules } from './compileRules';

interface ValidationCase {
  name: string;
  rules: unknown;
  environment?: string;
  path?: string;
  expect: Array<{ code: string; path: string }>;
}

describe('validateEnvironmentPolicyRules', () => {
  it.each((cases as ValidationCase[]).map(c => [c.name, c] as const))('%s', (_name, c) => {
    const issues = validateEnvironmentPolicyRules(c.rules, {
      environment: c.environment,
      path: c.path,
    });
    expect(issues.map(({ code, path }) => ({ code, path }))).toEqual(c.expect);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(10);
  });
});
