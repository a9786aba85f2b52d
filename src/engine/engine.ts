/**
 * The message engine: store + per-modem workers + inbound ingest, behind one object.
 * See ./index.ts for the API summary. Ownership: the engine owns its workers and sweep timer; the
 * caller owns the modems (their lifecycle is the supervisor's) and, when it passed a `Db`, the Db.
 */
import { randomBytes } from "node:crypto";
import { type Clock, systemClock } from "../clock.js";
import type { SenderConfig } from "../conversation/compliant-sender.js";
import { EventBus, type GatewayEvents } from "../events.js";
import type { IncomingPdu, ModemLike } from "../modem/types.js";
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
import { recoverLeases } from "../store/lease.js";
import { listModemRows } from "../store/modems.js";
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
import { runTx, type StoreDeps } from "../store/tx.js";
import {
  type CapHoldsContext,
  type MessageWaiting,
  type ModemCaps,
  messageWaiting,
  modemCaps,
} from "./cap-holds.js";
import { ModemControl, type ModemStateSource } from "./modem-control.js";
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

export type { ModemStatePayload, ModemStateSource } from "./modem-control.js";

/** A message with, while a SIM's cap holds it, why it waits (cap-holds.ts). */
export type MessageDetail = MessageView & { readonly waiting?: MessageWaiting };

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
  readonly #capped = new Set<string>();
  readonly #modems: ModemControl;
  readonly #ctx: WorkerContext;
  readonly #ingestOpts: IngestOptions;
  readonly #policy: SendPolicy;
  readonly compliance: SenderConfig | null;
  readonly #virtualNumbers: ReadonlySet<string>;
  readonly #enqueueOpts: EnqueueOptions;
  readonly #caps: CapHoldsContext;
  #sweepTimer: { clear(): void } | null = null;
  #started = false;

  constructor(o: EngineOptions) {
    this.cfg = { ...defaultEngineConfig, ...o.config };
    this.#virtualNumbers = new Set(this.cfg.virtualNumbers);
    this.#enqueueOpts = {
      defaultCountry: this.cfg.defaultCountry,
      virtualNumbers: this.#virtualNumbers,
      knownModem: (id) => this.#modems.known(id),
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
          .filter((w) => this.#modems.usable(w.modem) && !this.#capped.has(w.modem.id))
          .map((w) => w.modem.id),
      setCapped: (id, capped) => {
        if (capped) this.#capped.add(id);
        else this.#capped.delete(id);
      },
      isEnabled: (id) => this.#modems.isEnabled(id),
      // The failure window's disable; the modem comes back by itself after a cool-down once ready.
      disable: (id, reason) => this.#modems.autoDisable(id, reason),
      stateChanged: (id, usable) => this.#modems.stateChanged(id, usable),
    };
    this.#modems = new ModemControl({
      store: this.#store,
      clock,
      recheckMs: this.cfg.sweepIntervalMs,
      modem: (id) => this.#workers.get(id)?.modem,
      started: () => this.#started,
      wake: () => this.wake(),
      resetFailures: (id) => this.#ctx.failures.reset(id),
    });
    this.#caps = {
      cfg: this.cfg,
      usable: () =>
        [...this.#workers.values()].filter((w) => this.#modems.usable(w.modem)).map((w) => w.modem.id),
      healthy: () => this.#ctx.healthy(),
      caps: (id) => this.#policy.caps(id),
    };
  }

  /** The recipient as E.164, by the rule enqueue applies; throws EngineError (invalid_number). */
  recipient(input: string): string {
    return toE164(input, this.cfg.defaultCountry, this.#virtualNumbers);
  }

  /** Rate and caps of one SIM, overriding the engine-wide defaults for that modem id. */
  setModemLimits(id: string, limits: ModemLimits): void {
    this.#policy.setLimits(id, limits);
  }

  /**
   * Attaches a modem by its stable id (attach once the identity is known). A recreated Modem object
   * for an id already attached (supervisor restart, replug) replaces the previous one in its worker.
   */
  addModem(modem: ModemLike & ModemStateSource): void {
    const id = modem.id;
    this.#modems.attach(modem);
    modem.onIncoming((pdu) => this.ingest(id, pdu).then(() => undefined));
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

  /**
   * Recovers leases left by a previous process and the cool-downs of modems the failure window
   * disabled, then starts the workers and the sweep.
   */
  start(): { requeued: number; unknown: number } {
    const r = runTx(this.#store, (tx) => recoverLeases(tx, this.#ctx.owner));
    this.#modems.restore();
    this.#started = true;
    for (const w of this.#workers.values()) w.start();
    this.#scheduleSweep();
    return r;
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#sweepTimer?.clear();
    this.#sweepTimer = null;
    this.#modems.stop();
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

  /** The message; `waiting` is set while every SIM that could send it is held by a cap. */
  getMessage(id: string): MessageDetail | undefined {
    return runTx(this.#store, (tx) => {
      const m = getMessageView(tx, id);
      const pending = m?.parts.some((p) => p.status === "queued" || p.status === "scheduled");
      const waiting = pending ? messageWaiting(tx, this.#caps, id) : undefined;
      return m && waiting ? { ...m, waiting } : m;
    });
  }

  /** Each attached modem's caps (those set), reached or not, with whether they hold parts back. */
  capStatus(): ModemCaps[] {
    return runTx(this.#store, (tx) => modemCaps(tx, this.#caps, [...this.#workers.keys()]));
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

  /** An operator's disable; cancels an automatic re-enable pending for the modem. */
  disableModem(id: string, reason = "disabled by operator"): boolean {
    return this.#modems.disable(id, reason);
  }

  /** An operator's enable; cancels an automatic re-enable pending for the modem. */
  enableModem(id: string): boolean {
    return this.#modems.enable(id);
  }

  queueStats(): QueueStat[] {
    return runTx(this.#store, (tx) => queueStats(tx));
  }

  listUnmatchedReports(limit?: number): UnmatchedReport[] {
    return runTx(this.#store, (tx) => listUnmatched(tx, limit));
  }
}
