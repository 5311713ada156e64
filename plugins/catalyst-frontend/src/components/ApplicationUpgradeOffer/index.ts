export { ApplicationUpgradeOffer } from './ApplicationUpgradeOffer';
export type { ApplicationUpgradeOfferProps } from './ApplicationUpgradeOffer';
export { upgradeFailureOf } from './upgradeFailure';
