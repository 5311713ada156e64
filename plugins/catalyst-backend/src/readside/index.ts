/**
 * The read side (DESIGN §6): event spine, publishers of facts, projector, SSE and REST reads, and
 * the kubernetes plugin's cluster supplier. See the "Read side" section of the package README.
 */
export { createReadSide } from './createReadSide';
export type { ReadSide, ReadSideOptions, ReadSideTuning } from './createReadSide';
export { catalystKubernetesClusterSupplierModule, CatalystClusterSupplier } from './kubernetes/catalystClusterSupplier';
export { EventPublishError, EventValidationError, JetStreamEventPublisher } from './publishers/JetStreamEventPublisher';
