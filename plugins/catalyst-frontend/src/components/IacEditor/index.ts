export { IacEditor } from './IacEditor';
export type { IacEditorProps } from './IacEditor';
