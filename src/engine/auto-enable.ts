/**
 * Brings a modem that the failure window took out of rotation back in. The window only learns from
 * sends and a disabled modem gets none, so without this a transient fault (a SIM busy for seconds,
 * a network outage) kept the modem out until an operator noticed. After a cool-down the modem is
 * enabled again if it is ready then (a half-open try: should it keep failing, the window disables it
 * again after its minimum samples); the cool-down doubles at each automatic disable that follows
 * within an hour, so a modem that is really broken costs a few attempts an hour at most.
 *
 * The record of each modem is stored (auto-record.ts) by the caller, in the transaction that disables
 * or enables it; `restore` re-arms a stored cool-down after a restart.
 */
import type { Clock } from "../clock.js";
import type { AutoRecord } from "./auto-record.js";

const FIRST_MS = 5 * 60_000;
const MAX_MS = 60 * 60_000;
/** A modem that worked this long since its last re-enable starts the cool-down afresh. */
const FORGET_MS = 60 * 60_000;

export interface AutoEnableDeps {
  readonly clock: Clock;
  /** A modem not ready at the end of its cool-down is looked at again this much later. */
  readonly recheckMs: number;
  isReady(id: string): boolean;
  /** Enables `id` again and stores `record` (its retry time consumed) with it. */
  enable(id: string, record: AutoRecord): void;
}

interface Entry {
  record: AutoRecord;
  timer: { clear(): void } | null;
}

export class AutoEnable {
  readonly #entries = new Map<string, Entry>();
  constructor(private readonly d: AutoEnableDeps) {}

  /** The record to store for an automatic disable of `id` now; `disabled` arms it once committed. */
  next(id: string): AutoRecord {
    const now = this.d.clock.now();
    const prev = this.#entries.get(id)?.record;
    const strikes = prev && now - prev.lastAt < FORGET_MS ? prev.strikes + 1 : 1;
    return { strikes, lastAt: now, retryAt: now + Math.min(MAX_MS, FIRST_MS * 2 ** (strikes - 1)) };
  }

  /** The failure window disabled `id`, and `record` (from `next`) was stored with it. */
  disabled(id: string, record: AutoRecord = this.next(id)): void {
    this.restore(id, record);
  }

  /** Takes up a stored record: arms its cool-down if one is pending, else only remembers the strikes. */
  restore(id: string, record: AutoRecord): void {
    this.#entries.get(id)?.timer?.clear();
    const entry: Entry = { record, timer: null };
    this.#entries.set(id, entry);
    if (record.retryAt !== null) this.#arm(id, entry, record.retryAt - this.d.clock.now());
  }

  #arm(id: string, entry: Entry, ms: number): void {
    entry.timer = this.d.clock.setTimeout(
      () => {
        entry.timer = null;
        if (this.#entries.get(id) !== entry) return;
        if (!this.d.isReady(id)) return this.#arm(id, entry, this.d.recheckMs);
        entry.record = { strikes: entry.record.strikes, lastAt: this.d.clock.now(), retryAt: null };
        this.d.enable(id, entry.record);
      },
      Math.max(0, ms),
    );
  }

  /** An operator enabled or disabled `id`: their decision stands, nothing is scheduled for it. */
  forget(id: string): void {
    this.#entries.get(id)?.timer?.clear();
    this.#entries.delete(id);
  }

  stop(): void {
    for (const e of this.#entries.values()) e.timer?.clear();
  }
}
