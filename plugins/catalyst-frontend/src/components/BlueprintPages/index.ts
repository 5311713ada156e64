export { BlueprintCompareContent, BlueprintOverviewContent } from './BlueprintPages';
