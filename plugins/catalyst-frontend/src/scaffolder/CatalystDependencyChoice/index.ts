export { CatalystDependencyChoice, catalystDependencyChoiceValidation } from './CatalystDependencyChoice';
export type { CatalystDependencyChoiceOptions, DependencyChoiceValue } from './CatalystDependencyChoice';
