/**
 * Test helpers for packages that test against the real catalyst backend (the scaffolder module,
 * the browser journeys): a real nats-server and the catalyst plugin on a test backend.
 */
export { startTestNatsServer } from './natsServer';
export type { TestNatsServer } from './natsServer';
export { startCatalystTestBackend } from './catalystTestBackend';
export type { CatalystTestBackend, TestUser } from './catalystTestBackend';
