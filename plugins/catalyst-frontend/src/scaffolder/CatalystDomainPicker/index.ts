export { CatalystDomainPicker, catalystDomainPickerValidation } from './CatalystDomainPicker';
export type { CatalystDomainPickerOptions } from './CatalystDomainPicker';
export { organizationDomains } from './organizationDomains';
export type { UsedDomain } from './organizationDomains';
