/**
 * Discrete-event clock for the fault matrix: virtual time jumps to the next timer only once the
 * process has gone quiet, so the recovery ladder's 15–30 s waits, the supervisor's 1→60 s backoff,
 * a 65 s +CMGS timeout and the engine's 30 s retry backoff cost no wall time.
 *
 * "Quiet" is stronger than in bench/engine-clock.ts: a fault scenario runs long chains (a dropped
 * line, a reopen, a re-init of twenty commands) and a timer fired while a reply is still hopping
 * through immediates would be a false timeout. So settling repeats rounds of immediates until a
 * whole round scheduled no new timer; every timer in the stack (simulator, AT channel, modem,
 * supervisor, engine) goes through this Clock, and the in-memory line hops by microtask/immediate.
 */
import type { Clock } from "../../src/clock.js";

interface Timer {
  readonly at: number;
  readonly id: number;
  readonly fn: () => void;
}

export class SimClock implements Clock {
  #timers: Timer[] = [];
  #cleared = new Set<number>();
  #id = 0;
  /** Timers scheduled so far: the activity counter that settling watches. */
  #scheduled = 0;
  fired = 0;

  constructor(public t = Date.UTC(2026, 10, 26, 8, 0, 0)) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): { clear(): void } {
    const timer = { at: this.t + Math.max(0, ms), id: ++this.#id, fn };
    this.#scheduled++;
    // Sorted insert, stable for equal times (FIFO like Node's timers).
    let i = this.#timers.length;
    while (i > 0 && (this.#timers[i - 1]?.at ?? 0) > timer.at) i--;
    this.#timers.splice(i, 0, timer);
    return { clear: () => this.#cleared.add(timer.id) };
  }

  /** Lets every promise chain and immediate run out: rounds of immediates until no new timer appears. */
  async settle(): Promise<void> {
    for (;;) {
      const before = this.#scheduled;
      for (let i = 0; i < 16; i++) await new Promise<void>((r) => setImmediate(r));
      if (this.#scheduled === before) return;
    }
  }

  /** Fires timers in order until `done()` holds or the next timer lies beyond `until` (virtual ms). */
  async runUntil(until: number, done: () => boolean = () => false): Promise<void> {
    for (;;) {
      await this.settle();
      if (done()) return;
      let next = this.#timers[0];
      while (next && this.#cleared.delete(next.id)) {
        this.#timers.shift();
        next = this.#timers[0];
      }
      if (!next || next.at > until) {
        this.t = Math.max(this.t, until);
        return;
      }
      this.#timers.shift();
      this.t = Math.max(this.t, next.at);
      this.fired++;
      next.fn();
    }
  }

  /** Advances by `ms` of virtual time, firing what falls due. */
  advance(ms: number): Promise<void> {
    return this.runUntil(this.t + ms);
  }
}
