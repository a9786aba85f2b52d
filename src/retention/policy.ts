/**
 * What the retention jobs keep and for how long (GDPR art. 5(1)(e): personal data kept no longer
 * than the purpose needs). Durations are milliseconds here; the config states them in days/hours.
 *
 * Never pruned, whatever the durations: the consent ledger and the suppressions. The controller must
 * be able to demonstrate a consent for as long as it relies on it (art. 7(1)), and an objection must
 * keep working after the messages are gone (art. 21(3); the CNIL keeps opposition data at least
 * 3 years). They are removed only by an erasure, which keeps a peppered hash of the suppression.
 */

export interface RetentionPolicy {
  /** Bodies, PDUs and reassembly fragments of final messages are blanked after this. */
  readonly bodiesMs: number;
  /** Final messages are deleted with their parts, events and delivery reports after this. */
  readonly metadataMs: number;
  /** Delivered or dead webhook deliveries, and outbox rows fanned out and no longer pending. */
  readonly webhookDeliveriesMs: number;
  /** HTTP and engine idempotency keys. */
  readonly idempotencyMs: number;
  /** Fingerprints of PDUs read from the SIMs (inbound_pdus). */
  readonly inboundDedupeMs: number;
  /**
   * A contact with no activity for this long is erased as by an art. 17 request (jobs-contacts.ts);
   * 0 disables it. Optional: a policy that does not set it gets DEFAULT_CONTACTS_INACTIVE_DAYS.
   */
  readonly contactsInactiveMs?: number;
  /** Rows per transaction. */
  readonly batchSize: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Days without any activity after which a contact is erased (jobs-contacts.ts), when the policy
 * does not say. The CNIL's "gestion commerciale" referential keeps a prospect's data 3 years from
 * the last contact coming from the prospect, and a customer's for the relationship and then 3
 * years for prospection. smsgw cannot tell the two apart, but a customer with no exchange at all for
 * 3 years has no relationship left that smsgw can see: 3 years for both. Bounds, once the period is
 * configured: 0 turns the job off, else at least metadata_days (erasing a contact deletes its
 * messages, so a shorter period would cut their metadata period short) and at most 3650 like the
 * other periods.
 */
export const DEFAULT_CONTACTS_INACTIVE_DAYS = 1095;

/**
 * A `sent` message that asked for a delivery report still waits for it: it counts as final only
 * once no report is requested, or this long after its last change. SMSCs give up on an undelivered
 * SMS after their validity period, typically one to a few days; a week leaves a margin.
 */
export const REPORT_WAIT_MS = 7 * DAY_MS;

/** Statuses in which nothing more will happen to an outbound message or part. */
export const TERMINAL = ["delivered", "undelivered", "failed", "canceled", "expired"] as const;
/** Part statuses that mean the message is still on its way (or needs an operator: unknown). */
export const IN_FLIGHT = ["queued", "scheduled", "sending", "unknown"] as const;

const list = (xs: readonly string[]) => xs.map((s) => `'${s}'`).join(", ");

/**
 * SQL condition on `messages m`: the message is final. Parameters: @reportCutoff.
 * The part check guards against a message-level status that runs ahead of one of its parts.
 */
export const FINAL_MESSAGE = `(m.status IN (${list(TERMINAL)})
    OR (m.status = 'sent' AND (m.status_report = 0 OR m.updated_at <= @reportCutoff)))
  AND NOT EXISTS (SELECT 1 FROM parts p WHERE p.message_id = m.id AND p.status IN (${list(IN_FLIGHT)}))`;

/** Names of the counts a run reports; each is a number of rows (messages for the message jobs). */
export const COUNT_NAMES = [
  "message_bodies_blanked",
  "inbound_bodies_blanked",
  "quarantine_deleted",
  "messages_deleted",
  "message_parts_deleted",
  "message_events_deleted",
  "status_reports_deleted",
  "inbound_deleted",
  "inbound_fragments_deleted",
  "contact_routes_deleted",
  "daily_counters_deleted",
  "agent_flags_deleted",
  "conversation_events_deleted",
  "contacts_erased",
  "contact_rows_deleted",
  "webhook_deliveries_deleted",
  "webhook_outbox_deleted",
  "idempotency_keys_deleted",
  "inbound_dedupe_deleted",
] as const;

export type CountName = (typeof COUNT_NAMES)[number];
export type RetentionCounts = Record<CountName, number>;

export function zeroCounts(): RetentionCounts {
  return Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])) as RetentionCounts;
}
