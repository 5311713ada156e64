import type { CatalystIssue } from '@internal/plugin-catalyst-common';
import { refusalOf } from '../../permissions/refusals';
import { FieldErrors, issuesToFieldErrors } from '../../utils/settingsForm';

/** What the server answered to a failed preview or save: its issues, its message and the status. */
export function serverAnswer(error: Error): { issues: CatalystIssue[]; message: string; statusCode?: number } {
  const e = error as Error & {
    statusCode?: number;
    body?: { error?: { message?: string; issues?: CatalystIssue[] } };
    cause?: { message?: string; issues?: CatalystIssue[] };
  };
  return {
    issues: e.body?.error?.issues ?? e.cause?.issues ?? [],
    message: e.body?.error?.message ?? e.cause?.message ?? e.message,
    statusCode: e.statusCode,
  };
}

/** What the server said about a failed preview or save of the settings form, ready to show. */
export interface Problem {
  error: Error;
  fields: FieldErrors;
  other: string[];
  /** 409: a valid request the Environment refuses (governed, blocked upgrade, dependents …). */
  conflict: boolean;
}

/**
 * A refusal (the answer's catalyst error code `not-allowed` or `governed-environment`) says who may
 * or that changes go through change requests; other failures show the server's issues or message.
 */
export function problemOf(error: Error, scope: { environment: string; organization: string }): Problem {
  const refusal = refusalOf(error, 'configure', scope);
  if (refusal) return { error, fields: {}, other: [refusal], conflict: true };
  const { issues, message, statusCode } = serverAnswer(error);
  const { fields, other } = issuesToFieldErrors(issues);
  return { error, fields, other: issues.length ? other : [message], conflict: statusCode === 409 };
}
