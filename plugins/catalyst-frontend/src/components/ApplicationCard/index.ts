export { ApplicationCard } from './ApplicationCard';
export type { ApplicationCardProps } from './ApplicationCard';
