/**
 * Deterministic test clock. Timers fire strictly in virtual-time order, one per macrotask turn, so
 * everything a fired timer sets off in microtasks (in-memory transport, simulator, channel) has run
 * and scheduled its own timers before the next one fires: a reply the simulator sends after 20 ms of
 * virtual latency always beats a 5 s command timeout, however loaded the machine is. Virtual time
 * may run at most `factor` times faster than the wall clock, so "wait a little" in a test still means
 * a bounded amount of modem time.
 */
import type { Clock } from "../../../src/clock.js";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  live: boolean;
}

export class VirtualClock implements Clock {
  #now: number;
  readonly #origin: number;
  readonly #realStart = Date.now();
  #seq = 0;
  #timers: Timer[] = [];
  #scheduled = false;

  constructor(
    readonly factor = 100,
    start = Date.UTC(2026, 0, 15, 9, 0, 0),
  ) {
    this.#now = start;
    this.#origin = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): { clear(): void } {
    const t: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, live: true };
    this.#timers.push(t);
    this.#schedule(0);
    return {
      clear: () => {
        t.live = false;
      },
    };
  }

  #schedule(realMs: number): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      this.#pump();
    };
    if (realMs <= 0) setImmediate(run);
    else setTimeout(run, realMs);
  }

  #pump(): void {
    this.#timers = this.#timers.filter((t) => t.live);
    let next: Timer | undefined;
    for (const t of this.#timers)
      if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t;
    if (!next) return;
    const allowed = this.#origin + (Date.now() - this.#realStart) * this.factor;
    if (next.at > this.#now && next.at > allowed) {
      this.#schedule(Math.ceil((next.at - allowed) / this.factor));
      return;
    }
    next.live = false;
    this.#now = Math.max(this.#now, next.at);
    next.fn();
    this.#schedule(0);
  }
}
