/**
 * Leasing and send outcomes. Ownership: only the worker of `modemId` leases for that modem, and
 * better-sqlite3 runs each call to completion, so a part is never leased twice.
 *
 * Crash safety (§7 of the engine brief): the durable `attempt_started` mark is committed right
 * before the PDU is handed to the modem. The send policy runs before the lease, so the lease and the
 * mark are one commit (one fsync fewer per part; nothing can happen between them that would give the
 * part back). At boot, a leased part without the mark never reached the modem and is queued again;
 * one with it may have been transmitted and becomes `unknown` — never resent automatically
 * (architecture §0.10, zwave-js mayRetrySerialAPICommand).
 */
import { enforceAtDispatch } from "../conversation/dispatch.js";
import type { PolicyConfig } from "../conversation/policy.js";
import {
  type PartStatus,
  recordPartTransition,
  refreshAfterPart,
  refreshMessage,
  setPartStatus,
} from "./status.js";
import { stmt, type Tx } from "./tx.js";

export interface LeaseRequest {
  readonly modemId: string;
  readonly owner: string;
  readonly leaseMs: number;
  /** Modems currently ready and enabled (sticky fallback and avoid-modem decisions). */
  readonly healthy: readonly string[];
  readonly stickySince: number;
  readonly stickyFallback: "move" | "wait";
  /** The SIM reached its distinct-recipient cap: only contacts it already serves may be leased. */
  readonly recipientCapReached: boolean;
  readonly recipientSince: number;
  /** Compliance policy re-checked before the lease; null: only opt-outs are enforced. */
  readonly compliance: PolicyConfig | null;
}

export interface LeasedPart {
  readonly messageId: string;
  readonly seq: number;
  readonly total: number;
  readonly pdu: string;
  readonly tpduLength: number;
  readonly to: string;
  readonly validUntil: number | null;
  /** Attempts before this one. */
  readonly attempts: number;
  readonly firstAttemptAt: number | null;
}

// Eligibility of a part for modem @m, in order: already routed to @m (multipart continuation); pinned
// to @m; otherwise unrouted and not pinned, with the sticky route pointing at @m, absent, stale, at
// the modem that just faulted on this part, or at a modem that is down when the fallback is "move".
// `avoid_modem` keeps an unpinned part away from the modem that faulted on it, unless no other modem
// is healthy (regression: a part sticky to the modem it must avoid was leasable by no modem).
// Parts past valid_until are left to the sweep, which expires them.
// ELIGIBLE and SERVED are shared with the read side (cap-holds.ts), which asks the same question
// of a part without leasing it: one eligibility, so a message never says it waits for a SIM that
// could not have taken it anyway.
export const ELIGIBLE = `p.status IN ('queued','scheduled') AND p.next_attempt_at <= @now
  AND (p.valid_until IS NULL OR p.valid_until > @now)
  AND (p.modem_id = @m OR (p.modem_id IS NULL AND (p.modem_pin = @m OR (p.modem_pin IS NULL
      AND (p.avoid_modem IS NULL OR p.avoid_modem <> @m OR @alone = 1)
      AND (s.modem_id IS NULL OR s.modem_id = @m OR s.last_at < @stickySince OR s.modem_id = p.avoid_modem
        OR (@move = 1 AND s.modem_id NOT IN (SELECT value FROM json_each(@healthy))))))))`;
/** The recipient is one of the contacts @m served within the distinct-recipient window. */
export const SERVED = `EXISTS (SELECT 1 FROM modem_recipients r
        WHERE r.modem_id = @m AND r.contact = p.to_number AND r.last_at >= @recipSince)`;
const LEASE_WHERE = `
WHERE ${ELIGIBLE}
  AND (@capped = 0 OR ${SERVED})
ORDER BY p.priority, p.message_id, p.seq
LIMIT 1`;

const leaseSql = (index: "parts_ready" | "parts_due") => `
SELECT p.message_id, p.seq, p.total, p.pdu, p.tpdu_length, p.to_number, p.valid_until, p.attempts,
       p.first_attempt_at, p.status, p.modem_id
FROM parts p INDEXED BY ${index} LEFT JOIN sticky_routes s ON s.contact = p.to_number${LEASE_WHERE}`;

// Two plans, one eligibility and one order (same WHERE, same ORDER BY). `parts_ready` walks the
// pending parts in lease order and stops at the first eligible one: cheap when many are due, but it
// filters next_attempt_at row by row, so behind parts scheduled for later it walked all of them
// (bench/lease-backlog.ts, 50,000 scheduled for tomorrow: 13 ms per idle poll). `parts_due` reads
// only the due range of next_attempt_at and sorts it: cheap while that range is small. INDEXED BY
// pins each plan (an error, not a silent full scan, if the index could not serve it).
const LEASE_BY_PRIORITY_SQL = leaseSql("parts_ready");
const LEASE_BY_DUE_SQL = leaseSql("parts_due");

/** Below this many due parts the due range is read and sorted; at or above it, the priority walk. */
const DUE_SORT_MAX = 64;
const DUE_COUNT_SQL = `SELECT COUNT(*) AS n FROM (SELECT 1 FROM parts INDEXED BY parts_due
  WHERE status IN ('queued','scheduled') AND next_attempt_at <= ? LIMIT ${DUE_SORT_MAX})`;

interface LeaseRow {
  message_id: string;
  seq: number;
  total: number;
  pdu: string;
  tpdu_length: number;
  to_number: string;
  valid_until: number | null;
  attempts: number;
  first_attempt_at: number | null;
  status: PartStatus;
  modem_id: string | null;
}

/**
 * Parts refused by the dispatch-time compliance re-check are skipped within one call: the check
 * cancels or defers them itself, so the next SELECT no longer returns them. Bounded so that one
 * call never scans a whole backlog of refused parts (the worker simply comes back).
 */
const MAX_REFUSED_PER_LEASE = 32;

export function leasePart(tx: Tx, r: LeaseRequest): LeasedPart | undefined {
  // A STOP (or a consent withdrawn) may arrive while a message waits in the queue: the recipient's
  // word wins over the queue, so the policy is re-checked here, in the transaction that takes the
  // lease and the attempt mark, before anything can reach the modem (ecosystem §4.3).
  const policy = r.compliance;
  for (let i = 0; i < MAX_REFUSED_PER_LEASE; i++) {
    const row = selectPart(tx, r);
    if (!row) return undefined;
    if (enforceAtDispatch(tx, { messageId: row.message_id, to: row.to_number }, policy))
      return lease(tx, r, row);
  }
  return undefined;
}

function selectPart(tx: Tx, r: LeaseRequest): LeaseRow | undefined {
  // At most DUE_SORT_MAX entries of `parts_due` read; none due is the idle worker's poll, answered here.
  const due = (stmt(tx.db, DUE_COUNT_SQL).get(tx.at) as { n: number }).n;
  if (due === 0) return undefined;
  const sql = due < DUE_SORT_MAX ? LEASE_BY_DUE_SQL : LEASE_BY_PRIORITY_SQL;
  return stmt(tx.db, sql).get({
    now: tx.at,
    m: r.modemId,
    stickySince: r.stickySince,
    move: r.stickyFallback === "move" ? 1 : 0,
    healthy: JSON.stringify(r.healthy),
    alone: r.healthy.some((h) => h !== r.modemId) ? 0 : 1,
    capped: r.recipientCapReached ? 1 : 0,
    recipSince: r.recipientSince,
  }) as LeaseRow | undefined;
}

/**
 * The parameters of ELIGIBLE for modem `r.modemId` at `now`, for the read side. selectPart writes the
 * same ones out: it runs once per part, and needs two more.
 */
export function eligibilityParams(
  now: number,
  r: Pick<LeaseRequest, "modemId" | "healthy" | "stickySince" | "stickyFallback">,
) {
  return {
    now,
    m: r.modemId,
    stickySince: r.stickySince,
    move: r.stickyFallback === "move" ? 1 : 0,
    healthy: JSON.stringify(r.healthy),
    alone: r.healthy.some((h) => h !== r.modemId) ? 0 : 1,
  };
}

const LEASE_SET = `status = 'sending', lease_owner = ?, lease_expires_at = ?, attempt_started = 1,
  attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?) WHERE message_id = ? AND seq = ?`;
const LEASE_SQL = `UPDATE parts SET ${LEASE_SET}`;
const LEASE_ROUTE_SQL = `UPDATE parts SET modem_id = ?, ${LEASE_SET}`;

function lease(tx: Tx, r: LeaseRequest, row: LeaseRow): LeasedPart {
  // All parts of a message leave from one SIM: the concat reference space is per originator.
  // A part already routed here (a multipart continuation) has nothing to route; the only part of a
  // one-part message is routed by the lease UPDATE itself. The message row takes its modem in
  // refreshAfterPart, with its status: one UPDATE of that row.
  const route = row.modem_id === null;
  if (route && row.total > 1)
    stmt(tx.db, "UPDATE parts SET modem_id = ? WHERE message_id = ? AND modem_id IS NULL").run(
      r.modemId,
      row.message_id,
    );
  // The lease, the attempt mark and the status in one statement.
  if (route && row.total === 1)
    stmt(tx.db, LEASE_ROUTE_SQL).run(r.modemId, r.owner, tx.at + r.leaseMs, tx.at, row.message_id, row.seq);
  else stmt(tx.db, LEASE_SQL).run(r.owner, tx.at + r.leaseMs, tx.at, row.message_id, row.seq);
  recordPartTransition(tx, row.message_id, row.seq, row.status, "sending", `modem ${r.modemId}`);
  refreshAfterPart(tx, row.message_id, row.total, "sending", undefined, route ? r.modemId : undefined);
  return {
    messageId: row.message_id,
    seq: row.seq,
    total: row.total,
    pdu: row.pdu,
    tpduLength: row.tpdu_length,
    to: row.to_number,
    validUntil: row.valid_until,
    attempts: row.attempts,
    firstAttemptAt: row.first_attempt_at,
  };
}

/**
 * Boot or sweep recovery of leases not held by `liveOwner` (a previous process) or past expiry.
 * Returns how many parts were requeued and how many became unknown.
 */
export function recoverLeases(tx: Tx, liveOwner: string): { requeued: number; unknown: number } {
  const rows = stmt(
    tx.db,
    `SELECT message_id, seq, attempt_started FROM parts WHERE lease_owner IS NOT NULL
     AND (lease_owner <> ? OR lease_expires_at <= ?)`,
  ).all(liveOwner, tx.at) as { message_id: string; seq: number; attempt_started: number }[];
  let requeued = 0;
  let unknown = 0;
  for (const r of rows) {
    if (r.attempt_started) {
      stmt(
        tx.db,
        `UPDATE parts SET lease_owner = NULL, lease_expires_at = NULL, error_code = 'interrupted',
           error_text = 'the gateway stopped while this part was being submitted' WHERE message_id = ? AND seq = ?`,
      ).run(r.message_id, r.seq);
      setPartStatus(tx, r.message_id, r.seq, "sending", "unknown", "interrupted during submission");
      unknown++;
    } else {
      stmt(
        tx.db,
        "UPDATE parts SET lease_owner = NULL, lease_expires_at = NULL WHERE message_id = ? AND seq = ?",
      ).run(r.message_id, r.seq);
      setPartStatus(tx, r.message_id, r.seq, "sending", "queued", "lease recovered before submission");
      requeued++;
    }
    refreshMessage(tx, r.message_id);
  }
  return { requeued, unknown };
}

/**
 * A modem went down or was disabled: its routed messages of which no part has been handed over yet
 * go back to general routing. Messages with a part already sent stay (same-originator rule).
 */
export function releaseModem(tx: Tx, modemId: string): number {
  return stmt(
    tx.db,
    `UPDATE parts SET modem_id = NULL WHERE modem_id = ? AND message_id IN (
       SELECT m.id FROM messages m WHERE m.modem_id = ? AND NOT EXISTS (
         SELECT 1 FROM parts q WHERE q.message_id = m.id AND (q.attempt_started = 1 OR q.status NOT IN ('queued','scheduled'))))`,
  ).run(modemId, modemId).changes > 0
    ? stmt(
        tx.db,
        `UPDATE messages SET modem_id = NULL WHERE modem_id = ? AND NOT EXISTS (
           SELECT 1 FROM parts q WHERE q.message_id = messages.id AND q.modem_id IS NOT NULL)`,
      ).run(modemId).changes
    : 0;
}

/** Reads the first entry of `parts_due` (migration 008) instead of every pending part. */
export const NEXT_DUE_SQL =
  "SELECT MIN(next_attempt_at) AS t FROM parts WHERE status IN ('queued','scheduled')";

/** Earliest `next_attempt_at` among pending parts, so an idle worker knows when to look again. */
export function nextDueAt(tx: Tx): number | null {
  const r = stmt(tx.db, NEXT_DUE_SQL).get() as { t: number | null };
  return r.t;
}
