/**
 * One modem on one AT channel. Single-use: when the channel dies or the recovery ladder gives up,
 * `failed` settles and the supervisor builds a new transport, channel and Modem.
 *
 *   start() → init (init.ts, sim-card.ts) → receiver attached (sms.ts) → sweep → health poll loop
 *   sendPart() → send.ts (never resends) ; a missing answer → recovery ladder (recovery.ts)
 *
 * Ownership: state changes happen only in #setState; the AT channel serialises commands itself.
 */
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import { generic } from "../../drivers/generic.js";
import type { ProfileHints } from "../../drivers/index.js";
import type { ModemProfile } from "../../drivers/types.js";
import type { AtChannelLike } from "../at/types.js";
import type { Clock } from "../clock.js";
import { asChannelFailure, type Exec, makeExec } from "./command.js";
import { pollHealth } from "./health.js";
import { runInit } from "./init.js";
import { type LoggerLike, redactAt, silentLogger } from "./log.js";
import { climbLadder } from "./recovery.js";
import { restoreRouting } from "./routing-check.js";
import { submitPart } from "./send.js";
import { PinMemory } from "./sim-card.js";
import { type IncomingHandler, Receiver } from "./sms.js";
import type { SmsSetup } from "./sms-setup.js";
import type { IncomingPdu, ModemHealth, ModemIdentity, ModemLike, ModemState, SendOutcome } from "./types.js";

export interface ModemOptions {
  readonly channel: AtChannelLike;
  readonly clock: Clock;
  readonly log?: LoggerLike;
  /** Id used until the IMEI is known (e.g. the configured name or port). */
  readonly configuredId: string;
  readonly hints?: ProfileHints;
  /** Force a profile id from drivers/ instead of resolving it. */
  readonly profileId?: string;
  /** Never logged. */
  readonly pin?: string;
  /** Shared across recreations (registry); a private one otherwise. */
  readonly pinMemory?: PinMemory;
  /** Health poll period, ms; 0 disables the timer. Default 60 000. */
  readonly healthIntervalMs?: number;
  /** Timed polls per read of operator, storage and routing (sooner when due: #detailsDue). Default 5. */
  readonly healthDetailsEvery?: number;
  /** "AT" attempts at start before the modem counts as unresponsive. Default 3. */
  readonly pingAttempts?: number;
}

export interface ModemEvents {
  state: [next: ModemState, prev: ModemState];
  /** `seconds`: from the start of this part's submission (AT+CMGS) to its outcome. */
  outcome: [outcome: SendOutcome, seconds: number];
  incoming: [pdu: IncomingPdu];
  failed: [reason: string];
}

export class Modem implements ModemLike {
  readonly #o: ModemOptions;
  readonly #log: LoggerLike;
  readonly #events = new EventEmitter<ModemEvents>();
  readonly #exec: Exec;
  readonly #receiver: Receiver;
  #state: ModemState = "starting";
  #profile: ModemProfile = generic;
  #identity: ModemIdentity | null = null;
  #sms: SmsSetup | null = null;
  #health: Omit<ModemHealth, "state"> = {
    signalDbm: null,
    registration: "unknown",
    operator: null,
    storage: null,
    lastSuccessAt: null,
    lastError: null,
  };
  #recovering: Promise<void> | null = null;
  #timer: { clear(): void } | null = null;
  /** Timed polls since the last one that read the details (operator, storage, routing). */
  #sinceDetails = 0;
  #unclaimed = 0;
  /** Indications and unclaimed lines counted when the last details were read. */
  #trafficAtDetails = 0;
  #stopped = false;
  #started = false;
  #failedResolve!: (reason: string) => void;
  /** Settles once, with the reason, when this modem is finished (supervisor recreates it). */
  readonly failed: Promise<string>;

  constructor(o: ModemOptions) {
    this.#o = o;
    this.#log = (o.log ?? silentLogger).child({ mod: "modem", modem: o.configuredId });
    this.failed = new Promise((r) => {
      this.#failedResolve = r;
    });
    this.#exec = makeExec(
      o.channel,
      () => ({ timeoutMs: this.#profile.timeouts.commandMs }),
      () => this.#touch(),
    );
    const pinMemory = o.pinMemory ?? new PinMemory();
    this.#pinMemory = pinMemory;
    this.#receiver = new Receiver({
      channel: o.channel,
      exec: this.#exec,
      log: this.#log,
      setup: () => this.#sms,
      statusReportStorage: () => this.#profile.statusReportStorage,
      onChannelFailure: (reason) => void this.recover(reason),
      clock: o.clock,
      canSweep: () => this.#state === "ready" || this.#state === "degraded",
    });
    void o.channel.closed.then(() => this.#fail("AT channel closed"));
    o.channel.onUnsolicited((line) => {
      this.#unclaimed++;
      this.#log.debug({ line }, "unclaimed line");
    });
  }

  readonly #pinMemory: PinMemory;

  /** Same rule as the registry: "imei:<IMEI>", else "iccid:<ICCID>", else the configured id. */
  get id(): string {
    const i = this.#identity;
    return i?.imei ? `imei:${i.imei}` : i?.iccid ? `iccid:${i.iccid}` : this.#o.configuredId;
  }
  get identity(): ModemIdentity | null {
    return this.#identity;
  }
  get state(): ModemState {
    return this.#state;
  }
  get profile(): ModemProfile {
    return this.#profile;
  }
  get smsSetup(): SmsSetup | null {
    return this.#sms;
  }

  on<K extends keyof ModemEvents>(event: K, listener: (...args: ModemEvents[K]) => void): () => void {
    // biome-ignore lint/suspicious/noExplicitAny: EventEmitter's generic listener signature
    this.#events.on(event, listener as any);
    // biome-ignore lint/suspicious/noExplicitAny: same
    return () => this.#events.off(event, listener as any);
  }

  health(): ModemHealth {
    return { state: this.#state, ...this.#health };
  }

  #touch(): void {
    this.#health = { ...this.#health, lastSuccessAt: this.#o.clock.now() };
  }

  #setState(next: ModemState): void {
    const prev = this.#state;
    if (prev === next || prev === "stopped" || (prev === "failed" && next !== "stopped")) return;
    this.#state = next;
    this.#log.info({ state: next, prev }, "modem state");
    this.#events.emit("state", next, prev);
  }

  #sleep = (ms: number): Promise<void> => new Promise((r) => this.#o.clock.setTimeout(r, ms));

  async #init(): Promise<ModemState> {
    const r = await runInit({
      channel: this.#o.channel,
      exec: this.#exec,
      log: this.#log,
      sleep: this.#sleep,
      now: () => this.#o.clock.now(),
      hints: this.#o.hints ?? {},
      profileId: this.#o.profileId,
      pin: this.#o.pin,
      pinMemory: this.#pinMemory,
      pingAttempts: this.#o.pingAttempts,
      onProfile: (p) => {
        this.#profile = p;
      },
    });
    this.#identity = r.identity;
    this.#sms = r.sms;
    if (r.sms) this.#health = { ...this.#health, storage: r.sms.storageFill };
    if (r.sim.state !== "ready") {
      this.#health = { ...this.#health, lastError: r.sim.reason };
      this.#log.error({ reason: r.sim.reason }, `SIM: ${r.sim.state}`);
      return r.sim.state;
    }
    return "ready";
  }

  /** Runs init. Resolves with the resulting state ("ready", "pin-required", "puk-required", "failed");
   * rejects when the modem does not answer (the supervisor then retries with backoff). */
  async start(): Promise<ModemState> {
    if (this.#started) throw new Error("Modem.start() called twice: a Modem is single-use");
    this.#started = true;
    this.#receiver.attach();
    for (const prefix of this.#profile.ignoreUrcs) this.#ignore(prefix);
    let state: ModemState;
    try {
      state = await this.#init();
    } catch (e) {
      this.#health = { ...this.#health, lastError: redactAt(String(e)) };
      this.#fail(`init failed: ${redactAt(String(e))}`);
      throw e;
    }
    for (const prefix of this.#profile.ignoreUrcs) this.#ignore(prefix);
    if (state === "failed") {
      // E.g. no SIM: the supervisor recreates the modem with backoff, so a SIM inserted later is seen.
      this.#fail(this.#health.lastError ?? "SIM failure");
      return state;
    }
    this.#setState(state);
    if (state !== "ready") return state;
    this.#receiver.activate();
    await this.#receiver.sweep();
    this.#schedule();
    return state;
  }

  #ignored = new Set<string>();
  #ignore(prefix: string): void {
    if (this.#ignored.has(prefix)) return;
    this.#ignored.add(prefix);
    this.#o.channel.onUrc({ prefix, handler: (u) => this.#log.trace({ urc: u.line }, "vendor noise") });
  }

  onIncoming(handler: (pdu: IncomingPdu) => Promise<void>): void {
    const wrapped: IncomingHandler = async (pdu) => {
      await handler(pdu);
      this.#events.emit("incoming", pdu);
    };
    this.#receiver.setHandler(wrapped);
    if (this.#state === "ready" && this.#receiver.needsSweep) void this.#receiver.sweep();
  }

  /** Lists stored messages again and hands over the ones still there. */
  sweep(): Promise<void> {
    return this.#receiver.sweep();
  }

  async sendPart(pdu: string, tpduLength: number, options?: { signal?: AbortSignal }): Promise<SendOutcome> {
    if (this.#state !== "ready" && this.#state !== "degraded") {
      return { kind: "not-sent", reason: "not-ready", text: `modem is ${this.#state}` };
    }
    const t = this.#profile.timeouts;
    // Monotonic: a Pi without an RTC steps its wall clock when NTP syncs, which would skew Date.now().
    const started = performance.now();
    const { outcome: out, suspect } = await submitPart(
      this.#o.channel,
      { promptMs: t.promptMs, cmgsMs: t.cmgsMs },
      pdu,
      tpduLength,
      options?.signal,
    );
    if (out.kind === "sent") this.#touch();
    else this.#health = { ...this.#health, lastError: out.text };
    this.#events.emit("outcome", out, (performance.now() - started) / 1000);
    if (suspect && out.kind !== "sent") void this.recover(`AT+CMGS: ${out.text}`);
    return out;
  }

  /** Lines from the modem unasked: a new one may be an indication left unacknowledged. */
  #traffic(): number {
    return this.#receiver.indications + this.#unclaimed;
  }

  /**
   * Whether a timed poll reads the details. An idle modem answers the same +COPS?, +CPMS? and
   * +CNMI? minute after minute: routing can only have been turned off after an indication went
   * unacknowledged (27.005 §3.4.4) and storage only fills through indications, so between two
   * details polls the signal and registration are enough, unless something arrived meanwhile.
   */
  #detailsDue(): boolean {
    const every = Math.max(1, this.#o.healthDetailsEvery ?? 5);
    return (
      this.#sinceDetails + 1 >= every ||
      this.#traffic() !== this.#trafficAtDetails ||
      this.#state !== "ready" ||
      this.#receiver.needsCnmi
    );
  }

  /**
   * Polls health now: signal, registration, operator, storage, new-message routing. A missing answer
   * starts the recovery ladder. `routine` (the timer's poll) reads operator, storage and routing only
   * when due (#detailsDue) or when the registration changed.
   */
  async refreshHealth(o: { routine?: boolean } = {}): Promise<ModemHealth> {
    if (this.#state !== "ready" && this.#state !== "degraded") return this.health();
    try {
      const traffic = this.#traffic();
      const due = this.#detailsDue();
      const known = this.#health.registration;
      const h = await pollHealth(
        this.#exec,
        this.#profile,
        this.#sms?.storages.receive ?? null,
        o.routine ? (registration) => due || registration !== known : undefined,
      );
      this.#health = {
        ...this.#health,
        signalDbm: h.signalDbm,
        registration: h.registration,
        ...(h.details && { operator: h.operator, storage: h.storage ?? this.#health.storage }),
      };
      const registered = h.registration === "home" || h.registration === "roaming";
      // A recovery may have started while the poll ran: leave its state alone.
      if (this.#state === "ready" || this.#state === "degraded")
        this.#setState(registered || h.registration === "unknown" ? "ready" : "degraded");
      if (this.#receiver.needsCnmi && this.#sms) {
        this.#receiver.needsCnmi = false;
        await this.#exec(this.#sms.cnmi.command);
      }
      // 27.005 §3.4.4: an indication left unacknowledged turns routing off silently (routing-check.ts).
      if (h.details && this.#sms && (await restoreRouting(this.#exec, this.#sms, this.#log)))
        this.#receiver.needsSweep = true;
      if (h.details) {
        this.#sinceDetails = 0;
        this.#trafficAtDetails = traffic;
      } else this.#sinceDetails++;
      if (this.#receiver.needsSweep) await this.#receiver.sweep();
    } catch (e) {
      const f = asChannelFailure(e);
      if (!f) throw e;
      void this.recover(`health poll: ${f.message}`);
    }
    return this.health();
  }

  #schedule(): void {
    const every = this.#o.healthIntervalMs ?? 60_000;
    if (every <= 0 || this.#stopped) return;
    this.#timer?.clear();
    this.#timer = this.#o.clock.setTimeout(() => {
      void this.refreshHealth({ routine: true })
        .catch((e: unknown) => this.#log.warn({ err: String(e) }, "health poll failed"))
        .finally(() => this.#schedule());
    }, every);
  }

  /** Climbs the recovery ladder once; concurrent callers share the same climb. */
  recover(reason: string): Promise<void> {
    if (this.#recovering) return this.#recovering;
    // Only a working modem climbs: a SIM waiting for its PIN/PUK is not cured by a reset, and a
    // failed or stopped one belongs to the supervisor.
    if (this.#stopped || (this.#state !== "ready" && this.#state !== "degraded")) return Promise.resolve();
    this.#setState("recovering");
    const ladder = climbLadder(
      reason,
      {
        ping: async () => (await this.#exec("AT", { timeoutMs: 2_000 })).final.kind === "ok",
        // runInit starts with ESC, which also leaves a stuck "> " prompt.
        reinit: async () => (await this.#init()) === "ready",
        reset: this.#profile.cfunReset
          ? async () => {
              await this.#exec("AT+CFUN=1,1", { timeoutMs: 15_000 }).catch(() => undefined);
              await this.#sleep(this.#profile.timeouts.resetMs);
              return (await this.#init()) === "ready";
            }
          : null,
        close: async (why) => {
          this.#fail(`recovery failed: ${why}`);
          await this.#o.channel.close();
        },
      },
      this.#log,
    );
    this.#recovering = ladder.then(async (res) => {
      this.#recovering = null;
      if (res.outcome === "recovered") {
        // Re-initialised: the next timed poll reads everything again.
        this.#sinceDetails = Number.POSITIVE_INFINITY;
        this.#setState("ready");
        await this.#receiver.sweep();
      }
    });
    return this.#recovering;
  }

  #fail(reason: string): void {
    if (this.#state === "failed" || this.#state === "stopped") return;
    this.#timer?.clear();
    this.#health = { ...this.#health, lastError: reason };
    this.#setState("failed");
    this.#events.emit("failed", reason);
    this.#failedResolve(reason);
  }

  /** Stops timers and URC handlers; closes the channel. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#timer?.clear();
    this.#receiver.detach();
    this.#setState("stopped");
    this.#failedResolve("stopped");
    await this.#o.channel.close().catch(() => undefined);
  }
}
