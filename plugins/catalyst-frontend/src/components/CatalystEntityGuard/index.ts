export { CatalystEntityGuard } from './CatalystEntityGuard';
