/**
 * The messages part of a contact export (gdpr.ts): both directions, with what the gateway recorded
 * about each (parts, modem, status history, delivery reports), and fragments of long messages still
 * waiting for their other parts. Times are ISO 8601 (art. 20: a commonly used, machine-readable format).
 */
import type { Db } from "../store/db.js";
import { stmt } from "../store/tx.js";

export const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

const json = (ids: readonly string[]) => JSON.stringify(ids);

interface EventRow {
  message_id: string;
  part_seq: number | null;
  from_status: string | null;
  to_status: string;
  at: number;
  detail: string | null;
}

function eventsOf(db: Db, ids: readonly string[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const rows = stmt(
    db,
    `SELECT message_id, part_seq, from_status, to_status, at, detail FROM message_events
     WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(json(ids)) as EventRow[];
  for (const e of rows) {
    const list = out.get(e.message_id) ?? [];
    list.push({ part: e.part_seq, from: e.from_status, to: e.to_status, at: iso(e.at), detail: e.detail });
    out.set(e.message_id, list);
  }
  return out;
}

interface OutRow {
  id: string;
  body: string;
  category: string;
  coding: string;
  status: string;
  modem_id: string | null;
  send_at: number | null;
  valid_until: number | null;
  created_at: number;
  updated_at: number;
}

interface PartRow {
  message_id: string;
  seq: number;
  status: string;
  modem_id: string | null;
  mr: number | null;
  attempts: number;
  sent_at: number | null;
  delivered_at: number | null;
  error_code: string | null;
  error_text: string | null;
}

interface ReportRow {
  message_id: string;
  part_seq: number | null;
  status: number;
  status_class: string;
  discharge_time: string | null;
  received_at: number;
}

export function outboundOf(db: Db, e164: string): unknown[] {
  const msgs = stmt(
    db,
    `SELECT id, body, category, coding, status, modem_id, send_at, valid_until, created_at, updated_at
     FROM messages WHERE to_number = ? ORDER BY id`,
  ).all(e164) as OutRow[];
  const ids = msgs.map((m) => m.id);
  const events = eventsOf(db, ids);
  const parts = stmt(
    db,
    `SELECT message_id, seq, status, modem_id, mr, attempts, sent_at, delivered_at, error_code, error_text
     FROM parts WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, seq`,
  ).all(json(ids)) as PartRow[];
  const reports = stmt(
    db,
    `SELECT message_id, part_seq, status, status_class, discharge_time, received_at FROM status_reports
     WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(json(ids)) as ReportRow[];
  return msgs.map((m) => ({
    id: m.id,
    text: m.body,
    category: m.category,
    coding: m.coding,
    status: m.status,
    modem: m.modem_id,
    sendAt: iso(m.send_at),
    validUntil: iso(m.valid_until),
    createdAt: iso(m.created_at),
    updatedAt: iso(m.updated_at),
    parts: parts
      .filter((p) => p.message_id === m.id)
      .map((p) => ({
        seq: p.seq,
        status: p.status,
        modem: p.modem_id,
        mr: p.mr,
        attempts: p.attempts,
        sentAt: iso(p.sent_at),
        deliveredAt: iso(p.delivered_at),
        error: p.error_code === null ? null : { code: p.error_code, text: p.error_text },
      })),
    deliveryReports: reports
      .filter((r) => r.message_id === m.id)
      .map((r) => ({
        part: r.part_seq,
        status: r.status,
        statusClass: r.status_class,
        dischargeTime: r.discharge_time,
        receivedAt: iso(r.received_at),
      })),
    events: events.get(m.id) ?? [],
  }));
}

interface InRow {
  id: string;
  modem_id: string;
  text: string;
  coding: string;
  scts: string | null;
  partial: number;
  parts_total: number;
  parts_received: number;
  received_at: number;
}

export function inboundOf(db: Db, e164: string): unknown[] {
  const msgs = stmt(
    db,
    `SELECT id, modem_id, text, coding, scts, partial, parts_total, parts_received, received_at
     FROM inbound_messages WHERE from_number = ? ORDER BY id`,
  ).all(e164) as InRow[];
  const events = eventsOf(
    db,
    msgs.map((m) => m.id),
  );
  return msgs.map((m) => ({
    id: m.id,
    text: m.text,
    coding: m.coding,
    modem: m.modem_id,
    sentAt: m.scts,
    partial: m.partial === 1,
    parts: { total: m.parts_total, received: m.parts_received },
    receivedAt: iso(m.received_at),
    events: events.get(m.id) ?? [],
  }));
}

/** Parts of long messages not yet released (the others have not arrived). */
export function pendingFragmentsOf(db: Db, e164: string): unknown[] {
  const groups = stmt(
    db,
    "SELECT id, modem_id, total, first_at FROM reassembly WHERE originator = ? AND released_message_id IS NULL ORDER BY id",
  ).all(e164) as { id: number; modem_id: string; total: number; first_at: number }[];
  return groups.map((g) => ({
    modem: g.modem_id,
    total: g.total,
    firstAt: iso(g.first_at),
    parts: (
      stmt(db, "SELECT seq, text, received_at FROM inbound_parts WHERE group_id = ? ORDER BY seq").all(
        g.id,
      ) as {
        seq: number;
        text: string | null;
        received_at: number;
      }[]
    ).map((p) => ({ seq: p.seq, text: p.text, receivedAt: iso(p.received_at) })),
  }));
}
