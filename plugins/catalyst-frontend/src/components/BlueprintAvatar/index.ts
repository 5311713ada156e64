export { BlueprintAvatar, avatarColour } from './BlueprintAvatar';
export type { BlueprintAvatarProps } from './BlueprintAvatar';
