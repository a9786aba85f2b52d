/**
 * Jobs on messages. Outbound ages run from the last status change (`updated_at`), inbound from the
 * reception. A message that is not final (FINAL_MESSAGE) is never touched: its body is still to be
 * sent, or an operator must still decide about it (`unknown`). Each step handles at most one batch of
 * messages; the tables deleted with a message are deleted in the same transaction, so a crash never
 * leaves a part without its message. The message scans name their age index (migration 005): left
 * to itself, SQLite without statistics prefers the status index, which reads every final message
 * and sorts them on each run.
 */
import { MESSAGE_CHILD_TABLES } from "../store/outbox.js";
import { stmt } from "../store/tx.js";
import type { Job, JobContext } from "./job.js";
import { FINAL_MESSAGE, REPORT_WAIT_MS } from "./policy.js";

type Ids = { id: string }[];

/** The scans that pick a batch of outbound messages (exported for the query-plan test). */
export const SCANS = {
  outboundBodies: `SELECT id FROM messages m INDEXED BY messages_body_age
    WHERE m.content_purged_at IS NULL AND m.updated_at <= @cutoff AND ${FINAL_MESSAGE}
    ORDER BY m.updated_at LIMIT @batch`,
  outboundRows: `SELECT id FROM messages m INDEXED BY messages_age
    WHERE m.updated_at <= @cutoff AND ${FINAL_MESSAGE} ORDER BY m.updated_at LIMIT @batch`,
};

const params = (c: JobContext, ageMs: number) => ({
  cutoff: c.now - ageMs,
  reportCutoff: c.now - REPORT_WAIT_MS,
  batch: c.policy.batchSize,
});

/** Bodies and PDUs blanked (the PDU holds the encoded text); the row keeps its metadata. */
export const outboundBodies: Job = {
  name: "outbound bodies",
  step(c) {
    const ids = stmt(c.db, SCANS.outboundBodies).all(params(c, c.policy.bodiesMs)) as Ids;
    for (const { id } of ids) {
      stmt(c.db, "UPDATE messages SET body = '', content_purged_at = ? WHERE id = ?").run(c.now, id);
      stmt(c.db, "UPDATE parts SET pdu = '' WHERE message_id = ?").run(id);
    }
    return { handled: ids.length, counts: { message_bodies_blanked: ids.length } };
  },
};

/** Text blanked, with the fragments it was reassembled from. Inbound messages are final on arrival. */
export const inboundBodies: Job = {
  name: "inbound bodies",
  step(c) {
    const ids = stmt(
      c.db,
      `SELECT id FROM inbound_messages WHERE content_purged_at IS NULL AND received_at <= @cutoff
       ORDER BY received_at LIMIT @batch`,
    ).all(params(c, c.policy.bodiesMs)) as Ids;
    for (const { id } of ids) {
      stmt(
        c.db,
        "UPDATE inbound_messages SET text = '', data_hex = NULL, content_purged_at = ? WHERE id = ?",
      ).run(c.now, id);
      stmt(
        c.db,
        `UPDATE inbound_parts SET text = NULL, data_hex = NULL, pdu = ''
         WHERE group_id IN (SELECT id FROM reassembly WHERE released_message_id = ?)`,
      ).run(id);
    }
    return { handled: ids.length, counts: { inbound_bodies_blanked: ids.length } };
  },
};

/** Undecodable PDUs kept for diagnosis: they are content, so they go with the bodies. */
export const quarantine: Job = {
  name: "quarantine",
  step(c) {
    const n = stmt(
      c.db,
      "DELETE FROM quarantine WHERE id IN (SELECT id FROM quarantine WHERE at <= @cutoff ORDER BY at LIMIT @batch)",
    ).run({ cutoff: c.now - c.policy.bodiesMs, batch: c.policy.batchSize }).changes;
    return { handled: n, counts: { quarantine_deleted: n } };
  },
};

export const outboundRows: Job = {
  name: "outbound rows",
  step(c) {
    const ids = stmt(c.db, SCANS.outboundRows).all(params(c, c.policy.metadataMs)) as Ids;
    const deleted: Record<string, number> = {};
    for (const { id } of ids) {
      for (const t of MESSAGE_CHILD_TABLES)
        deleted[t] = (deleted[t] ?? 0) + stmt(c.db, `DELETE FROM ${t} WHERE message_id = ?`).run(id).changes;
      stmt(c.db, "DELETE FROM messages WHERE id = ?").run(id);
    }
    return {
      handled: ids.length,
      counts: {
        messages_deleted: ids.length,
        message_parts_deleted: deleted.parts ?? 0,
        message_events_deleted: deleted.message_events ?? 0,
        status_reports_deleted: deleted.status_reports ?? 0,
        idempotency_keys_deleted: deleted.idempotency_keys ?? 0,
      },
    };
  },
};

export const inboundRows: Job = {
  name: "inbound rows",
  step(c) {
    const ids = stmt(
      c.db,
      "SELECT id FROM inbound_messages WHERE received_at <= @cutoff ORDER BY received_at LIMIT @batch",
    ).all(params(c, c.policy.metadataMs)) as Ids;
    let fragments = 0;
    let events = 0;
    for (const { id } of ids) {
      fragments += stmt(
        c.db,
        "DELETE FROM inbound_parts WHERE group_id IN (SELECT id FROM reassembly WHERE released_message_id = ?)",
      ).run(id).changes;
      stmt(c.db, "DELETE FROM reassembly WHERE released_message_id = ?").run(id);
      events += stmt(c.db, "DELETE FROM message_events WHERE message_id = ?").run(id).changes;
      stmt(c.db, "DELETE FROM inbound_messages WHERE id = ?").run(id);
    }
    return {
      handled: ids.length,
      counts: {
        inbound_deleted: ids.length,
        inbound_fragments_deleted: fragments,
        message_events_deleted: events,
      },
    };
  },
};

/** Reports that matched no message (or whose message an erasure removed): metadata, same period. */
export const strayReports: Job = {
  name: "unmatched delivery reports",
  step(c) {
    const n = stmt(
      c.db,
      `DELETE FROM status_reports WHERE id IN (
         SELECT r.id FROM status_reports r WHERE r.received_at <= @cutoff
           AND (r.message_id IS NULL OR NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = r.message_id))
         ORDER BY r.received_at LIMIT @batch)`,
    ).run({ cutoff: c.now - c.policy.metadataMs, batch: c.policy.batchSize }).changes;
    return { handled: n, counts: { status_reports_deleted: n } };
  },
};
