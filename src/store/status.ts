/**
 * Status model and transitions. Every transition is a row in `message_events` (with the part's seq
 * for part-level changes), and every message-level transition also writes a webhook outbox row and
 * queues a `message.status` bus event, in the same transaction.
 */
import type { MessageStatus } from "../events.js";
import { stmt, type Tx, writeOutbox } from "./tx.js";

export type PartStatus = Exclude<MessageStatus, "received">;

/** Statuses in which a part still waits for the worker. */
export const PENDING: readonly PartStatus[] = ["queued", "scheduled"];

/**
 * The message's status is derived from its parts: delivered only when every part is; a failure of
 * any part is the message's failure; `unknown` (a part that may or may not have gone out) is shown
 * as such until an operator decides.
 */
export function aggregate(parts: readonly PartStatus[]): PartStatus {
  const has = (s: PartStatus) => parts.includes(s);
  const all = (s: PartStatus) => parts.length > 0 && parts.every((p) => p === s);
  if (all("canceled")) return "canceled";
  if (all("delivered")) return "delivered";
  if (has("failed")) return "failed";
  if (has("expired")) return "expired";
  if (has("unknown")) return "unknown";
  if (has("undelivered")) return "undelivered";
  if (has("sending")) return "sending";
  const done = parts.filter((p) => p === "sent" || p === "delivered").length;
  if (done === parts.length) return "sent";
  if (done > 0) return "sending";
  if (all("scheduled")) return "scheduled";
  return "queued";
}

export interface TransitionInfo {
  readonly messageId: string;
  readonly direction: "outbound" | "inbound";
  readonly from: MessageStatus | null;
  readonly to: MessageStatus;
  readonly contact: string;
  readonly modemId: string | null;
  readonly partSeq?: number;
  readonly detail?: string;
}

export function recordTransition(tx: Tx, t: TransitionInfo): void {
  stmt(
    tx.db,
    `INSERT INTO message_events (message_id, direction, part_seq, from_status, to_status, at, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(t.messageId, t.direction, t.partSeq ?? null, t.from, t.to, tx.at, t.detail ?? null);
  if (t.partSeq !== undefined) return;
  const event = {
    id: t.messageId,
    direction: t.direction,
    from: t.from,
    to: t.to,
    at: tx.at,
    contact: t.contact,
    modemId: t.modemId,
    ...(t.detail !== undefined ? { detail: t.detail } : {}),
  };
  writeOutbox(tx, "message.status", event, t.contact);
  tx.emit("message.status", event);
}

interface MsgRow {
  status: PartStatus;
  to_number: string;
  modem_id: string | null;
}

const MSG_SQL = "SELECT status, to_number, modem_id FROM messages WHERE id = ?";

function readMessage(tx: Tx, messageId: string): MsgRow {
  const m = stmt(tx.db, MSG_SQL).get(messageId) as MsgRow | undefined;
  if (!m) throw new Error(`message ${messageId} vanished inside its transaction`);
  return m;
}

function partStatuses(tx: Tx, messageId: string): PartStatus[] {
  return (
    stmt(tx.db, "SELECT status FROM parts WHERE message_id = ?").all(messageId) as { status: PartStatus }[]
  ).map((p) => p.status);
}

/** Recomputes the message status from its parts; records a transition when it changed. */
export function refreshMessage(tx: Tx, messageId: string, detail?: string): PartStatus {
  const m = readMessage(tx, messageId);
  return apply(tx, messageId, m, aggregate(partStatuses(tx, messageId)), m.modem_id, detail);
}

/**
 * `refreshMessage` after the send path changed one part of the message (`total` parts, the changed
 * one now `partStatus`). A message of one part has that status as its only input: its parts are not
 * read again (insertMessage writes `total` part rows and nothing deletes a single part). `routeTo`:
 * the lease routed the message to this modem, written with the status in one UPDATE when the message
 * has no modem yet (same row as `UPDATE messages SET modem_id = ? WHERE modem_id IS NULL`).
 */
export function refreshAfterPart(
  tx: Tx,
  messageId: string,
  total: number,
  partStatus: PartStatus,
  detail?: string,
  routeTo?: string,
): PartStatus {
  const m = readMessage(tx, messageId);
  const next = aggregate(total === 1 ? [partStatus] : partStatuses(tx, messageId));
  const modemId = routeTo !== undefined && m.modem_id === null ? routeTo : m.modem_id;
  return apply(tx, messageId, m, next, modemId, detail);
}

function apply(
  tx: Tx,
  messageId: string,
  m: MsgRow,
  next: PartStatus,
  modemId: string | null,
  detail: string | undefined,
): PartStatus {
  const routed = modemId !== m.modem_id;
  if (next !== m.status) {
    if (routed)
      stmt(tx.db, "UPDATE messages SET status = ?, modem_id = ?, updated_at = ? WHERE id = ?").run(
        next,
        modemId,
        tx.at,
        messageId,
      );
    else
      stmt(tx.db, "UPDATE messages SET status = ?, updated_at = ? WHERE id = ?").run(next, tx.at, messageId);
    recordTransition(tx, {
      messageId,
      direction: "outbound",
      from: m.status,
      to: next,
      contact: m.to_number,
      modemId,
      ...(detail !== undefined ? { detail } : {}),
    });
  } else if (routed)
    stmt(tx.db, "UPDATE messages SET modem_id = ?, updated_at = ? WHERE id = ?").run(
      modemId,
      tx.at,
      messageId,
    );
  return next;
}

/** Sets one part's status and records the part-level event. */
export function setPartStatus(
  tx: Tx,
  messageId: string,
  seq: number,
  from: PartStatus,
  to: PartStatus,
  detail?: string,
): void {
  stmt(tx.db, "UPDATE parts SET status = ? WHERE message_id = ? AND seq = ?").run(to, messageId, seq);
  recordPartTransition(tx, messageId, seq, from, to, detail);
}

/**
 * The part-level event of a status change the caller already wrote (in the UPDATE that also took
 * the lease or recorded the outcome: one statement per part fewer on the send path).
 */
export function recordPartTransition(
  tx: Tx,
  messageId: string,
  seq: number,
  from: PartStatus,
  to: PartStatus,
  detail?: string,
): void {
  recordTransition(tx, {
    messageId,
    direction: "outbound",
    from,
    to,
    contact: "",
    modemId: null,
    partSeq: seq,
    ...(detail !== undefined ? { detail } : {}),
  });
}
