export { BlueprintAboutCard, iconPath } from './BlueprintAboutCard';
export type { BlueprintAboutCardProps } from './BlueprintAboutCard';
