/**
 * Regression: an idle daemon woke every second for the webhook worker's outbox poll, though every
 * outbox commit wakes the worker and retries are scheduled at their due time (bench/idle.ts). The
 * worker runs on a clock that records each timer it asks for and fires them only when told, so the
 * delays it plans are what is asserted, not how long anything took.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../../src/clock.js";
import { MemoryOutbox } from "../../../src/webhooks/outbox-source.js";
import { generateWebhookSecret } from "../../../src/webhooks/signing.js";
import { WebhookStore } from "../../../src/webhooks/store.js";
import { DEFAULT_POLL_MS, type DeliveryOutcome, WebhookWorker } from "../../../src/webhooks/worker.js";

interface Timer {
  readonly ms: number;
  readonly fn: () => void;
  cleared: boolean;
}

function manualClock(start = 1_000_000) {
  let now = start;
  const timers: Timer[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout(fn, ms) {
      const t: Timer = { ms, fn, cleared: false };
      timers.push(t);
      return {
        clear() {
          t.cleared = true;
        },
      };
    },
  };
  /** The one live timer: advances the clock by its delay and fires it. */
  const fire = () => {
    const live = timers.filter((t) => !t.cleared);
    expect(live).toHaveLength(1);
    const t = live[0] as Timer;
    t.cleared = true;
    now += t.ms;
    t.fn();
    return t.ms;
  };
  const pending = () => timers.filter((t) => !t.cleared).map((t) => t.ms);
  return { clock, fire, pending };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function worker(status: number, outcomes: DeliveryOutcome[] = [], over: { outbox?: MemoryOutbox } = {}) {
  const c = manualClock();
  const outbox = over.outbox ?? new MemoryOutbox();
  const calls: string[] = [];
  const fakeFetch = (async (url: string | URL | Request) => {
    calls.push(String(url));
    return new Response(null, { status });
  }) as typeof fetch;
  const w = new WebhookWorker({
    store: new WebhookStore(new Database(":memory:")),
    outbox,
    clock: c.clock,
    endpoints: [
      {
        id: "crm",
        url: "http://127.0.0.1:9/hook",
        secret: generateWebhookSecret(),
        events: ["*"],
        timeoutMs: 1000,
        enabled: true,
      },
    ],
    retry: { delaysMs: [5_000], jitter: 0 },
    fetch: fakeFetch,
    onOutcome: (_ep, o) => outcomes.push(o),
  });
  return { ...c, w, outbox, calls };
}

describe("webhook worker idle schedule", () => {
  it("an idle worker with nothing to deliver sleeps the long poll, not one second", async () => {
    const { w, fire, pending } = worker(200);
    w.start();
    expect(fire()).toBe(0); // start-up tick
    await flush();
    expect(pending()).toEqual([DEFAULT_POLL_MS]);
    expect(DEFAULT_POLL_MS).toBeGreaterThanOrEqual(30_000);
    expect(fire()).toBe(DEFAULT_POLL_MS);
    expect(pending()).toEqual([DEFAULT_POLL_MS]);
    await w.stop();
  });

  it("a wake delivers a new row at once, and a failed attempt's retry is ticked at its due time", async () => {
    const outcomes: DeliveryOutcome[] = [];
    const { w, fire, pending, outbox, calls } = worker(500, outcomes);
    w.start();
    fire();
    outbox.append({ type: "message.received", contact: "A", data: {}, createdAt: 0 });
    w.wake();
    expect(pending()).toEqual([0]);
    fire();
    for (let i = 0; i < 20 && outcomes.length === 0; i++) await flush();
    expect(outcomes).toEqual(["retry"]);
    expect(calls).toHaveLength(1);
    // The attempt's end woke the worker; that tick plans the next one for the retry, 5 s later.
    expect(pending()).toEqual([0]);
    fire();
    expect(pending()).toEqual([5_000]);
    await w.stop();
  });

  it("a failed tick (database busy) is retried after one second, not after the long poll", async () => {
    const outbox = new MemoryOutbox();
    let failures = 1;
    const real = outbox.after.bind(outbox);
    outbox.after = (id, n) => {
      if (failures-- > 0) throw new Error("SQLITE_BUSY: database is locked");
      return real(id, n);
    };
    const { w, fire, pending } = worker(200, [], { outbox });
    w.start();
    fire();
    await flush();
    expect(pending()).toEqual([1_000]);
    fire();
    await flush();
    expect(pending()).toEqual([DEFAULT_POLL_MS]);
    await w.stop();
  });
});
