export { ApplicationPromotion, differenceInWords } from './ApplicationPromotion';
