export {
  CatalystEnvironmentNamePreview,
  catalystEnvironmentNamePreviewValidation,
  previewName,
} from './CatalystEnvironmentNamePreview';
export type { CatalystEnvironmentNamePreviewOptions } from './CatalystEnvironmentNamePreview';
