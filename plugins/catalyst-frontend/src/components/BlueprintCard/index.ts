export { BlueprintCard, blueprintBadges } from './BlueprintCard';
export type { BlueprintCardProps } from './BlueprintCard';
