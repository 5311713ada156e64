export { CatalystPassword, catalystPasswordValidation } from './CatalystPassword';
