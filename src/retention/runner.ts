/**
 * Runs the retention jobs every `intervalMs`, one run at a time. Each job works in batches of
 * `policy.batchSize` rows, one IMMEDIATE transaction per batch, and yields to the event loop between
 * batches: the send loop shares the one SQLite connection, so a long write would stall it (the
 * database is locked for the whole of a transaction, and better-sqlite3 blocks the thread meanwhile).
 *
 *   runner.start()      first run after `firstDelayMs`, then `intervalMs` after each run ends
 *   runner.runOnce()    a run now (or the one in progress): resolves with its report
 *   runner.stop()       no new run; the run in progress stops after its current batch
 */
import type { Clock } from "../clock.js";
import type { EventBus, GatewayEvents } from "../events.js";
import type { Logger } from "../log.js";
import type { Db } from "../store/db.js";
import { createIdFactory, type IdFactory } from "../store/ids.js";
import type { Job, JobContext } from "./job.js";
import { JOBS } from "./jobs.js";
import { type RetentionCounts, type RetentionPolicy, zeroCounts } from "./policy.js";

export interface RetentionReport {
  /** Clock time the run used for every cutoff. */
  readonly at: number;
  readonly counts: RetentionCounts;
  /** Transactions committed (one per batch of each job). */
  readonly transactions: number;
  readonly failures: readonly { readonly job: string; readonly error: string }[];
  /** true when stop() cut the run short. */
  readonly interrupted: boolean;
  /** Wall-clock time the run took (process time, not the injected clock). */
  readonly seconds: number;
  /** The database file after the run, and how much of it is free pages (SQLite reuses them for
   * new rows; the file does not shrink: docs/operations.md, Retention). Absent if unreadable. */
  readonly database?: { readonly bytes: number; readonly freeBytes: number };
}

export interface RetentionOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly policy: RetentionPolicy;
  readonly intervalMs: number;
  /** Delay of the first run after start(), default 60 s: the modems come up first. */
  readonly firstDelayMs?: number;
  readonly log?: Logger;
  readonly jobs?: readonly Job[];
  /** Called between two batches; default: one turn of the event loop. */
  readonly pause?: () => Promise<void>;
  /** The engine's bus: events a job writes (`outbox.written` of a contact erasure) reach the
   * webhook worker after the batch commits. */
  readonly bus?: EventBus<GatewayEvents>;
  readonly ids?: IdFactory;
  /** Called with each finished run's report (the retention metrics). */
  readonly onReport?: (report: RetentionReport) => void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class RetentionRunner {
  readonly #o: RetentionOptions;
  readonly #ids: IdFactory;
  #timer: { clear(): void } | undefined;
  #running: Promise<RetentionReport> | undefined;
  #started = false;
  #stopping = false;
  #last: RetentionReport | undefined;

  constructor(options: RetentionOptions) {
    if (!Number.isInteger(options.policy.batchSize) || options.policy.batchSize < 1)
      throw new RangeError(
        `retention batch size must be a positive integer, got ${options.policy.batchSize}`,
      );
    this.#o = options;
    this.#ids = options.ids ?? createIdFactory();
  }

  /** The report of the last finished run (for a metric, or `smsgw status`). */
  get lastReport(): RetentionReport | undefined {
    return this.#last;
  }

  /** true while a next run is planned (between start() and stop()). */
  get scheduled(): boolean {
    return this.#timer !== undefined || (this.#running !== undefined && this.#started && !this.#stopping);
  }

  start(): void {
    if (this.#started || this.#stopping) return;
    this.#started = true;
    this.#schedule(this.#o.firstDelayMs ?? 60_000);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#timer?.clear();
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** Never two runs at once: a call during a run gets that run's report. */
  runOnce(): Promise<RetentionReport> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopping) return;
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.runOnce()
        .catch((err: unknown) => this.#o.log?.error({ err }, "retention run failed"))
        .finally(() => this.#schedule(this.#o.intervalMs));
    }, ms);
  }

  async #run(): Promise<RetentionReport> {
    const { db, clock, policy, log } = this.#o;
    const pause = this.#o.pause ?? nextTurn;
    let queued: (() => void)[] = [];
    const ctx: JobContext = {
      db,
      now: clock.now(),
      policy,
      ids: this.#ids,
      emit: (name, ...args) => {
        queued.push(() => this.#o.bus?.emit(name, ...args));
      },
    };
    const counts = zeroCounts();
    const failures: { job: string; error: string }[] = [];
    let transactions = 0;
    const t0 = Date.now();
    for (const job of this.#o.jobs ?? JOBS) {
      if (this.#stopping || !db.open) break;
      if (job.needs?.some((t) => !tableExists(db, t))) continue;
      try {
        for (;;) {
          if (this.#stopping || !db.open) break;
          queued = [];
          const r = db.transaction(() => job.step(ctx)).immediate();
          transactions++;
          // After the commit only: a listener must never see what a rollback would undo.
          for (const e of queued) e();
          for (const [k, v] of Object.entries(r.counts)) counts[k as keyof RetentionCounts] += v;
          if (!(r.more ?? r.handled >= policy.batchSize)) break;
          await pause();
        }
      } catch (err) {
        // One job failing (a table another module changed, a full disk) must not stop the others.
        failures.push({ job: job.name, error: err instanceof Error ? err.message : String(err) });
        log?.error({ err, job: job.name }, "retention job failed; the others continue");
      }
      await pause();
    }
    const report: RetentionReport = {
      at: ctx.now,
      counts,
      transactions,
      failures,
      interrupted: this.#stopping,
      seconds: (Date.now() - t0) / 1000,
      ...(db.open && { database: fileSize(db) }),
    };
    this.#last = report;
    log?.info({ counts, transactions, failures: failures.length, ms: Date.now() - t0 }, "retention run done");
    try {
      this.#o.onReport?.(report);
    } catch (err) {
      log?.error({ err }, "retention report listener failed");
    }
    return report;
  }
}

/** From the header fields (PRAGMA page_count, freelist_count): no page is read. */
function fileSize(db: Db): { bytes: number; freeBytes: number } {
  const page = db.pragma("page_size", { simple: true }) as number;
  return {
    bytes: (db.pragma("page_count", { simple: true }) as number) * page,
    freeBytes: (db.pragma("freelist_count", { simple: true }) as number) * page,
  };
}

function tableExists(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
