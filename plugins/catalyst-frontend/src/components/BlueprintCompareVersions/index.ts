export { BlueprintCompareVersions } from './BlueprintCompareVersions';
