/**
 * Runs weeks of gateway time in seconds. The engine, its workers and its sweep take this Clock;
 * the driver moves it event by event:
 * - while some part is due now, it fires the workers' timers in order at their exact times (rate
 *   limit waits, polls), so a backlog drains as it would on the real clock;
 * - while nothing is due, it jumps straight to the next thing that can matter (a world event, the
 *   next part falling due, the next validUntil) and fires the timers that fell before it, late:
 *   a sleeping worker only polls (src/queue/worker.ts, at most every 5 s) and would find nothing.
 * World events are applied before the timers of the same instant: a STOP and a message due at the
 * same minute is the race in which the STOP must win.
 */
import type { Clock } from "../../src/clock.js";
import type { Db } from "../../src/store/db.js";

interface Timer {
  readonly at: number;
  readonly id: number;
  readonly fn: () => void;
}

export class CampaignClock implements Clock {
  #timers: Timer[] = [];
  #cleared = new Set<number>();
  #id = 0;
  constructor(public t: number) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): { clear(): void } {
    const timer = { at: this.t + Math.max(0, ms), id: ++this.#id, fn };
    let i = this.#timers.length;
    while (i > 0 && (this.#timers[i - 1]?.at ?? 0) > timer.at) i--;
    this.#timers.splice(i, 0, timer);
    return { clear: () => this.#cleared.add(timer.id) };
  }

  nextTimerAt(): number {
    while (this.#timers[0] && this.#cleared.has(this.#timers[0].id))
      this.#cleared.delete(this.#timers.shift()!.id);
    return this.#timers[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  /** Fires every timer due by now, in order (those scheduled while firing wait for the next call). */
  fireDue(): void {
    const due: Timer[] = [];
    while (this.nextTimerAt() <= this.t) due.push(this.#timers.shift()!);
    for (const d of due) if (!this.#cleared.delete(d.id)) d.fn();
  }
}

/** Lets promise chains and immediates run (the workers' loops, the ingest of a delivered PDU). */
export async function settle(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

export interface DriveStats {
  readonly steps: number;
  readonly jumps: number;
}

export async function drive<E extends { readonly at: number }>(o: {
  readonly clock: CampaignClock;
  readonly db: Db;
  readonly events: readonly E[];
  readonly apply: (e: E) => Promise<void> | void;
  /** Virtual time past which something is stuck. */
  readonly limit: number;
}): Promise<DriveStats> {
  const { clock, db, events } = o;
  let i = 0;
  let steps = 0;
  let jumps = 0;
  // The queued/scheduled condition is the one of the partial index parts_ready, so this reads the
  // pending parts only; parts being sent hold a lease (index parts_leased).
  const look = db.prepare(`SELECT
      MIN(CASE WHEN valid_until IS NULL OR valid_until > @now THEN next_attempt_at END) AS due,
      MIN(CASE WHEN valid_until > @now THEN valid_until END) AS expiry,
      COUNT(*) + (SELECT COUNT(*) FROM parts WHERE lease_owner IS NOT NULL) AS pending
    FROM parts WHERE status IN ('queued','scheduled')`);
  for (;;) {
    await settle();
    steps++;
    const now = clock.now();
    const nextEvent = events[i]?.at ?? Number.POSITIVE_INFINITY;
    const timer = clock.nextTimerAt();
    let next: number;
    // A timer less than a second away is a rate-limit wait during a backlog (an idle worker polls
    // after 1 s or more): fire it without scanning the queue.
    if (timer - now < 1000) next = Math.min(nextEvent, timer);
    else {
      const q = look.get({ now }) as { due: number | null; expiry: number | null; pending: number };
      if (i >= events.length && q.pending === 0) break;
      if (q.due !== null && q.due <= now) next = Math.min(nextEvent, timer);
      else {
        jumps++;
        next = Math.min(nextEvent, q.due ?? Number.POSITIVE_INFINITY, q.expiry ?? Number.POSITIVE_INFINITY);
        // Only parts past validUntil are left: the sweep (a timer) expires them.
        if (next === Number.POSITIVE_INFINITY) next = timer;
      }
    }
    if (!(next <= o.limit)) throw new Error(`campaign stuck at ${new Date(now).toISOString()}`);
    clock.t = Math.max(now, next);
    while (i < events.length && events[i]!.at <= clock.t) {
      await o.apply(events[i]!);
      i++;
    }
    clock.fireDue();
  }
  return { steps, jumps };
}
