import type { Clock } from "../../../src/clock.js";
import type { RetentionPolicy } from "../../../src/retention/policy.js";
import { RetentionRunner } from "../../../src/retention/runner.js";
import type { Db } from "../../../src/store/db.js";
import { DAY, HOUR, NOW } from "./seed.js";

/** The config defaults, in ms. */
export const DEFAULT_POLICY: RetentionPolicy = {
  bodiesMs: 365 * DAY,
  metadataMs: 1095 * DAY,
  webhookDeliveriesMs: 30 * DAY,
  idempotencyMs: 24 * HOUR,
  inboundDedupeMs: 30 * DAY,
  batchSize: 500,
};

export const fixedClock = (t = NOW): Clock => ({
  now: () => t,
  setTimeout: () => ({ clear: () => undefined }),
});

export function runner(db: Db, policy: Partial<RetentionPolicy> = {}, pause?: () => Promise<void>) {
  return new RetentionRunner({
    db,
    clock: fixedClock(),
    policy: { ...DEFAULT_POLICY, ...policy },
    intervalMs: HOUR,
    ...(pause && { pause }),
  });
}
