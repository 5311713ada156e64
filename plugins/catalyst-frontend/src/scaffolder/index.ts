export {
  CatalystApplicationRefPickerFieldExtension,
  CatalystDependencyChoiceFieldExtension,
  CatalystDomainPickerFieldExtension,
  CatalystEnvironmentNamePreviewFieldExtension,
  CatalystEnvironmentPickerFieldExtension,
  CatalystPasswordFieldExtension,
} from './extensions';
export { CatalystApplicationRefPicker } from './CatalystApplicationRefPicker';
export type { CatalystApplicationRefPickerOptions } from './CatalystApplicationRefPicker';
export { CatalystDependencyChoice } from './CatalystDependencyChoice';
export type { CatalystDependencyChoiceOptions, DependencyChoiceValue } from './CatalystDependencyChoice';
export { CatalystDomainPicker } from './CatalystDomainPicker';
export type { CatalystDomainPickerOptions } from './CatalystDomainPicker';
export { CatalystEnvironmentNamePreview } from './CatalystEnvironmentNamePreview';
export type { CatalystEnvironmentNamePreviewOptions } from './CatalystEnvironmentNamePreview';
export { CatalystEnvironmentPicker } from './CatalystEnvironmentPicker';
export type { CatalystEnvironmentPickerOptions } from './CatalystEnvironmentPicker';
export { CatalystPassword } from './CatalystPassword';
// the `ui:field` names live with the Template generator's side of the contract in catalyst-common
export { CATALYST_FIELDS } from '@internal/plugin-catalyst-common';
