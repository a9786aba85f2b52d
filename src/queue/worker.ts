/**
 * Per-modem send loop: policy → lease with durable attempt mark → sendPart → record outcome.
 * Ownership: one worker per modem, one part in flight per worker; only this loop leases for its modem.
 * A part in backoff is not leased (next_attempt_at in the future), so one slow or failing recipient
 * never holds the worker (peers.md §3.2, Gammu #381/#537). The store is the truth: the worker keeps
 * nothing that a restart would need.
 */
import type { Clock } from "../clock.js";
import type { PolicyConfig } from "../conversation/policy.js";
import type { ModemLike, SendOutcome } from "../modem/types.js";
import { type LeasedPart, leasePart, nextDueAt } from "../store/lease.js";
import { capUsage } from "../store/modems.js";
import { recordOutcome } from "../store/outcome.js";
import { runTx, type StoreDeps, type Tx } from "../store/tx.js";
import type { EngineConfig } from "./config.js";
import type { FailureWindow, SendPolicy } from "./policy.js";
import { decide } from "./retry.js";

export interface WorkerContext {
  readonly store: StoreDeps;
  readonly clock: Clock;
  readonly cfg: EngineConfig;
  readonly policy: SendPolicy;
  readonly failures: FailureWindow;
  readonly random: () => number;
  /** Lease owner tag of this process (leases of other owners are a previous process's). */
  readonly owner: string;
  /** Compliance policy re-checked at dispatch (consent, windows, opt-out); null: opt-out only. */
  readonly compliance: PolicyConfig | null;
  /** Ready and enabled modems, for routing decisions. */
  healthy(): string[];
  isEnabled(modemId: string): boolean;
  disable(modemId: string, reason: string): void;
  /** The modem's readiness changed (down → its unstarted messages are rerouted). */
  stateChanged(modemId: string, usable: boolean): void;
  /** The modem reached a daily cap (or left it): a capped SIM counts as down for sticky fallback. */
  setCapped(modemId: string, capped: boolean): void;
}

/** How often a worker re-checks a modem that is not ready, or work it could not lease. */
const IDLE_POLL_MS = 1000;
/** Longest sleep of an idle worker (new work wakes it at once; this bounds missed state changes). */
const IDLE_MAX_MS = 5000;

export class ModemWorker {
  #stopped = false;
  #wake: (() => void) | null = null;
  #woken = false;
  #loop: Promise<void> | null = null;
  #usable: boolean | null = null;
  #abort = new AbortController();

  constructor(
    public modem: ModemLike,
    readonly ctx: WorkerContext,
  ) {}

  start(): void {
    this.#loop ??= this.#run();
  }

  wake(): void {
    // A wake that arrives while the loop is busy must not be lost: the next sleep returns at once.
    this.#woken = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    this.wake();
    await this.#loop;
  }

  #sleep(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = this.ctx.clock.setTimeout(() => done(), Math.max(0, ms));
      const done = () => {
        t.clear();
        this.#wake = null;
        this.#woken = false;
        resolve();
      };
      this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let wait: number;
      try {
        wait = await this.step();
      } catch {
        wait = IDLE_POLL_MS; // a store error (disk full…) must not kill the loop; retry later
      }
      if (wait > 0 && !this.#stopped) await this.#sleep(wait);
    }
  }

  /**
   * One iteration; returns how long to sleep (0 = go on at once). Public for tests.
   * While there is work, the outcome of a part and the lease of the next one share one commit: one
   * fsync — on an SD card the fsync is the engine's main cost between two parts (bench/RESULTS.md).
   * Should the lease fail, the outcome is committed on its own (it is never lost with the lease).
   */
  async step(): Promise<number> {
    const { ctx } = this;
    const id = this.modem.id;
    const usable = this.#isUsable();
    if (usable !== this.#usable) {
      this.#usable = usable;
      ctx.stateChanged(id, usable);
    }
    if (!usable) return IDLE_POLL_MS;
    let next = runTx(ctx.store, (tx) => this.#tryLease(tx));
    while (next.kind === "part") {
      const part = next.part;
      const outcome = await this.#send(part);
      const at = ctx.clock.now();
      const decision = decide(
        outcome,
        { attempts: part.attempts + 1, firstAttemptAt: part.firstAttemptAt ?? at },
        at,
        ctx.cfg,
        ctx.random,
      );
      const aborted = outcome.kind === "not-sent" && outcome.reason === "aborted";
      const modemFailure =
        outcome.kind === "unknown" ||
        (outcome.kind === "rejected" && outcome.category === "modem-fault") ||
        (outcome.kind === "not-sent" && !aborted);
      const disableReason = aborted ? null : ctx.failures.record(id, !modemFailure, at);
      const goOn = !this.#stopped && disableReason === null && this.#isUsable() && this.#usable === true;
      const record = (tx: Tx) =>
        recordOutcome(
          tx,
          { messageId: part.messageId, seq: part.seq, total: part.total, to: part.to, modemId: id },
          decision,
          outcome,
        );
      try {
        next = runTx(ctx.store, (tx) => {
          record(tx);
          return goOn ? this.#tryLease(tx) : ({ kind: "wait", ms: 0 } as const);
        });
      } catch {
        // The lease failed and took the outcome down with it: the outcome alone, in a commit of
        // its own. Not a SAVEPOINT around the lease: its sub-journal holds the pages the outcome
        // already changed (about 60 KB), spilled to a temp file on every part (bench/RESULTS.md).
        runTx(ctx.store, record);
        next = { kind: "wait", ms: IDLE_POLL_MS };
      }
      if (disableReason) ctx.disable(id, disableReason);
    }
    return next.ms;
  }

  #isUsable(): boolean {
    return this.ctx.isEnabled(this.modem.id) && this.modem.health().state === "ready";
  }

  /** Policy, then lease (with the attempt mark), inside the caller's transaction. */
  #tryLease(tx: Tx): { kind: "part"; part: LeasedPart } | { kind: "wait"; ms: number } {
    const { ctx } = this;
    const id = this.modem.id;
    const since = tx.at - ctx.cfg.recipientWindowMs;
    const verdict = ctx.policy.check(id, tx.at, capUsage(tx, id, since, ctx.policy.caps(id)));
    ctx.setCapped(id, !verdict.ok && verdict.reason !== "rate");
    if (!verdict.ok) return { kind: "wait", ms: Math.min(verdict.retryAt - tx.at, 60_000) };
    const part = leasePart(tx, {
      modemId: id,
      owner: ctx.owner,
      leaseMs: ctx.cfg.leaseMs,
      healthy: ctx.healthy(),
      stickySince: tx.at - ctx.cfg.stickyMs,
      stickyFallback: ctx.cfg.stickyFallback,
      recipientCapReached: verdict.recipientCapReached,
      recipientSince: since,
      compliance: ctx.compliance,
    });
    if (!part) {
      // Nothing leasable: sleep until the next part falls due (a backoff, a send_at), within bounds.
      const due = nextDueAt(tx);
      const ms = due === null ? IDLE_MAX_MS : Math.min(IDLE_MAX_MS, Math.max(IDLE_POLL_MS, due - tx.at));
      return { kind: "wait", ms };
    }
    ctx.policy.consume(id, tx.at);
    return { kind: "part", part };
  }

  /** The lease committed the attempt mark: from here on the part may reach the network. */
  async #send(part: LeasedPart): Promise<SendOutcome> {
    try {
      return await this.modem.sendPart(part.pdu, part.tpduLength, { signal: this.#abort.signal });
    } catch (e) {
      // The contract says sendPart returns an outcome; a throw after the attempt mark cannot tell
      // whether the PDU left, so it is unknown.
      return {
        kind: "unknown",
        reason: "closed-after-pdu",
        text: e instanceof Error ? e.message : String(e),
      };
    }
  }
}
