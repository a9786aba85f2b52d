/** Read side for the HTTP layer and metrics: message detail, cursor-paginated lists, queue depth. */
import type { MessageStatus } from "../events.js";
import { stmt, type Tx } from "./tx.js";

export interface PartView {
  readonly seq: number;
  readonly status: string;
  readonly modemId: string | null;
  readonly mr: number | null;
  readonly attempts: number;
  readonly errorCode: string | null;
  readonly errorText: string | null;
  readonly sentAt: number | null;
  readonly deliveredAt: number | null;
  readonly nextAttemptAt: number | null;
}

export interface EventView {
  readonly partSeq: number | null;
  readonly from: string | null;
  readonly to: string;
  readonly at: number;
  readonly detail: string | null;
}

export interface MessageView {
  readonly id: string;
  readonly direction: "outbound" | "inbound";
  readonly status: MessageStatus;
  readonly contact: string;
  readonly text: string;
  readonly modemId: string | null;
  readonly createdAt: number;
  readonly category?: string;
  /** Who set the category (migration 006); null for messages recorded before it. */
  readonly categorySource?: string | null;
  readonly coding: string;
  readonly sendAt?: number | null;
  readonly validUntil?: number | null;
  readonly errorCode?: string | null;
  readonly partial?: boolean;
  readonly parts: readonly PartView[];
  readonly events: readonly EventView[];
}

export function getMessageView(tx: Tx, id: string): MessageView | undefined {
  const events = (
    stmt(
      tx.db,
      "SELECT part_seq, from_status, to_status, at, detail FROM message_events WHERE message_id = ? ORDER BY id",
    ).all(id) as {
      part_seq: number | null;
      from_status: string | null;
      to_status: string;
      at: number;
      detail: string | null;
    }[]
  ).map((e) => ({ partSeq: e.part_seq, from: e.from_status, to: e.to_status, at: e.at, detail: e.detail }));
  const m = stmt(tx.db, "SELECT * FROM messages WHERE id = ?").get(id) as Record<string, unknown> | undefined;
  if (m) {
    const parts = (
      stmt(tx.db, "SELECT * FROM parts WHERE message_id = ? ORDER BY seq").all(id) as Record<
        string,
        unknown
      >[]
    ).map(
      (p): PartView => ({
        seq: p.seq as number,
        status: p.status as string,
        modemId: p.modem_id as string | null,
        mr: p.mr as number | null,
        attempts: p.attempts as number,
        errorCode: p.error_code as string | null,
        errorText: p.error_text as string | null,
        sentAt: p.sent_at as number | null,
        deliveredAt: p.delivered_at as number | null,
        nextAttemptAt: ["queued", "scheduled"].includes(p.status as string)
          ? (p.next_attempt_at as number)
          : null,
      }),
    );
    return {
      id,
      direction: "outbound",
      status: m.status as MessageStatus,
      contact: m.to_number as string,
      text: m.body as string,
      modemId: m.modem_id as string | null,
      createdAt: m.created_at as number,
      category: m.category as string,
      categorySource: (m.category_source as string | null | undefined) ?? null,
      coding: m.coding as string,
      sendAt: m.send_at as number | null,
      validUntil: m.valid_until as number | null,
      errorCode: m.error_code as string | null,
      parts,
      events,
    };
  }
  const i = stmt(tx.db, "SELECT * FROM inbound_messages WHERE id = ?").get(id) as
    | Record<string, unknown>
    | undefined;
  if (!i) return undefined;
  return {
    id,
    direction: "inbound",
    status: "received",
    contact: i.from_number as string,
    text: i.text as string,
    modemId: i.modem_id as string,
    createdAt: i.received_at as number,
    coding: i.coding as string,
    partial: i.partial === 1,
    parts: [],
    events,
  };
}

export interface ListQuery {
  readonly direction?: "outbound" | "inbound";
  readonly status?: MessageStatus;
  readonly contact?: string;
  readonly modem?: string;
  /** created/received at ≥ from, < to (ms). */
  readonly from?: number;
  readonly to?: number;
  /** Opaque: the id of the last item of the previous page (ids sort by creation time). */
  readonly cursor?: string;
  /** [1…500], default 50. */
  readonly limit?: number;
}

export interface ListItem {
  readonly id: string;
  readonly direction: "outbound" | "inbound";
  readonly status: MessageStatus;
  readonly contact: string;
  readonly text: string;
  readonly modemId: string | null;
  readonly createdAt: number;
}

/** Newest first; `nextCursor` is null on the last page. */
export function listMessageViews(tx: Tx, q: ListQuery): { items: ListItem[]; nextCursor: string | null } {
  const limit = Math.max(1, Math.min(500, Math.trunc(q.limit ?? 50)));
  const sel = (dir: "outbound" | "inbound") => {
    const out = dir === "outbound";
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (cond: string, v: unknown) => {
      where.push(cond);
      args.push(v);
    };
    if (q.status) add("status = ?", q.status);
    if (q.contact) add(out ? "to_number = ?" : "from_number = ?", q.contact);
    if (q.modem) add("modem_id = ?", q.modem);
    if (q.from !== undefined) add(out ? "created_at >= ?" : "received_at >= ?", q.from);
    if (q.to !== undefined) add(out ? "created_at < ?" : "received_at < ?", q.to);
    if (q.cursor) add("id < ?", q.cursor);
    const sql = out
      ? "SELECT id, 'outbound' AS direction, status, to_number AS contact, body AS text, modem_id, created_at FROM messages"
      : "SELECT id, 'inbound' AS direction, status, from_number AS contact, text, modem_id, received_at AS created_at FROM inbound_messages";
    return { sql: `${sql}${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`, args };
  };
  const dirs: ("outbound" | "inbound")[] = q.direction
    ? [q.direction]
    : q.status === "received"
      ? ["inbound"]
      : ["outbound", "inbound"];
  const parts = dirs.map(sel);
  const sql = `SELECT * FROM (${parts.map((p) => p.sql).join(" UNION ALL ")}) ORDER BY id DESC LIMIT ?`;
  const rows = tx.db.prepare(sql).all(...parts.flatMap((p) => p.args), limit + 1) as {
    id: string;
    direction: "outbound" | "inbound";
    status: MessageStatus;
    contact: string;
    text: string;
    modem_id: string | null;
    created_at: number;
  }[];
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    direction: r.direction,
    status: r.status,
    contact: r.contact,
    text: r.text,
    modemId: r.modem_id,
    createdAt: r.created_at,
  }));
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export interface QueueStat {
  /** null: not yet routed to a modem. */
  readonly modemId: string | null;
  readonly depth: number;
  /** ms since the oldest pending part was created, 0 when empty. */
  readonly oldestAgeMs: number;
}

export function queueStats(tx: Tx): QueueStat[] {
  const rows = stmt(
    tx.db,
    `SELECT p.modem_id, COUNT(*) AS depth, MIN(m.created_at) AS oldest FROM parts p JOIN messages m ON m.id = p.message_id
     WHERE p.status IN ('queued','scheduled','sending') GROUP BY p.modem_id`,
  ).all() as { modem_id: string | null; depth: number; oldest: number | null }[];
  return rows.map((r) => ({
    modemId: r.modem_id,
    depth: r.depth,
    oldestAgeMs: r.oldest ? Math.max(0, tx.at - r.oldest) : 0,
  }));
}
