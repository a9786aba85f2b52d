/**
 * Brings a modem that the failure window took out of rotation back in. The window only learns from
 * sends and a disabled modem gets none, so without this a transient fault (a SIM busy for seconds,
 * a network outage) kept the modem out until an operator noticed. After a cool-down the modem is
 * enabled again if it is ready then (a half-open try: should it keep failing, the window disables it
 * again after its minimum samples); the cool-down doubles at each automatic disable that follows
 * within an hour, so a modem that is really broken costs a few attempts an hour at most.
 */
import type { Clock } from "../clock.js";

const FIRST_MS = 5 * 60_000;
const MAX_MS = 60 * 60_000;
/** A modem that worked this long since its last re-enable starts the cool-down afresh. */
const FORGET_MS = 60 * 60_000;

export interface AutoEnableDeps {
  readonly clock: Clock;
  /** A modem not ready at the end of its cool-down is looked at again this much later. */
  readonly recheckMs: number;
  isReady(id: string): boolean;
  enable(id: string): void;
}

interface Entry {
  readonly strikes: number;
  at: number;
  timer: { clear(): void } | null;
}

export class AutoEnable {
  readonly #entries = new Map<string, Entry>();
  constructor(private readonly d: AutoEnableDeps) {}

  /** The failure window disabled `id` just now. */
  disabled(id: string): void {
    const now = this.d.clock.now();
    const prev = this.#entries.get(id);
    prev?.timer?.clear();
    const entry: Entry = {
      strikes: prev && now - prev.at < FORGET_MS ? prev.strikes + 1 : 1,
      at: now,
      timer: null,
    };
    this.#entries.set(id, entry);
    this.#arm(id, entry, Math.min(MAX_MS, FIRST_MS * 2 ** (entry.strikes - 1)));
  }

  #arm(id: string, entry: Entry, ms: number): void {
    entry.timer = this.d.clock.setTimeout(() => {
      entry.timer = null;
      if (this.#entries.get(id) !== entry) return;
      if (!this.d.isReady(id)) return this.#arm(id, entry, this.d.recheckMs);
      entry.at = this.d.clock.now();
      this.d.enable(id);
    }, ms);
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
