export { CopyApplicationButton, CopyApplicationDialog, CopyToMenu, useCopyApplication } from './CopyApplication';
export type { CopyToMenuProps } from './CopyApplication';
