/**
 * Outbound rows: insertion (with idempotency key and concat reference), cancel, resend, expiry.
 * Leasing and outcomes live in lease.ts. Every function runs inside the caller's transaction.
 */
import { EngineError } from "../engine/errors.js";
import type { Category } from "../queue/config.js";
import { type PartStatus, recordTransition, refreshMessage, setPartStatus } from "./status.js";
import { stmt, type Tx } from "./tx.js";

export interface NewMessage {
  readonly to: string;
  readonly text: string;
  readonly category: Category;
  readonly coding: string;
  readonly priority: number;
  readonly sendAt: number | null;
  readonly validUntil: number | null;
  readonly statusReport: boolean;
  readonly modemPin: string | null;
  readonly idempotencyKey: string | null;
  readonly concatRef: number | null;
  /** Who set the category (migration 006); not part of the idempotency hash. */
  readonly categorySource: string | null;
  readonly parts: readonly { readonly pdu: string; readonly tpduLength: number }[];
}

/**
 * Tables whose rows belong to one outbound message, keyed by `message_id`, children before the
 * message row (parts reference it). Retention and GDPR erasure both delete messages through this one
 * list, so a table added here is removed by both.
 */
export const MESSAGE_CHILD_TABLES = [
  "status_reports",
  "message_events",
  "idempotency_keys",
  "compliance_exempt",
  "parts",
] as const;

export function insertMessage(tx: Tx, m: NewMessage): { id: string; status: PartStatus } {
  const id = tx.ids(tx.at);
  const scheduled = m.sendAt !== null && m.sendAt > tx.at;
  const status: PartStatus = scheduled ? "scheduled" : "queued";
  stmt(
    tx.db,
    `INSERT INTO messages (id, to_number, body, category, coding, priority, status, send_at, valid_until,
       status_report, modem_pin, concat_ref, idempotency_key, category_source, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    m.to,
    m.text,
    m.category,
    m.coding,
    m.priority,
    status,
    m.sendAt,
    m.validUntil,
    m.statusReport ? 1 : 0,
    m.modemPin,
    m.concatRef,
    m.idempotencyKey,
    m.categorySource,
    tx.at,
    tx.at,
  );
  const ins = stmt(
    tx.db,
    `INSERT INTO parts (message_id, seq, total, pdu, tpdu_length, status, priority, to_number, modem_pin,
       next_attempt_at, valid_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  m.parts.forEach((p, i) => {
    ins.run(
      id,
      i + 1,
      m.parts.length,
      p.pdu,
      p.tpduLength,
      status,
      m.priority,
      m.to,
      m.modemPin,
      scheduled ? m.sendAt : tx.at,
      m.validUntil,
    );
  });
  recordTransition(tx, {
    messageId: id,
    direction: "outbound",
    from: null,
    to: status,
    contact: m.to,
    modemId: null,
  });
  return { id, status };
}

/** Concatenation reference for a new multipart message to `contact` (8-bit, 23.040 §9.2.3.24.1). */
export function peekConcatRef(tx: Tx, contact: string): number {
  const r = stmt(tx.db, "SELECT next_ref FROM concat_refs WHERE contact = ?").get(contact) as
    | { next_ref: number }
    | undefined;
  return r?.next_ref ?? 0;
}

export function bumpConcatRef(tx: Tx, contact: string, used: number): void {
  stmt(
    tx.db,
    `INSERT INTO concat_refs (contact, next_ref) VALUES (?, ?)
     ON CONFLICT(contact) DO UPDATE SET next_ref = excluded.next_ref`,
  ).run(contact, (used + 1) % 256);
}

export function findIdempotent(tx: Tx, key: string): { requestHash: string; messageId: string } | undefined {
  const r = stmt(tx.db, "SELECT request_hash, message_id FROM idempotency_keys WHERE key = ?").get(key) as
    | { request_hash: string; message_id: string }
    | undefined;
  return r && { requestHash: r.request_hash, messageId: r.message_id };
}

export function saveIdempotent(tx: Tx, key: string, requestHash: string, messageId: string): void {
  stmt(
    tx.db,
    "INSERT INTO idempotency_keys (key, request_hash, message_id, created_at) VALUES (?, ?, ?, ?)",
  ).run(key, requestHash, messageId, tx.at);
}

interface PartRow {
  seq: number;
  status: PartStatus;
}

function partsOf(tx: Tx, id: string): PartRow[] {
  const parts = stmt(tx.db, "SELECT seq, status FROM parts WHERE message_id = ? ORDER BY seq").all(
    id,
  ) as PartRow[];
  if (parts.length === 0) throw new EngineError(`message ${id} not found`, "not_found", { id });
  return parts;
}

/** Cancels a message none of whose parts has been handed to a modem. */
export function cancelMessage(tx: Tx, id: string): PartStatus {
  const parts = partsOf(tx, id);
  if (!parts.every((p) => p.status === "queued" || p.status === "scheduled"))
    throw new EngineError(`message ${id} is already being sent`, "not_cancelable", { id });
  for (const p of parts) setPartStatus(tx, id, p.seq, p.status, "canceled");
  return refreshMessage(tx, id, "canceled by request");
}

/**
 * Puts the failed/unknown parts of a message back in the queue, on an operator's decision: this is
 * the only way an `unknown` part is ever sent again (architecture §0.10).
 */
export function resendMessage(tx: Tx, id: string): PartStatus {
  const parts = partsOf(tx, id);
  const again = parts.filter((p) => p.status === "unknown" || p.status === "failed");
  if (again.length === 0)
    throw new EngineError(`message ${id} has no failed or unknown part`, "not_resendable", { id });
  const anyReached = parts.some((p) => ["sent", "delivered", "undelivered"].includes(p.status));
  for (const p of again) {
    stmt(
      tx.db,
      `UPDATE parts SET attempts = 0, first_attempt_at = NULL, attempt_started = 0, next_attempt_at = ?,
         error_code = NULL, error_text = NULL, avoid_modem = NULL, valid_until = NULL WHERE message_id = ? AND seq = ?`,
    ).run(tx.at, id, p.seq);
    setPartStatus(tx, id, p.seq, p.status, "queued", "resend requested");
  }
  // The remaining parts of a multipart message must leave from the SIM that sent the others
  // (recipients reassemble by originator, 23.040 §9.2.3.24.1); otherwise routing starts afresh.
  if (!anyReached) {
    stmt(tx.db, "UPDATE parts SET modem_id = NULL WHERE message_id = ?").run(id);
    stmt(tx.db, "UPDATE messages SET modem_id = NULL, valid_until = NULL WHERE id = ?").run(id);
  }
  return refreshMessage(tx, id, "resend requested");
}

/** Expires the pending parts of a message whose `valid_until` passed. */
export function expireMessage(tx: Tx, id: string): PartStatus {
  for (const p of partsOf(tx, id))
    if (p.status === "queued" || p.status === "scheduled") setPartStatus(tx, id, p.seq, p.status, "expired");
  return refreshMessage(tx, id, "valid_until passed");
}

/** Message ids with pending parts past their validity (for the sweep). */
export function findExpired(tx: Tx, limit = 500): string[] {
  return (
    stmt(
      tx.db,
      `SELECT DISTINCT message_id FROM parts WHERE status IN ('queued','scheduled')
       AND valid_until IS NOT NULL AND valid_until <= ? LIMIT ?`,
    ).all(tx.at, limit) as { message_id: string }[]
  ).map((r) => r.message_id);
}
