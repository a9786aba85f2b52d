/**
 * The retention jobs in run order: bodies first (the shorter period), then whole rows, then the
 * housekeeping tables. Order matters once: engine idempotency keys of deleted messages go with
 * them (outboundRows), the rest by age.
 */
import type { Job } from "./job.js";
import {
  conversationEvents,
  dailyCounters,
  engineIdempotency,
  httpIdempotency,
  inboundDedupe,
  modemRecipients,
  resolvedFlags,
  stickyRoutes,
  webhookDeliveries,
  webhookOutbox,
} from "./jobs-housekeeping.js";
import {
  inboundBodies,
  inboundRows,
  outboundBodies,
  outboundRows,
  quarantine,
  strayReports,
} from "./jobs-messages.js";

export const JOBS: readonly Job[] = [
  outboundBodies,
  inboundBodies,
  quarantine,
  outboundRows,
  inboundRows,
  strayReports,
  modemRecipients,
  stickyRoutes,
  dailyCounters,
  resolvedFlags,
  conversationEvents,
  webhookDeliveries,
  webhookOutbox,
  httpIdempotency,
  engineIdempotency,
  inboundDedupe,
];
