/**
 * Jobs on the tables that grow with traffic but hold no message of their own: webhook deliveries
 * and outbox, idempotency keys, PDU fingerprints, routing and counter rows, resolved agent flags.
 * Simple age deletes, one batch per transaction.
 */
import { stmt } from "../store/tx.js";
import type { Job, JobContext } from "./job.js";
import { FINAL_MESSAGE, REPORT_WAIT_MS } from "./policy.js";

const del = (c: JobContext, sql: string, ageMs: number) =>
  stmt(c.db, sql).run({ cutoff: c.now - ageMs, batch: c.policy.batchSize }).changes;

/** A pending delivery is never deleted, whatever its age: it is an event the receiver has not had. */
export const webhookDeliveries: Job = {
  name: "webhook deliveries",
  needs: ["webhook_deliveries"],
  step(c) {
    const n = del(
      c,
      `DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries
         WHERE state IN ('delivered', 'dead') AND created_at <= @cutoff ORDER BY id LIMIT @batch)`,
      c.policy.webhookDeliveriesMs,
    );
    return { handled: n, counts: { webhook_deliveries_deleted: n } };
  },
};

/**
 * An outbox row is still pending until the webhook worker has fanned it out (its id is at most the
 * fan-out cursor) and none of its deliveries is pending. Without the worker's tables nothing has
 * been fanned out, so nothing is deleted.
 */
export const webhookOutbox: Job = {
  name: "webhook outbox",
  needs: ["webhook_fanout", "webhook_deliveries"],
  step(c) {
    const n = del(
      c,
      `DELETE FROM webhook_outbox WHERE id IN (SELECT o.id FROM webhook_outbox o
         WHERE o.created_at <= @cutoff
           AND o.id <= COALESCE((SELECT last_outbox_id FROM webhook_fanout WHERE id = 1), 0)
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.outbox_id = o.id AND d.state = 'pending')
         ORDER BY o.created_at LIMIT @batch)`,
      c.policy.webhookDeliveriesMs,
    );
    return { handled: n, counts: { webhook_outbox_deleted: n } };
  },
};

/** The HTTP layer's stored responses (they hold the request's answer, message text included). */
export const httpIdempotency: Job = {
  name: "HTTP idempotency keys",
  needs: ["http_idempotency"],
  step(c) {
    const n = del(
      c,
      `DELETE FROM http_idempotency WHERE (scope, key) IN (SELECT scope, key FROM http_idempotency
         WHERE created_at <= @cutoff ORDER BY created_at LIMIT @batch)`,
      c.policy.idempotencyMs,
    );
    return { handled: n, counts: { idempotency_keys_deleted: n } };
  },
};

/** The engine's keys go once their message is final (or gone): a retry of a request whose message
 * is still queued must keep finding it, or it would be sent twice. */
export const engineIdempotency: Job = {
  name: "engine idempotency keys",
  step(c) {
    const n = stmt(
      c.db,
      `DELETE FROM idempotency_keys WHERE key IN (SELECT k.key FROM idempotency_keys k
         WHERE k.created_at <= @cutoff AND NOT EXISTS (SELECT 1 FROM messages m
           WHERE m.id = k.message_id AND NOT (${FINAL_MESSAGE}))
         ORDER BY k.created_at LIMIT @batch)`,
    ).run({
      cutoff: c.now - c.policy.idempotencyMs,
      reportCutoff: c.now - REPORT_WAIT_MS,
      batch: c.policy.batchSize,
    }).changes;
    return { handled: n, counts: { idempotency_keys_deleted: n } };
  },
};

export const inboundDedupe: Job = {
  name: "inbound PDU fingerprints",
  step(c) {
    const n = del(
      c,
      `DELETE FROM inbound_pdus WHERE dedupe_key IN (SELECT dedupe_key FROM inbound_pdus
         WHERE at <= @cutoff ORDER BY at LIMIT @batch)`,
      c.policy.inboundDedupeMs,
    );
    return { handled: n, counts: { inbound_dedupe_deleted: n } };
  },
};

/** Who was texted from which SIM, and when: contact metadata, kept as long as message metadata. */
export const modemRecipients: Job = {
  name: "recipients per SIM",
  step(c) {
    const n = del(
      c,
      `DELETE FROM modem_recipients WHERE rowid IN (SELECT rowid FROM modem_recipients
         WHERE last_at <= @cutoff LIMIT @batch)`,
      c.policy.metadataMs,
    );
    return { handled: n, counts: { contact_routes_deleted: n } };
  },
};

export const stickyRoutes: Job = {
  name: "sticky routes",
  step(c) {
    const n = del(
      c,
      "DELETE FROM sticky_routes WHERE rowid IN (SELECT rowid FROM sticky_routes WHERE last_at <= @cutoff LIMIT @batch)",
      c.policy.metadataMs,
    );
    return { handled: n, counts: { contact_routes_deleted: n } };
  },
};

/** Per-SIM daily part counts ("YYYY-MM-DD" in UTC); only today's is read. */
export const dailyCounters: Job = {
  name: "daily counters",
  step(c) {
    const day = new Date(c.now - c.policy.metadataMs).toISOString().slice(0, 10);
    const n = stmt(
      c.db,
      "DELETE FROM daily_counters WHERE rowid IN (SELECT rowid FROM daily_counters WHERE day < @day LIMIT @batch)",
    ).run({ day, batch: c.policy.batchSize }).changes;
    return { handled: n, counts: { daily_counters_deleted: n } };
  },
};

/** Flags an agent has resolved; open ones stay until someone acts on them. */
export const resolvedFlags: Job = {
  name: "resolved agent flags",
  step(c) {
    const n = del(
      c,
      `DELETE FROM agent_flags WHERE id IN (SELECT id FROM agent_flags
         WHERE resolved_at IS NOT NULL AND resolved_at <= @cutoff LIMIT @batch)`,
      c.policy.metadataMs,
    );
    return { handled: n, counts: { agent_flags_deleted: n } };
  },
};

/**
 * The timeline of conversation threads (migration 003): who replied, assigned, resolved, and the
 * context edits, which can name an order or a person. Metadata, same period as the messages; the
 * thread row itself (one per contact) stays with the contact.
 */
export const conversationEvents: Job = {
  name: "conversation events",
  needs: ["conversation_events"],
  step(c) {
    const n = del(
      c,
      `DELETE FROM conversation_events WHERE id IN (SELECT id FROM conversation_events
         WHERE at <= @cutoff ORDER BY at LIMIT @batch)`,
      c.policy.metadataMs,
    );
    return { handled: n, counts: { conversation_events_deleted: n } };
  },
};
