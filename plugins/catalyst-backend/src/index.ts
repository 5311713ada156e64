/**
 * The Catalyst backend plugin: controllers, projector, REST + SSE, Git, NATS and Kubernetes adapters.
 *
 * @packageDocumentation
 */
export { catalystPlugin as default } from './plugin';
