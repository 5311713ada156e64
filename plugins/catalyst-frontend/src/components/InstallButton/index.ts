export { InstallButton } from './InstallButton';
export type { InstallButtonProps } from './InstallButton';
export { useInstallLink } from './installLink';
