/**
 * Read side of the send caps: which caps a SIM has reached, until when, and whether they hold back
 * parts that are due. Computed when the API, /health or /metrics asks, from the tables the send path
 * already keeps (daily_counters, modem_recipients, parts): the send loop writes nothing for it.
 */
import { type CapLimits, nextUtcMidnight } from "../queue/policy.js";
import { ELIGIBLE, eligibilityParams, type LeaseRequest, SERVED } from "./lease.js";
import { capUsage } from "./modems.js";
import { stmt, type Tx } from "./tx.js";

/** A cap, by the name the API, /health and /metrics give it. */
export type CapName = "daily-cap" | "global-daily-cap" | "distinct-recipients-cap";

export interface CapState {
  readonly cap: CapName;
  /** The configured limit (parts per UTC day, or distinct recipients over the window). */
  readonly limit: number;
  /** Parts counted today, or distinct recipients counted in the window, now. */
  readonly used: number;
  readonly reached: boolean;
  /**
   * When reached: the earliest time the cap frees a slot if nothing else is sent: the next UTC
   * midnight for the daily caps, the moment the oldest counted recipient leaves the window for the
   * distinct-recipient cap. null when not reached.
   */
  readonly until: number | null;
}

/** Eligibility inputs of one modem, as the worker would pass them to the lease. */
export type Routing = Pick<LeaseRequest, "healthy" | "stickySince" | "stickyFallback">;

/** The state of every cap set on `modemId` (a cap of 0 is none and is not listed). */
export function capStates(tx: Tx, modemId: string, caps: CapLimits, windowMs: number): CapState[] {
  const since = tx.at - windowMs;
  const u = capUsage(tx, modemId, since, caps);
  const midnight = nextUtcMidnight(tx.at);
  const out: CapState[] = [];
  const add = (cap: CapName, limit: number, used: number, until: () => number | null) => {
    if (limit <= 0) return;
    const reached = used >= limit;
    out.push({ cap, limit, used, reached, until: reached ? until() : null });
  };
  add("daily-cap", caps.daily, u.today, () => midnight);
  add("global-daily-cap", caps.global, u.globalToday, () => midnight);
  add("distinct-recipients-cap", caps.recipients, u.recipients, () => {
    // The count drops below the limit once (used - limit + 1) recipients have left the window: the
    // one at that rank, oldest first, leaves it 1 ms after last_at + window.
    const r = stmt(
      tx.db,
      `SELECT last_at FROM modem_recipients WHERE modem_id = ? AND last_at >= ?
       ORDER BY last_at LIMIT 1 OFFSET ?`,
    ).get(modemId, since, u.recipients - caps.recipients) as { last_at: number } | undefined;
    return r ? r.last_at + windowMs + 1 : null;
  });
  return out;
}

/** The cap that holds `modemId` back for a part to `to` (null: none does). */
export function capHolding(
  tx: Tx,
  modemId: string,
  states: readonly CapState[],
  to: string,
  recipientSince: number,
): CapState | null {
  for (const s of states) {
    if (!s.reached) continue;
    if (s.cap !== "distinct-recipients-cap") return s;
    // A SIM at its distinct-recipient cap still serves the contacts it has (lease.ts SERVED).
    const served = stmt(
      tx.db,
      "SELECT 1 FROM modem_recipients WHERE modem_id = ? AND contact = ? AND last_at >= ?",
    ).get(modemId, to, recipientSince);
    if (!served) return s;
  }
  return null;
}

const CAN_TAKE_SQL = `SELECT 1 FROM parts p LEFT JOIN sticky_routes s ON s.contact = p.to_number
WHERE p.message_id = @id AND p.seq = @seq AND p.lease_owner IS NULL AND ${ELIGIBLE}`;

/** Whether `modemId`'s worker, caps aside, would lease this part now (the lease's own eligibility). */
export function couldTake(tx: Tx, modemId: string, r: Routing, part: { id: string; seq: number }): boolean {
  return (
    stmt(tx.db, CAN_TAKE_SQL).get({ ...eligibilityParams(tx.at, { ...r, modemId }), ...part }) !== undefined
  );
}

// A due part the SIM would lease but for its cap. parts_due reads only the due range; LIMIT 1 stops
// at the first one, so a scrape does not walk the whole backlog when parts wait.
const HELD_SQL = (newOnly: boolean) => `SELECT 1 FROM parts p INDEXED BY parts_due
LEFT JOIN sticky_routes s ON s.contact = p.to_number
WHERE ${ELIGIBLE}${newOnly ? ` AND NOT ${SERVED}` : ""} LIMIT 1`;
const HELD_ANY_SQL = HELD_SQL(false);
const HELD_NEW_SQL = HELD_SQL(true);

/**
 * Whether the reached cap `s` holds back a due part `modemId` would otherwise take: any such part
 * for a daily cap, one to a recipient the SIM does not serve yet for the distinct-recipient cap.
 */
export function capHoldsParts(
  tx: Tx,
  modemId: string,
  r: Routing,
  s: CapState,
  recipientSince: number,
): boolean {
  if (!s.reached) return false;
  const sql = s.cap === "distinct-recipients-cap" ? HELD_NEW_SQL : HELD_ANY_SQL;
  const params = { ...eligibilityParams(tx.at, { ...r, modemId }), recipSince: recipientSince };
  return stmt(tx.db, sql).get(params) !== undefined;
}

/** The first part of message `id` that is due and not leased (the one a worker would take next). */
export function nextDuePart(tx: Tx, id: string): { seq: number; to: string } | undefined {
  const r = stmt(
    tx.db,
    `SELECT seq, to_number FROM parts WHERE message_id = ? AND status IN ('queued','scheduled')
       AND next_attempt_at <= ? AND lease_owner IS NULL AND (valid_until IS NULL OR valid_until > ?)
     ORDER BY seq LIMIT 1`,
  ).get(id, tx.at, tx.at) as { seq: number; to_number: string } | undefined;
  return r && { seq: r.seq, to: r.to_number };
}
