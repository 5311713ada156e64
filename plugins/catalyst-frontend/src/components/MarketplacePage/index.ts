export { MarketplaceContent, MarketplacePage } from './MarketplacePage';
