export { FileDiffView } from './FileDiffView';
export type { FileDiffViewProps } from './FileDiffView';
