export { BlueprintUsageCard } from './BlueprintUsageCard';
export type { BlueprintUsageCardProps } from './BlueprintUsageCard';
