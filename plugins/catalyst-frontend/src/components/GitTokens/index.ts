export { GitAccessPage } from './GitAccessPage';
export { GitTokensCard } from './GitTokensCard';
export type { GitTokensCardProps } from './GitTokensCard';
export { CloneRepoCard } from './CloneRepoCard';
export type { CloneRepoCardProps } from './CloneRepoCard';
