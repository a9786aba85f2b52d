/**
 * Retention metrics: a run's report feeds `smsgw_retention_rows_total{kind}` and the last-run
 * gauges through the runner's `onReport`; every kind is exported at 0 before the first run; the
 * database size and its free pages are reported after each run.
 */
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/metrics/metrics.js";
import type { Job } from "../../../src/retention/job.js";
import { JOBS } from "../../../src/retention/jobs.js";
import { RetentionRunner } from "../../../src/retention/runner.js";
import { openDb } from "../../../src/store/db.js";
import { samples } from "../../helpers/prom-samples.js";
import { FakeHealth, FakeModems } from "../http/fakes.js";
import { DEFAULT_POLICY, fixedClock } from "./helpers.js";
import { ago, DAY, HOUR, NOW, outbound } from "./seed.js";

const metrics = () =>
  createMetrics({ modems: new FakeModems([]), health: new FakeHealth(), processMetrics: false });

describe("retention metrics", () => {
  it("every kind is exported at 0 and no run time before the first run", async () => {
    const s = samples(await metrics().render());
    expect(s.get('smsgw_retention_rows_total{kind="messages_deleted"}')).toBe(0);
    expect(s.get('smsgw_retention_rows_total{kind="contacts_erased"}')).toBe(0);
    expect(s.get("smsgw_retention_job_failures_total")).toBe(0);
    expect(s.get("smsgw_retention_last_run_timestamp_seconds")).toBe(0);
  });

  it("a run's counts add up across runs; a failing job counts and holds back the success time", async () => {
    const db = openDb({ path: ":memory:" });
    const m = metrics();
    const broken: Job = {
      name: "broken",
      step() {
        throw new Error("no such table: gone");
      },
    };
    let fail = false;
    const jobs = [
      ...JOBS.filter((j) => j.name === "outbound rows"),
      { ...broken, step: (c) => (fail ? broken.step(c) : { handled: 0, counts: {} }) } satisfies Job,
    ];
    let t = NOW;
    const runner = new RetentionRunner({
      db,
      clock: { ...fixedClock(), now: () => t },
      policy: DEFAULT_POLICY,
      intervalMs: HOUR,
      jobs,
      onReport: (r) => m.retentionRun(r),
    });
    for (const id of ["a", "b", "c"]) outbound(db, { id, status: "delivered", at: ago(1500 * DAY) });
    await runner.runOnce();
    outbound(db, { id: "d", status: "failed", at: ago(1500 * DAY) });
    fail = true;
    t = NOW + HOUR;
    await runner.runOnce();

    const s = samples(await m.render());
    expect(s.get('smsgw_retention_rows_total{kind="messages_deleted"}')).toBe(4);
    expect(s.get('smsgw_retention_rows_total{kind="message_parts_deleted"}')).toBe(4);
    expect(s.get("smsgw_retention_job_failures_total")).toBe(1);
    expect(s.get("smsgw_retention_last_run_timestamp_seconds")).toBe((NOW + HOUR) / 1000);
    expect(s.get("smsgw_retention_last_success_timestamp_seconds")).toBe(NOW / 1000);
    expect(s.get("smsgw_retention_last_run_duration_seconds")).toBe(runner.lastReport?.seconds);
    expect(runner.lastReport?.seconds).toBeGreaterThanOrEqual(0);
  });

  it("mass deletion leaves free pages: the file keeps its size, the free bytes are reported", async () => {
    const db = openDb({ path: join(mkdtempSync(join(tmpdir(), "smsgw-retsize-")), "db.sqlite") });
    // One transaction: a commit per row would be an fsync per row (synchronous = FULL).
    db.transaction(() => {
      for (let i = 0; i < 2000; i++)
        outbound(db, {
          id: `m${i}`,
          status: "delivered",
          at: ago(1500 * DAY),
          to: `+336${String(i).padStart(8, "0")}`,
        });
    })();
    db.pragma("wal_checkpoint(TRUNCATE)");
    const before = statSync(db.name).size;
    const m = metrics();
    const report = await new RetentionRunner({
      db,
      clock: fixedClock(),
      policy: DEFAULT_POLICY,
      intervalMs: HOUR,
      onReport: (r) => m.retentionRun(r),
    }).runOnce();
    db.pragma("wal_checkpoint(TRUNCATE)");
    expect(report.counts.messages_deleted).toBe(2000);
    expect(statSync(db.name).size).toBe(before);
    expect(report.database?.bytes).toBe(before);
    // Most of the file is now free pages (auto_vacuum is off: docs/operations.md, Retention).
    expect(report.database?.freeBytes).toBeGreaterThan(before / 2);
    const s = samples(await m.render());
    expect(s.get("smsgw_database_size_bytes")).toBe(before);
    expect(s.get("smsgw_database_free_bytes")).toBe(report.database?.freeBytes);
    db.close();
  });

  it("a listener that throws does not fail the run", async () => {
    const db = openDb({ path: ":memory:" });
    const report = await new RetentionRunner({
      db,
      clock: fixedClock(),
      policy: DEFAULT_POLICY,
      intervalMs: HOUR,
      jobs: [],
      onReport: () => {
        throw new Error("listener");
      },
    }).runOnce();
    expect(report.failures).toEqual([]);
  });
});
