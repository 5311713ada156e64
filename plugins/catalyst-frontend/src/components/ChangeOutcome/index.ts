export { ChangeOutcome } from './ChangeOutcome';
export type { ChangeOutcomeProps } from './ChangeOutcome';
