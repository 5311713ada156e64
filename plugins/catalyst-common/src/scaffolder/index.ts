export { CATALYST_FIELDS, WHERE_FIELDS } from './fields';
export type { CatalystFieldName } from './fields';
