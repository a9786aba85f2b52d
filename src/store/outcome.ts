/**
 * Records what `sendPart` answered, in one transaction with the counters that the send policy reads
 * (daily parts, distinct recipients) and the sticky route.
 */
import type { SendOutcome } from "../modem/types.js";
import { recordPartTransition, refreshAfterPart, setPartStatus } from "./status.js";
import { stmt, type Tx } from "./tx.js";

export type OutcomeDecision =
  | { readonly kind: "sent"; readonly mr: number }
  | { readonly kind: "unknown"; readonly code: string; readonly text: string }
  | { readonly kind: "failed"; readonly code: string; readonly text: string }
  /** Back to the queue at `retryAt`; `avoidModem` when the modem itself faulted. */
  | {
      readonly kind: "retry";
      readonly code: string;
      readonly text: string;
      readonly retryAt: number;
      readonly releaseRouting: boolean;
    };

const DAY_MS = 86_400_000;
let dayStart = 0;
let dayEnd = 0;
let dayText = "";

/**
 * The UTC day of `ms` as YYYY-MM-DD (the daily counters' key). A UTC day is exactly 86,400,000 ms
 * in ECMAScript time (ECMA-262 §21.4.1.3: no leap seconds), so the last day's text is reused while
 * `ms` stays in it: no Date and ISO string per part.
 */
export function utcDay(ms: number): string {
  if (ms >= dayStart && ms < dayEnd) return dayText;
  dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
  dayEnd = dayStart + DAY_MS;
  dayText = new Date(dayStart).toISOString().slice(0, 10);
  return dayText;
}

function clearLease(tx: Tx, messageId: string, seq: number, code: string | null, text: string | null): void {
  stmt(
    tx.db,
    `UPDATE parts SET lease_owner = NULL, lease_expires_at = NULL, error_code = ?, error_text = ?
     WHERE message_id = ? AND seq = ?`,
  ).run(code, text, messageId, seq);
}

/** Counts a part that may have reached the network against the SIM's caps and refreshes stickiness. */
function countSubmission(tx: Tx, modemId: string, to: string): void {
  stmt(
    tx.db,
    `INSERT INTO daily_counters (modem_id, day, parts) VALUES (?, ?, 1)
     ON CONFLICT(modem_id, day) DO UPDATE SET parts = parts + 1`,
  ).run(modemId, utcDay(tx.at));
  stmt(
    tx.db,
    `INSERT INTO modem_recipients (modem_id, contact, last_at) VALUES (?, ?, ?)
     ON CONFLICT(modem_id, contact) DO UPDATE SET last_at = excluded.last_at`,
  ).run(modemId, to, tx.at);
  touchSticky(tx, to, modemId);
}

export function touchSticky(tx: Tx, contact: string, modemId: string): void {
  stmt(
    tx.db,
    `INSERT INTO sticky_routes (contact, modem_id, last_at) VALUES (?, ?, ?)
     ON CONFLICT(contact) DO UPDATE SET modem_id = excluded.modem_id, last_at = excluded.last_at`,
  ).run(contact, modemId, tx.at);
}

export function recordOutcome(
  tx: Tx,
  p: {
    readonly messageId: string;
    readonly seq: number;
    /** The message's number of parts. */
    readonly total: number;
    readonly to: string;
    readonly modemId: string;
  },
  d: OutcomeDecision,
  raw: SendOutcome,
): void {
  const { messageId, seq } = p;
  switch (d.kind) {
    case "sent":
      // Lease cleared, reference and status recorded in one statement (the hot path: every part).
      stmt(
        tx.db,
        `UPDATE parts SET status = 'sent', lease_owner = NULL, lease_expires_at = NULL, error_code = NULL,
           error_text = NULL, mr = ?, sent_at = ? WHERE message_id = ? AND seq = ?`,
      ).run(d.mr, tx.at, messageId, seq);
      stmt(tx.db, "UPDATE modems SET sent_count = sent_count + 1, updated_at = ? WHERE id = ?").run(
        tx.at,
        p.modemId,
      );
      countSubmission(tx, p.modemId, p.to);
      recordPartTransition(tx, messageId, seq, "sending", "sent", `mr ${d.mr}`);
      break;
    case "unknown":
      clearLease(tx, messageId, seq, d.code, d.text);
      countSubmission(tx, p.modemId, p.to);
      stmt(tx.db, "UPDATE modems SET failure_count = failure_count + 1, updated_at = ? WHERE id = ?").run(
        tx.at,
        p.modemId,
      );
      setPartStatus(tx, messageId, seq, "sending", "unknown", d.text);
      break;
    case "failed": {
      clearLease(tx, messageId, seq, d.code, d.text);
      setPartStatus(tx, messageId, seq, "sending", "failed", d.text);
      // The other parts of a message that cannot be completed are not worth sending.
      const rest = stmt(
        tx.db,
        "SELECT seq, status FROM parts WHERE message_id = ? AND status IN ('queued','scheduled')",
      ).all(messageId) as { seq: number; status: "queued" | "scheduled" }[];
      for (const r of rest) {
        stmt(tx.db, "UPDATE parts SET error_code = 'sibling_failed' WHERE message_id = ? AND seq = ?").run(
          messageId,
          r.seq,
        );
        setPartStatus(tx, messageId, r.seq, r.status, "failed", `part ${seq} failed`);
      }
      stmt(tx.db, "UPDATE messages SET error_code = ? WHERE id = ?").run(d.code, messageId);
      break;
    }
    case "retry":
      clearLease(tx, messageId, seq, d.code, d.text);
      stmt(
        tx.db,
        "UPDATE parts SET next_attempt_at = ?, attempt_started = 0, avoid_modem = ? WHERE message_id = ? AND seq = ?",
      ).run(d.retryAt, d.releaseRouting ? p.modemId : null, messageId, seq);
      setPartStatus(tx, messageId, seq, "sending", "queued", `${raw.kind}: ${d.text}`);
      if (d.releaseRouting) {
        stmt(tx.db, "UPDATE modems SET failure_count = failure_count + 1, updated_at = ? WHERE id = ?").run(
          tx.at,
          p.modemId,
        );
        // Unroute the message unless another part already left from this SIM (same-originator rule).
        const reached = stmt(
          tx.db,
          "SELECT 1 FROM parts WHERE message_id = ? AND (attempt_started = 1 OR status NOT IN ('queued','scheduled'))",
        ).get(messageId);
        if (!reached) {
          stmt(tx.db, "UPDATE parts SET modem_id = NULL WHERE message_id = ?").run(messageId);
          stmt(tx.db, "UPDATE messages SET modem_id = NULL WHERE id = ?").run(messageId);
        }
      }
      break;
  }
  const detail = d.kind === "sent" ? undefined : d.text;
  refreshAfterPart(tx, messageId, p.total, PART_STATUS[d.kind], detail);
}

/** The status each decision leaves the recorded part in (the UPDATEs above). */
const PART_STATUS = { sent: "sent", unknown: "unknown", failed: "failed", retry: "queued" } as const;
