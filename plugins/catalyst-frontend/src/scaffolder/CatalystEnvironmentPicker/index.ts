export { CatalystEnvironmentPicker, catalystEnvironmentPickerValidation } from './CatalystEnvironmentPicker';
export type { CatalystEnvironmentPickerOptions } from './CatalystEnvironmentPicker';
