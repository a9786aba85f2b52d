/**
 * The retention jobs in run order: bodies first (the shorter period), then whole rows, then the
 * housekeeping tables. Order matters once: engine idempotency keys of deleted messages go with
 * them (outboundRows), the rest by age. Inactive contacts come after the message jobs, so their
 * messages already past metadata_days are counted as such, not as part of an erasure.
 */
import type { Job } from "./job.js";
import { inactiveContacts } from "./jobs-contacts.js";
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
  inactiveContacts,
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
