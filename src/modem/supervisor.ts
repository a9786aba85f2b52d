/**
 * Per-port supervisor (zwave-js-server startDriverWithRetry): open transport → channel → Modem →
 * start; wait until the modem fails or the line drops; tear everything down; wait; start again.
 * Backoff doubles from 1 s to 60 s and resets after a start that reached a usable state. Objects are
 * single-use: nothing from a dead connection is reused, except what the registry keeps by identity.
 */
import { EventEmitter } from "node:events";
import type { AtChannelLike } from "../at/types.js";
import type { Clock } from "../clock.js";
import type { Transport, TransportFactory } from "../transport/types.js";
import { type LoggerLike, silentLogger } from "./log.js";
import { Modem, type ModemOptions } from "./modem.js";
import type { ModemRegistry, RegistryEntry } from "./registry.js";

export interface SupervisorOptions {
  readonly transportFactory: TransportFactory;
  /** Builds the AT channel; `log` is a child logger for this modem's AT traffic (trace level). */
  readonly channelFactory: (transport: Transport, log: LoggerLike) => AtChannelLike;
  readonly modemOptions: Omit<ModemOptions, "channel" | "clock" | "log" | "pinMemory">;
  readonly registry: ModemRegistry;
  readonly clock: Clock;
  readonly log?: LoggerLike;
  /** [100…600000] ms; defaults 1 000 and 60 000. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Fields added to the "modem down" warning, e.g. the Pi's under-voltage bit: an under-powered Pi
   * resets its USB bus when a modem transmits, and the operator should read that next to the drop. */
  readonly downNote?: () => Record<string, unknown>;
}

export interface SupervisorEvents {
  modem: [modem: Modem, entry: RegistryEntry];
  down: [reason: string, retryInMs: number];
}

export class ModemSupervisor extends EventEmitter<SupervisorEvents> {
  readonly #o: SupervisorOptions;
  readonly #log: LoggerLike;
  #current: Modem | null = null;
  #stopped = false;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  /** Number of connections opened so far. */
  opens = 0;

  constructor(o: SupervisorOptions) {
    super();
    this.#o = o;
    this.#log = (o.log ?? silentLogger).child({ mod: "supervisor", modem: o.modemOptions.configuredId });
  }

  get current(): Modem | null {
    return this.#current;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#current?.stop();
    await this.#loop;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = this.#o.clock.setTimeout(() => resolve(), ms);
      this.#wake = () => {
        t.clear();
        resolve();
      };
    });
  }

  async #run(): Promise<void> {
    const initial = this.#o.backoff?.initialMs ?? 1_000;
    const max = this.#o.backoff?.maxMs ?? 60_000;
    let delay = initial;
    while (!this.#stopped) {
      let transport: Transport | null = null;
      let channel: AtChannelLike | null = null;
      let reason = "unknown";
      try {
        transport = await this.#o.transportFactory();
        this.opens++;
        const base = this.#o.log ?? silentLogger;
        channel = this.#o.channelFactory(
          transport,
          base.child({ mod: "at", modem: this.#o.modemOptions.configuredId, port: transport.description }),
        );
        const modem = new Modem({
          ...this.#o.modemOptions,
          channel,
          clock: this.#o.clock,
          log: this.#o.log,
          pinMemory: this.#o.registry.pinMemory,
        });
        this.#current = modem;
        if (this.#stopped) break;
        const state = await modem.start();
        const entry = this.#o.registry.attach(modem, transport.description);
        this.emit("modem", modem, entry);
        if (state === "ready" || state === "pin-required" || state === "puk-required") delay = initial;
        const closed = transport.closed.then((c) => `transport closed (${c.reason})`);
        reason = await Promise.race([modem.failed, closed]);
      } catch (e) {
        reason = String(e instanceof Error ? e.message : e);
      } finally {
        await this.#current?.stop().catch(() => undefined);
        await channel?.close().catch(() => undefined);
        await transport?.close().catch(() => undefined);
        this.#current = null;
      }
      if (this.#stopped) break;
      this.#log.warn(
        { reason, retryInMs: delay, ...this.#o.downNote?.() },
        "modem down; reopening after backoff",
      );
      this.emit("down", reason, delay);
      await this.#sleep(delay);
      delay = Math.min(delay * 2, max);
    }
  }
}
