/**
 * The automatic-disable record of a modem in the `modems` row (migration 007), so that a cool-down
 * outlives the process: the engine re-arms it at start from the stored retry time.
 */
import { stmt, type Tx } from "../store/tx.js";

export interface AutoRecord {
  /** Automatic disables in a row; the cool-down doubles with each. */
  readonly strikes: number;
  /** The last automatic disable or re-enable (ms since epoch). */
  readonly lastAt: number;
  /** When the modem may be tried again; null once it was (or while nothing is pending). */
  readonly retryAt: number | null;
}

export function saveAutoRecord(tx: Tx, id: string, r: AutoRecord | null): void {
  stmt(tx.db, "UPDATE modems SET auto_strikes = ?, auto_last_at = ?, auto_retry_at = ? WHERE id = ?").run(
    r?.strikes ?? null,
    r?.lastAt ?? null,
    r?.retryAt ?? null,
    id,
  );
}

interface Row {
  id: string;
  enabled: number;
  auto_strikes: number;
  auto_last_at: number;
  auto_retry_at: number | null;
}

/**
 * Every stored record. One whose modem is enabled again keeps its strikes (a modem failing soon after
 * its re-enable waits longer) but no retry time: only a disabled modem has a cool-down to resume.
 */
export function loadAutoRecords(tx: Tx): Map<string, AutoRecord> {
  const rows = stmt(
    tx.db,
    "SELECT id, enabled, auto_strikes, auto_last_at, auto_retry_at FROM modems WHERE auto_strikes IS NOT NULL",
  ).all() as Row[];
  return new Map(
    rows.map((r) => [
      r.id,
      { strikes: r.auto_strikes, lastAt: r.auto_last_at, retryAt: r.enabled === 1 ? null : r.auto_retry_at },
    ]),
  );
}
