/**
 * The read side (DESIGN §6): event spine, publishers of facts, projector, SSE and REST reads. See
 * the "Read side" section of the package README.
 */
export { createReadSide } from './createReadSide';
export type { ReadSide, ReadSideOptions, ReadSideTuning } from './createReadSide';
export { EventPublishError, EventValidationError, JetStreamEventPublisher } from './publishers/JetStreamEventPublisher';
