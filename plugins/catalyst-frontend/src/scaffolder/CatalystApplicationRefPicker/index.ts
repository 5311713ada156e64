export { CatalystApplicationRefPicker, catalystApplicationRefPickerValidation } from './CatalystApplicationRefPicker';
export type { CatalystApplicationRefPickerOptions } from './CatalystApplicationRefPicker';
