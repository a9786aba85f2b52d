/**
 * Rows written straight into a migrated database, each at a chosen age, so that a retention run at
 * a fixed time has exact expectations. Column sets are those of migrations 001, 002 and 005.
 */
import type { Db } from "../../../src/store/db.js";

export const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const ago = (ms: number) => NOW - ms;

export interface OutboundSeed {
  readonly id: string;
  readonly status: string;
  readonly at: number;
  readonly to?: string;
  readonly statusReport?: boolean;
  /** Part statuses, default one part with the message's status. */
  readonly parts?: readonly string[];
}

export function outbound(db: Db, m: OutboundSeed): void {
  const to = m.to ?? "+33612345678";
  db.prepare(
    `INSERT INTO messages (id, to_number, body, category, coding, priority, status, status_report, created_at, updated_at)
     VALUES (?, ?, ?, 'transactional', 'gsm7', 0, ?, ?, ?, ?)`,
  ).run(m.id, to, `body of ${m.id}`, m.status, m.statusReport ? 1 : 0, m.at, m.at);
  (m.parts ?? [m.status]).forEach((status, i, all) => {
    db.prepare(
      `INSERT INTO parts (message_id, seq, total, pdu, tpdu_length, status, priority, to_number, next_attempt_at)
       VALUES (?, ?, ?, ?, 20, ?, 0, ?, ?)`,
    ).run(m.id, i + 1, all.length, `0011PDU${m.id}`, status, to, m.at);
  });
  db.prepare(
    "INSERT INTO message_events (message_id, direction, from_status, to_status, at) VALUES (?, 'outbound', NULL, 'queued', ?)",
  ).run(m.id, m.at);
}

export function inbound(db: Db, id: string, at: number, fragments = 0): void {
  db.prepare(
    `INSERT INTO inbound_messages (id, modem_id, from_number, text, coding, data_hex, parts_total, parts_received, received_at)
     VALUES (?, 'gsm0', '+33698765432', ?, 'gsm7', NULL, ?, ?, ?)`,
  ).run(id, `text of ${id}`, Math.max(1, fragments), Math.max(1, fragments), at);
  db.prepare(
    "INSERT INTO message_events (message_id, direction, from_status, to_status, at) VALUES (?, 'inbound', NULL, 'received', ?)",
  ).run(id, at);
  if (fragments === 0) return;
  const g = db
    .prepare(
      `INSERT INTO reassembly (modem_id, originator, ref, total, ref_bits, first_at, released_message_id)
       VALUES ('gsm0', '+33698765432', ?, ?, 8, ?, ?)`,
    )
    .run(Number.parseInt(id.replace(/\D/g, "") || "1", 10) % 256, fragments, at, id);
  for (let seq = 1; seq <= fragments; seq++)
    db.prepare(
      `INSERT INTO inbound_parts (group_id, seq, text, coding, pdu, received_at)
       VALUES (?, ?, ?, 'gsm7', ?, ?)`,
    ).run(g.lastInsertRowid, seq, `fragment ${seq} of ${id}`, `07PDU${id}${seq}`, at);
}

export function count(db: Db, sql: string, ...args: unknown[]): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${sql}`).get(...args) as { n: number }).n;
}
