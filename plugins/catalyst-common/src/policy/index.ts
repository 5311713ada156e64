export { evaluatePolicy } from './evaluatePolicy';
export type {
  EnvironmentFreeze,
  PolicyApproval,
  PolicyChange,
  PolicyEvaluation,
  PolicyFacts,
  PolicyRuleRef,
  PolicyUnderEvaluation,
  PolicyVerdict,
  PolicyVerdictCode,
  PolicyVerdictDetails,
  PolicyVerdictStatus,
  SoakObservation,
} from './evaluatePolicy';
export { validateEnvironmentPolicyRules } from './compileRules';
export type { ValidatePolicyRulesOptions } from './compileRules';
export { normalizeUserRef, teamMatches } from './refs';
