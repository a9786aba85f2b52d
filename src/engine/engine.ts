/**
 * The message engine: store + per-modem workers + inbound ingest, behind one object.
 * See ./index.ts for the API summary. Ownership: the engine owns its workers and sweep timer; the
 * caller owns the modems (their lifecycle is the supervisor's) and, when it passed a `Db`, the Db.
 */
import { randomBytes } from "node:crypto";
import { type Clock, systemClock } from "../clock.js";
import type { SenderConfig } from "../conversation/compliant-sender.js";
import { EventBus, type GatewayEvents } from "../events.js";
import type { IncomingPdu, ModemLike, ModemState } from "../modem/types.js";
import { decodePdu, encodeSubmit } from "../pdu/index.js";
import type { DecodedPdu, EncodedSubmit, SubmitOptions } from "../pdu/types.js";
import { defaultEngineConfig, type EngineConfig } from "../queue/config.js";
import {
  type EnqueueOptions,
  type EnqueueRequest,
  type EnqueueResult,
  enqueueMessage,
} from "../queue/enqueue.js";
import { type EnqueueManyItem, enqueueMany, type PrepareItem } from "../queue/enqueue-many.js";

export type { EnqueueManyItem, EnqueueRequest, EnqueueResult, PrepareItem };

import { FailureWindow, type ModemLimits, SendPolicy } from "../queue/policy.js";
import { ModemWorker, type WorkerContext } from "../queue/worker.js";
import { type Db, openDb } from "../store/db.js";
import { createIdFactory, type IdFactory } from "../store/ids.js";
import {
  type IngestOptions,
  type IngestResult,
  ingestPdu,
  type KeywordHook,
  releaseStale,
} from "../store/inbox.js";
import { recoverLeases, releaseModem } from "../store/lease.js";
import { listModemRows, setModemEnabled, upsertModem } from "../store/modems.js";
import { cancelMessage, expireMessage, findExpired, resendMessage } from "../store/outbox.js";
import {
  getMessageView,
  type ListItem,
  type ListQuery,
  listMessageViews,
  type MessageView,
  type QueueStat,
  queueStats,
} from "../store/queries.js";
import { listUnmatched, type UnmatchedReport } from "../store/reports.js";
import type { PartStatus } from "../store/status.js";
import { runTx, type StoreDeps, type Tx, writeOutbox } from "../store/tx.js";
import { AutoEnable } from "./auto-enable.js";
import { normaliseAddress, toE164 } from "./phone.js";

export interface Codec {
  encodeSubmit(opts: SubmitOptions): EncodedSubmit;
  decodePdu(hex: string, opts: { smsc: boolean }): DecodedPdu;
}

export interface EngineOptions {
  /** A file path (opened and closed by the engine) or an open Db (owned by the caller). */
  readonly db: string | Db;
  /** Default: the project's codec (src/pdu). */
  readonly codec?: Codec;
  readonly clock?: Clock;
  readonly bus?: EventBus<GatewayEvents>;
  readonly config?: Partial<EngineConfig>;
  /** [0, 1) source for backoff jitter; inject a seeded one in tests. */
  readonly random?: () => number;
  readonly ids?: IdFactory;
  readonly keywordHook?: KeywordHook;
  /**
   * Consent, sending windows and marketing caps, applied by the HTTP send path (CompliantSender) and
   * re-checked at dispatch. Absent: opt-outs are still enforced at dispatch, nothing else.
   */
  readonly compliance?: SenderConfig;
}

/**
 * What a modem handed to addModem may offer beyond ModemLike (the composition root's wrapper does):
 * its configured name, used in webhook payloads instead of the IMEI-based id, and its state changes.
 */
export interface ModemStateSource {
  readonly name?: string;
  onState?(listener: (next: ModemState, prev: ModemState) => void): () => void;
}

/** `data` of a "modem.state" webhook_outbox row. */
export interface ModemStatePayload {
  readonly modem: string;
  readonly state: ModemState | "disabled";
  readonly previous: ModemState | "disabled" | null;
  readonly reason?: string;
  /** ms since epoch. */
  readonly at: number;
}

export interface ModemInfo {
  readonly id: string;
  readonly identity: unknown;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  /** Live modem state, "absent" when the modem is known from the DB but not attached. */
  readonly state: string;
  readonly sentCount: number;
  readonly failureCount: number;
  readonly receivedCount: number;
  readonly sentToday: number;
}

export class Engine {
  readonly bus: EventBus<GatewayEvents>;
  readonly cfg: EngineConfig;
  readonly db: Db;
  readonly #ownsDb: boolean;
  readonly #store: StoreDeps;
  readonly #clock: Clock;
  readonly #codec: Codec;
  readonly #workers = new Map<string, ModemWorker>();
  readonly #enabled = new Map<string, boolean>();
  readonly #capped = new Set<string>();
  readonly #names = new Map<string, string>();
  /** Last live state written to the outbox per modem id: a health poll that changes nothing writes nothing. */
  readonly #announced = new Map<string, ModemState>();
  readonly #detachState = new Map<string, () => void>();
  readonly #ctx: WorkerContext;
  readonly #ingestOpts: IngestOptions;
  readonly #policy: SendPolicy;
  readonly compliance: SenderConfig | null;
  readonly #virtualNumbers: ReadonlySet<string>;
  readonly #enqueueOpts: EnqueueOptions;
  #sweepTimer: { clear(): void } | null = null;
  readonly #auto: AutoEnable;
  #started = false;

  constructor(o: EngineOptions) {
    this.cfg = { ...defaultEngineConfig, ...o.config };
    this.#virtualNumbers = new Set(this.cfg.virtualNumbers);
    this.#enqueueOpts = {
      defaultCountry: this.cfg.defaultCountry,
      virtualNumbers: this.#virtualNumbers,
      knownModem: (id) => this.#enabled.has(id),
    };
    this.#policy = new SendPolicy(this.cfg);
    this.compliance = o.compliance ?? null;
    this.#clock = o.clock ?? systemClock;
    this.bus = o.bus ?? new EventBus();
    this.#ownsDb = typeof o.db === "string";
    this.db = typeof o.db === "string" ? openDb({ path: o.db }) : o.db;
    this.#codec = o.codec ?? { encodeSubmit, decodePdu };
    const clock = this.#clock;
    this.#store = { db: this.db, bus: this.bus, ids: o.ids ?? createIdFactory(), now: () => clock.now() };
    this.#ingestOpts = {
      decode: (hex) => this.#codec.decodePdu(hex, { smsc: true }),
      defaultCountry: this.cfg.defaultCountry,
      reportWindowMs: this.cfg.reportWindowMs,
      ...(o.keywordHook ? { keywordHook: o.keywordHook } : {}),
    };
    this.#ctx = {
      store: this.#store,
      clock,
      cfg: this.cfg,
      policy: this.#policy,
      failures: new FailureWindow(this.cfg),
      random: o.random ?? Math.random,
      compliance: this.compliance,
      owner: `${process.pid}:${randomBytes(4).toString("hex")}`,
      // Ready, enabled and not at a daily cap: the modems that can take a contact's messages now.
      healthy: () =>
        [...this.#workers.values()]
          .filter((w) => this.#usable(w.modem) && !this.#capped.has(w.modem.id))
          .map((w) => w.modem.id),
      setCapped: (id, capped) => {
        if (capped) this.#capped.add(id);
        else this.#capped.delete(id);
      },
      isEnabled: (id) => this.#enabled.get(id) ?? true,
      // The failure window's disable; AutoEnable brings the modem back once it is ready again.
      disable: (id, reason) => {
        if (this.#disable(id, reason)) this.#auto.disabled(id);
      },
      stateChanged: (id, usable) => this.#stateChanged(id, usable),
    };
    for (const m of runTx(this.#store, (tx) => listModemRows(tx))) this.#enabled.set(m.id, m.enabled);
    this.#auto = new AutoEnable({
      clock,
      recheckMs: this.cfg.sweepIntervalMs,
      isReady: (id) => this.#started && this.#workers.get(id)?.modem.health().state === "ready",
      enable: (id) => this.#enable(id),
    });
  }

  #usable(m: ModemLike): boolean {
    return (this.#enabled.get(m.id) ?? true) && m.health().state === "ready";
  }

  /**
   * Attaches a modem by its stable id (attach once the identity is known). A recreated Modem object
   * for an id already attached (supervisor restart, replug) replaces the previous one in its worker.
   */
  /** The recipient as E.164, by the rule enqueue applies; throws EngineError (invalid_number). */
  recipient(input: string): string {
    return toE164(input, this.cfg.defaultCountry, this.#virtualNumbers);
  }

  /** Rate and caps of one SIM, overriding the engine-wide defaults for that modem id. */
  setModemLimits(id: string, limits: ModemLimits): void {
    this.#policy.setLimits(id, limits);
  }

  addModem(modem: ModemLike & ModemStateSource): void {
    const id = modem.id;
    runTx(this.#store, (tx) => upsertModem(tx, id, modem.identity));
    if (!this.#enabled.has(id)) this.#enabled.set(id, true);
    modem.onIncoming((pdu) => this.ingest(id, pdu).then(() => undefined));
    this.#names.set(id, modem.name ?? id);
    // Only a modem that reports its states is announced (bare ModemLikes in tests stay silent). A
    // recreated Modem replaces the previous one's feed; its first state is announced now, since the
    // supervisor hands it over already started.
    this.#detachState.get(id)?.();
    if (modem.onState) {
      this.#detachState.set(
        id,
        modem.onState((next) => this.#announce(id, next)),
      );
      this.#announce(id, modem.health().state);
    }
    const existing = this.#workers.get(id);
    if (existing) {
      existing.modem = modem;
      existing.wake();
      return;
    }
    const w = new ModemWorker(modem, this.#ctx);
    this.#workers.set(id, w);
    if (this.#started) w.start();
  }

  /** Recovers leases left by a previous process, then starts the workers and the sweep. */
  start(): { requeued: number; unknown: number } {
    const r = runTx(this.#store, (tx) => recoverLeases(tx, this.#ctx.owner));
    this.#started = true;
    for (const w of this.#workers.values()) w.start();
    this.#scheduleSweep();
    return r;
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#sweepTimer?.clear();
    this.#sweepTimer = null;
    this.#auto.stop();
    await Promise.all([...this.#workers.values()].map((w) => w.stop()));
    if (this.#ownsDb) this.db.close();
  }

  #scheduleSweep(): void {
    this.#sweepTimer = this.#clock.setTimeout(() => {
      try {
        this.sweep();
      } catch {
        // A failing sweep (disk full, locked DB) is retried at the next tick; it must not crash the daemon.
      } finally {
        if (this.#started) this.#scheduleSweep();
      }
    }, this.cfg.sweepIntervalMs);
  }

  /** Expires messages past `valid_until` and releases stale inbound reassembly sets as partial. */
  sweep(): { expired: number; released: number } {
    return runTx(this.#store, (tx) => {
      const ids = findExpired(tx);
      for (const id of ids) expireMessage(tx, id);
      const released = releaseStale(tx, this.cfg.reassemblyTimeoutMs, this.#ingestOpts).length;
      return { expired: ids.length, released };
    });
  }

  wake(): void {
    for (const w of this.#workers.values()) w.wake();
  }

  enqueue(req: EnqueueRequest): EnqueueResult {
    const result = enqueueMessage(this.#store, this.#codec, req, this.#enqueueOpts);
    if (!result.duplicate) this.wake();
    return result;
  }

  /**
   * Enqueues a batch in one transaction (one commit). Results by index; an item refused (by
   * validation, by `prepare`, by an idempotency conflict) is `{ ok: false, error }` and the others
   * still commit. `prepare` runs per item inside the transaction (the compliance layer's check).
   */
  enqueueMany(requests: readonly EnqueueRequest[], prepare?: PrepareItem): EnqueueManyItem[] {
    const items = enqueueMany(this.#store, this.#codec, requests, {
      ...this.#enqueueOpts,
      ...(prepare ? { prepare } : {}),
    });
    if (items.some((r) => r.ok && !r.result.duplicate)) this.wake();
    return items;
  }

  /** The modem's onIncoming handler: resolves only after the commit (then the modem acks/deletes). */
  async ingest(modemId: string, pdu: IncomingPdu): Promise<IngestResult> {
    return runTx(this.#store, (tx) => ingestPdu(tx, modemId, pdu, this.#ingestOpts));
  }

  getMessage(id: string): MessageView | undefined {
    return runTx(this.#store, (tx) => getMessageView(tx, id));
  }

  listMessages(q: ListQuery = {}): { items: ListItem[]; nextCursor: string | null } {
    // Contacts are stored in E.164: "06 12 34 56 78" finds the same conversation as "+33612345678".
    const query = q.contact
      ? { ...q, contact: normaliseAddress(q.contact.replace(/[\s.()-]/g, ""), this.cfg.defaultCountry) }
      : q;
    return runTx(this.#store, (tx) => listMessageViews(tx, query));
  }

  cancel(id: string): PartStatus {
    return runTx(this.#store, (tx) => cancelMessage(tx, id));
  }

  resend(id: string): PartStatus {
    const s = runTx(this.#store, (tx) => resendMessage(tx, id));
    this.wake();
    return s;
  }

  listModems(): ModemInfo[] {
    const rows = runTx(this.#store, (tx) => listModemRows(tx));
    return rows.map((r) => ({ ...r, state: this.#workers.get(r.id)?.modem.health().state ?? "absent" }));
  }

  disableModem(id: string, reason = "disabled by operator"): boolean {
    this.#auto.forget(id);
    return this.#disable(id, reason);
  }

  #disable(id: string, reason: string): boolean {
    const changed = runTx(this.#store, (tx) => {
      const c = setModemEnabled(tx, id, false, reason);
      if (c) {
        releaseModem(tx, id);
        this.#modemOutbox(tx, id, { state: "disabled", previous: this.#liveState(id), reason });
        tx.emit("modem.disabled", { id, reason, at: tx.at });
      }
      return c;
    });
    this.#enabled.set(id, false);
    this.wake();
    return changed;
  }

  enableModem(id: string): boolean {
    this.#auto.forget(id);
    return this.#enable(id);
  }

  #enable(id: string): boolean {
    const changed = runTx(this.#store, (tx) => {
      const c = setModemEnabled(tx, id, true, null);
      if (c) {
        this.#modemOutbox(tx, id, { state: this.#liveState(id), previous: "disabled" });
        tx.emit("modem.enabled", { id, at: tx.at });
      }
      return c;
    });
    this.#enabled.set(id, true);
    this.#ctx.failures.reset(id);
    this.wake();
    return changed;
  }

  #liveState(id: string): ModemState {
    return this.#workers.get(id)?.modem.health().state ?? this.#announced.get(id) ?? "stopped";
  }

  /** Writes a "modem.state" webhook row when the live state differs from the last one written. */
  #announce(id: string, state: ModemState): void {
    const previous = this.#announced.get(id) ?? "starting";
    if (previous === state) return;
    this.#announced.set(id, state);
    // A state change during shutdown may come after the DB closed; it is not worth a crash.
    if (!this.db.open) return;
    try {
      runTx(this.#store, (tx) => this.#modemOutbox(tx, id, { state, previous }));
    } catch {
      /* a locked or failing DB must not break the modem's state machine (listener context) */
    }
  }

  #modemOutbox(tx: Tx, id: string, change: Pick<ModemStatePayload, "state" | "previous" | "reason">): void {
    const modem = this.#names.get(id) ?? id;
    const payload: ModemStatePayload = { modem, ...change, at: tx.at };
    // contact_key = the modem name: the worker delivers rows with one key in order, per endpoint.
    writeOutbox(tx, "modem.state", payload, modem);
  }

  #stateChanged(id: string, usable: boolean): void {
    const state = this.#workers.get(id)?.modem.health().state ?? "stopped";
    this.bus.emit("modem.state", { id, state });
    // A modem that went down hands its not-yet-started messages to the others.
    if (!usable) runTx(this.#store, (tx) => releaseModem(tx, id));
    this.wake();
  }

  queueStats(): QueueStat[] {
    return runTx(this.#store, (tx) => queueStats(tx));
  }

  listUnmatchedReports(limit?: number): UnmatchedReport[] {
    return runTx(this.#store, (tx) => listUnmatched(tx, limit));
  }
}
