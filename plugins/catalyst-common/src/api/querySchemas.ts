import { z } from 'zod';

/** Query strings of the catalyst REST API's operations (see operations.ts). */

/** `?organization=`: only that Organization. @public */
export const organizationQuerySchema = z.object({ organization: z.string().max(64).optional() });

/** An opaque key that makes a retried write answer with the first result instead of writing twice. @public */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 characters of A-Z a-z 0-9 . _ : -');

/** @public */
export const blueprintListQuerySchema = z.object({
  q: z.string().max(100).optional(),
  category: z.string().max(50).optional(),
  organization: z.string().max(64).optional(),
});

/** @public */
export const historyQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });

/** @public */
export const commitQuerySchema = z.object({ application: z.string().max(63).optional() });

/** @public */
export const uninstallQuerySchema = z.object({ idempotencyKey: idempotencyKeySchema.optional() });

/** @public */
export const liveEventsQuerySchema = z.object({
  environment: z.union([z.string(), z.array(z.string())]),
  application: z.union([z.string(), z.array(z.string())]).optional(),
  lastEventId: z.string().max(8192).optional(),
});
