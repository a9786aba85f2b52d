/** Modem rows: stable id (IMEI-based), identity, enabled flag with reason, counters. */
import type { ModemIdentity } from "../modem/types.js";
import { utcDay } from "./outcome.js";
import { stmt, type Tx } from "./tx.js";

export interface ModemRow {
  readonly id: string;
  readonly identity: ModemIdentity | null;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly sentCount: number;
  readonly failureCount: number;
  readonly receivedCount: number;
  readonly sentToday: number;
}

export function upsertModem(tx: Tx, id: string, identity: ModemIdentity | null): void {
  stmt(
    tx.db,
    `INSERT INTO modems (id, identity, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET identity = COALESCE(excluded.identity, identity), updated_at = excluded.updated_at`,
  ).run(id, identity ? JSON.stringify(identity) : null, tx.at, tx.at);
}

export function setModemEnabled(tx: Tx, id: string, enabled: boolean, reason: string | null): boolean {
  const r = stmt(tx.db, "SELECT enabled FROM modems WHERE id = ?").get(id) as { enabled: number } | undefined;
  if (!r || Boolean(r.enabled) === enabled) return false;
  stmt(tx.db, "UPDATE modems SET enabled = ?, disabled_reason = ?, updated_at = ? WHERE id = ?").run(
    enabled ? 1 : 0,
    enabled ? null : reason,
    tx.at,
    id,
  );
  return true;
}

interface Row {
  id: string;
  identity: string | null;
  enabled: number;
  disabled_reason: string | null;
  sent_count: number;
  failure_count: number;
  received_count: number;
  sent_today: number | null;
}

export function listModemRows(tx: Tx): ModemRow[] {
  const rows = stmt(
    tx.db,
    `SELECT m.*, d.parts AS sent_today FROM modems m
     LEFT JOIN daily_counters d ON d.modem_id = m.id AND d.day = ? ORDER BY m.id`,
  ).all(utcDay(tx.at)) as Row[];
  return rows.map((r) => ({
    id: r.id,
    identity: r.identity ? (JSON.parse(r.identity) as ModemIdentity) : null,
    enabled: r.enabled === 1,
    disabledReason: r.disabled_reason,
    sentCount: r.sent_count,
    failureCount: r.failure_count,
    receivedCount: r.received_count,
    sentToday: r.sent_today ?? 0,
  }));
}

/** Figures the send policy needs for one modem, read in one go. */
export function capUsage(
  tx: Tx,
  modemId: string,
  recipientSince: number,
): { today: number; globalToday: number; recipients: number } {
  const day = utcDay(tx.at);
  const today = stmt(tx.db, "SELECT parts FROM daily_counters WHERE modem_id = ? AND day = ?").get(
    modemId,
    day,
  ) as { parts: number } | undefined;
  // Parts in flight on other modems count too, or two workers could both take the last slot.
  const global = stmt(
    tx.db,
    `SELECT (SELECT COALESCE(SUM(parts), 0) FROM daily_counters WHERE day = ?)
          + (SELECT COUNT(*) FROM parts WHERE lease_owner IS NOT NULL) AS n`,
  ).get(day) as { n: number };
  const rec = stmt(
    tx.db,
    "SELECT COUNT(*) AS n FROM modem_recipients WHERE modem_id = ? AND last_at >= ?",
  ).get(modemId, recipientSince) as { n: number };
  return { today: today?.parts ?? 0, globalToday: global.n, recipients: rec.n };
}
