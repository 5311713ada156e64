/**
 * Test helpers for Catalyst's packages (tests only — listed as a devDependency everywhere): a real
 * nats-server, a smart-HTTP Git host, and the catalyst plugin on a test backend with Backstage's
 * real permission backend.
 *
 * @packageDocumentation
 */
export { freePort } from './freePort';
export { startTestNatsServer } from './natsServer';
export type { TestNatsServer, TestNatsServerOptions } from './natsServer';
export { startTestPostgres } from './postgresServer';
export type { TestPostgres, TestPostgresConnection } from './postgresServer';
export { startTestGitHttpServer } from './gitHttpServer';
export type { TestGitHttpServer } from './gitHttpServer';
export { startCatalystTestBackend } from './catalystTestBackend';
export type { CatalystTestBackend, TestUser } from './catalystTestBackend';
export { startClientTestBackend, TEST_USERS } from './clientTestBackend';
export type { ClientTestBackend } from './clientTestBackend';
export { releaseBlueprintVersion } from './blueprintRepo';
export { MATRIX_BINDINGS, MATRIX_ROWS, MATRIX_USERS } from './authorizationMatrix';
export type { MatrixRow } from './authorizationMatrix';
export { browse, CookieJar, formOf, pageOf, postForm, redirectOf } from './oidcBrowser';
export type { Outcome, Page } from './oidcBrowser';
export { signInToBackstage, tokenClaims } from './backstageSignIn';
export type { BackstageSession } from './backstageSignIn';
