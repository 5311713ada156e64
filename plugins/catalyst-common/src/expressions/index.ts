export type { ExpressionIssue, Token } from './tokenizer';
export { tokenize } from './tokenizer';
export * from './parser';
export type { ExpressionContext, ExpressionValue } from './evaluate';
export { evaluateExpression, isTruthy } from './evaluate';
export * from './templates';
