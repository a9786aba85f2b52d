/**
 * Discrete-event clock for the engine benchmark: time jumps to the next timer once the process has
 * nothing left to do (every pending promise and immediate settled), so a 3 s modem round trip costs
 * no wall time. Everything that waits (engine, AT channel, Modem, simulator) takes this Clock.
 */
import type { Clock } from "../src/clock.js";

interface Timer {
  readonly at: number;
  readonly id: number;
  readonly fn: () => void;
}

export class VirtualClock implements Clock {
  #timers: Timer[] = [];
  #cleared = new Set<number>();
  #id = 0;
  constructor(public t = Date.UTC(2026, 10, 26, 8, 0, 0)) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): { clear(): void } {
    const timer = { at: this.t + Math.max(0, ms), id: ++this.#id, fn };
    // Insert in order (stable for equal times): the queue stays sorted without re-sorting.
    let i = this.#timers.length;
    while (i > 0 && (this.#timers[i - 1]?.at ?? 0) > timer.at) i--;
    this.#timers.splice(i, 0, timer);
    return { clear: () => this.#cleared.add(timer.id) };
  }

  /** Runs until `done()` or until no timer is left before `limit` (virtual ms). */
  async run(done: () => boolean, limit: number): Promise<void> {
    for (;;) {
      await idle();
      if (done()) return;
      let next = this.#timers.shift();
      while (next && this.#cleared.delete(next.id)) next = this.#timers.shift();
      if (!next || next.at > limit) return;
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
  }
}

/** Lets every promise chain and immediate run; the in-memory transport hops through immediates. */
async function idle(rounds = 12): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
