/** Modem rows: stable id (IMEI-based), identity, enabled flag with reason, counters. */
import type { ModemIdentity } from "../modem/types.js";
import type { CapLimits } from "../queue/policy.js";
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

/**
 * Figures the send policy needs for one modem, read in one go. Only the figures of the caps that are
 * set (> 0) are read; the others are reported as 0, which a cap of 0 never compares.
 */
export function capUsage(
  tx: Tx,
  modemId: string,
  recipientSince: number,
  caps: CapLimits,
): { today: number; globalToday: number; recipients: number } {
  let today = 0;
  let globalToday = 0;
  let recipients = 0;
  if (caps.daily > 0 || caps.global > 0) {
    const day = utcDay(tx.at);
    if (caps.daily > 0) {
      const r = stmt(tx.db, "SELECT parts FROM daily_counters WHERE modem_id = ? AND day = ?").get(
        modemId,
        day,
      ) as { parts: number } | undefined;
      today = r?.parts ?? 0;
    }
    // Parts in flight on other modems count too, or two workers could both take the last slot.
    if (caps.global > 0)
      globalToday = (
        stmt(
          tx.db,
          `SELECT (SELECT COALESCE(SUM(parts), 0) FROM daily_counters WHERE day = ?)
                + (SELECT COUNT(*) FROM parts WHERE lease_owner IS NOT NULL) AS n`,
        ).get(day) as { n: number }
      ).n;
  }
  if (caps.recipients > 0)
    recipients = (
      stmt(tx.db, "SELECT COUNT(*) AS n FROM modem_recipients WHERE modem_id = ? AND last_at >= ?").get(
        modemId,
        recipientSince,
      ) as { n: number }
    ).n;
  return { today, globalToday, recipients };
}
