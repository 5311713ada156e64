import { validateBlueprint } from '../blueprint/validateBlueprint';
import { CatalystIssue } from '../issues';
import { SafeYamlOptions, parseYaml } from '../yaml/safeYaml';
import { Application, validateApplication } from './application';
import { CatalystBlueprint } from './blueprint';
import { CATALYST_API_VERSION, CatalystValidation, notAnObject, ownValue } from './common';
import { Environment, validateEnvironment } from './environment';
import { EnvironmentPolicy, validateEnvironmentPolicy } from './environmentPolicy';
import { Organization, validateOrganization } from './organization';
import { Runbook, validateRunbook } from './runbook';
import { SecretPolicy, validateSecretPolicy } from './secretPolicy';
import { Sovereign, validateSovereign } from './sovereign';

/** @public */
export type CatalystDocument =
  | Sovereign
  | Organization
  | Environment
  | Application
  | CatalystBlueprint
  | EnvironmentPolicy
  | SecretPolicy
  | Runbook;

/** @public */
export type CatalystKind = CatalystDocument['kind'];

const VALIDATORS: {
  [K in CatalystKind]: (doc: unknown) => CatalystValidation<Extract<CatalystDocument, { kind: K }>>;
} = {
  Sovereign: validateSovereign,
  Organization: validateOrganization,
  Environment: validateEnvironment,
  Application: validateApplication,
  Blueprint: validateBlueprint,
  EnvironmentPolicy: validateEnvironmentPolicy,
  SecretPolicy: validateSecretPolicy,
  Runbook: validateRunbook,
};

/** @public */
export const CATALYST_KINDS = Object.keys(VALIDATORS) as CatalystKind[];

/** @public */
export type CatalystDocumentResult = { ok: true; value: CatalystDocument } | { ok: false; errors: CatalystIssue[] };

/**
 * Validates an already-parsed object as whichever Catalyst kind it declares.
 * Codes beyond the kind validators': `unknown-api-version`, `unknown-kind`.
 *
 * @public
 */
export function validateCatalystDocument(doc: unknown): CatalystDocumentResult {
  const notObject = notAnObject(doc);
  if (notObject) return { ok: false, errors: notObject };
  const apiVersion = ownValue(doc, 'apiVersion');
  if (apiVersion !== CATALYST_API_VERSION) {
    return {
      ok: false,
      errors: [
        {
          code: 'unknown-api-version',
          path: 'apiVersion',
          message: `apiVersion must be ${CATALYST_API_VERSION}${
            typeof apiVersion === 'string' ? `, not "${apiVersion.slice(0, 80)}"` : ''
          }`,
        },
      ],
    };
  }
  const kind = ownValue(doc, 'kind');
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(VALIDATORS, kind)) {
    return {
      ok: false,
      errors: [
        {
          code: 'unknown-kind',
          path: 'kind',
          message: `kind must be one of ${CATALYST_KINDS.join(', ')}`,
        },
      ],
    };
  }
  return VALIDATORS[kind as CatalystKind](doc);
}

/**
 * Parses one YAML document with the safe-YAML limits and validates it as the kind it declares.
 * Never throws.
 *
 * @public
 */
export function parseCatalystDocument(text: string, options: SafeYamlOptions = {}): CatalystDocumentResult {
  const parsed = parseYaml(text, options);
  if (!parsed.ok) return parsed;
  return validateCatalystDocument(parsed.value);
}
