/**
 * The runner: bounded batches (one transaction each, the event loop runs in between), one run at a
 * time, a timer on the injected clock, a clean stop, and a failing job that does not stop the rest.
 */
import { Writable } from "node:stream";
import pino from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import type { Job } from "../../../src/retention/job.js";
import { JOBS } from "../../../src/retention/jobs.js";
import { RetentionRunner } from "../../../src/retention/runner.js";
import { type Db, openDb } from "../../../src/store/db.js";
import { ManualClock } from "../../helpers/engine-fakes.js";
import { DEFAULT_POLICY, runner } from "./helpers.js";
import { ago, count, DAY, HOUR, NOW } from "./seed.js";

let db: Db;
beforeEach(() => {
  db = openDb({ path: ":memory:" });
});

/** 1,200 delivered messages, 4 years old: each is eligible for deletion. */
function seedOld(n: number): void {
  const m = db.prepare(
    `INSERT INTO messages (id, to_number, body, category, coding, priority, status, status_report, created_at, updated_at)
     VALUES (?, '+33612345678', 'b', 'transactional', 'gsm7', 0, 'delivered', 0, ?, ?)`,
  );
  const p = db.prepare(
    `INSERT INTO parts (message_id, seq, total, pdu, tpdu_length, status, priority, to_number, next_attempt_at)
     VALUES (?, 1, 1, 'p', 10, 'delivered', 0, '+33612345678', 0)`,
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `m${String(i).padStart(5, "0")}`;
      m.run(id, ago(1500 * DAY), ago(1500 * DAY));
      p.run(id);
    }
  })();
}

const messagesOnly: readonly Job[] = JOBS.filter((j) => j.name === "outbound rows");

describe("batches", () => {
  it("a run over 1,200 eligible rows commits in several transactions of at most 500", async () => {
    seedOld(1200);
    const between: number[] = [];
    const r = new RetentionRunner({
      db,
      clock: new ManualClock(NOW),
      policy: DEFAULT_POLICY,
      intervalMs: HOUR,
      jobs: messagesOnly,
      // What another statement on the connection sees between two batches: committed progress.
      pause: async () => {
        between.push(count(db, "messages"));
      },
    });
    const report = await r.runOnce();
    expect(report.counts.messages_deleted).toBe(1200);
    expect(report.transactions).toBe(3);
    expect(between).toEqual([700, 200, 0]);
    expect(count(db, "parts")).toBe(0);
  });

  it("the full job list also works batch by batch (bodies, then rows)", async () => {
    seedOld(1200);
    const report = await runner(db, { batchSize: 500 }).runOnce();
    expect(report.counts.message_bodies_blanked).toBe(1200);
    expect(report.counts.messages_deleted).toBe(1200);
    // 3 + 3 for the two message jobs; one each for the 12 others whose tables exist (the webhook and
    // HTTP tables are made by those modules, absent from a bare database: their 3 jobs are skipped).
    expect(report.transactions).toBe(18);
    expect(report.failures).toEqual([]);
  });

  it("lets timers and I/O run between batches (the send loop is not starved)", async () => {
    seedOld(1200);
    let ticks = 0;
    const interval = setInterval(() => ticks++, 0);
    try {
      const r = new RetentionRunner({
        db,
        clock: new ManualClock(NOW),
        policy: { ...DEFAULT_POLICY, batchSize: 100 },
        intervalMs: HOUR,
        jobs: messagesOnly,
        pause: () => new Promise((resolve) => setTimeout(resolve, 1)),
      });
      await r.runOnce();
    } finally {
      clearInterval(interval);
    }
    expect(ticks).toBeGreaterThanOrEqual(6);
  });
});

describe("scheduling", () => {
  it("never runs two at once: a call during a run gets the same run", async () => {
    seedOld(10);
    const r = runner(db);
    const a = r.runOnce();
    const b = r.runOnce();
    expect(b).toBe(a);
    const report = await a;
    expect(report.counts.messages_deleted).toBe(10);
    expect(r.lastReport).toBe(report);
    // The next call is a new run, with nothing left to do.
    expect((await r.runOnce()).counts.messages_deleted).toBe(0);
  });

  it("start(): first run after the first delay, then every interval; stop(): no more runs", async () => {
    const clock = new ManualClock(NOW);
    const seen: number[] = [];
    const probe: Job = {
      name: "probe",
      step: (c) => {
        seen.push(c.now);
        return { handled: 0, counts: {} };
      },
    };
    const r = new RetentionRunner({
      db,
      clock,
      policy: DEFAULT_POLICY,
      intervalMs: HOUR,
      firstDelayMs: 60_000,
      jobs: [probe],
    });
    r.start();
    expect(r.scheduled).toBe(true);
    await clock.advance(59_000);
    expect(seen).toEqual([]);
    await clock.advance(1_000);
    expect(seen).toEqual([NOW + 60_000]);
    await clock.advance(HOUR);
    expect(seen).toEqual([NOW + 60_000, NOW + 60_000 + HOUR]);
    await r.stop();
    expect(r.scheduled).toBe(false);
    await clock.advance(5 * HOUR);
    expect(seen).toHaveLength(2);
  });

  it("stop() during a run ends it after the current batch", async () => {
    seedOld(1200);
    let stopped: Promise<void> | undefined;
    const r: RetentionRunner = new RetentionRunner({
      db,
      clock: new ManualClock(NOW),
      policy: DEFAULT_POLICY,
      intervalMs: HOUR,
      jobs: messagesOnly,
      pause: async () => {
        stopped ??= r.stop();
      },
    });
    const report = await r.runOnce();
    await stopped;
    expect(report.interrupted).toBe(true);
    expect(report.transactions).toBe(1);
    expect(count(db, "messages")).toBe(700);
  });

  it("a failing job is reported and the others still run", async () => {
    seedOld(3);
    const broken: Job = {
      name: "broken",
      step: () => {
        throw new Error("no such table: gone");
      },
    };
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const r = new RetentionRunner({
      db,
      clock: new ManualClock(NOW),
      policy: DEFAULT_POLICY,
      intervalMs: HOUR,
      jobs: [broken, ...messagesOnly],
      log: pino({ level: "info" }, sink),
    });
    const report = await r.runOnce();
    expect(report.failures).toEqual([{ job: "broken", error: "no such table: gone" }]);
    expect(report.counts.messages_deleted).toBe(3);
    const done = lines.find((l) => l.msg === "retention run done");
    expect(done?.counts).toMatchObject({ messages_deleted: 3 });
    expect(done?.failures).toBe(1);
  });

  it("a batch size that is not a positive integer is refused", () => {
    expect(() => runner(db, { batchSize: 0 })).toThrow(RangeError);
  });
});
