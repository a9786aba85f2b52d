/**
 * The simulated modem, attached to the device end of a byte stream (transport/memory.ts, or
 * socat's stdio for the pty server): its state, power and boot like the persona, timers that a
 * power cycle cancels, output (result codes, URCs) and faults. The command line itself (framing,
 * echo, the "> " prompt, URCs held while a command runs) is sim-line.ts; the commands are
 * sim-commands-*.ts.
 */
import type { Clock } from "../clock.js";
import type { Transport } from "../transport/types.js";
import { FaultState } from "./fault-state.js";
import type { Fault } from "./faults.js";
import type { SubmitLite } from "./pdu-lite.js";
import type { Persona, PersonaTimings } from "./personas.js";
import { type Rng, rngInt } from "./prng.js";
import { basicCommands } from "./sim-commands-basic.js";
import { smsCommands } from "./sim-commands-sms.js";
import { SimInbound } from "./sim-inbound.js";
import { Aborted, SimLine } from "./sim-line.js";
import { formatFinal, formatInfo, garbageBytes, noiseUrc, registrationUrcs } from "./sim-output.js";
import {
  type Final,
  type Handler,
  initialState,
  type SimBehavior,
  type SimIdentity,
  type SimModemOptions,
  type SimState,
} from "./sim-types.js";
import { SimStorage } from "./storage.js";

const enc = new TextEncoder();

export type { NetworkPort, SimIdentity, SimModemOptions } from "./sim-types.js";

export class SimModem {
  readonly persona: Persona;
  readonly identity: SimIdentity;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly timings: PersonaTimings;
  readonly storage: SimStorage;
  readonly inbound: SimInbound;
  state: SimState;
  pin: string | undefined;
  readonly puk: string;
  pinTries = 3;
  pukTries = 10;
  smsc: string;
  mr: number;
  /** TE character set (27.007 §5.5 +CSCS); recorded, text mode still reads UTF-8. */
  cscs = "IRA";
  readonly faultState: FaultState;
  /** The last unexpected error thrown by a behaviour or handler (answered with ERROR). */
  lastError: unknown = null;
  #device: Transport | null = null;
  #behaviors: SimBehavior<SimModem>[] = [];
  #handlers: Record<string, Handler>;
  readonly #line: SimLine;
  #gen = 0;
  #timers = new Set<{ clear(): void }>();
  #closed = false;
  #attached = false;
  #powerCycle = false;

  constructor(readonly options: SimModemOptions) {
    this.persona = options.persona;
    this.identity = options.identity;
    this.clock = options.clock;
    this.rng = options.rng;
    this.timings = options.timings;
    this.storage = new SimStorage(this.persona.storages, this.persona.indexBase);
    this.pin = options.pin;
    this.puk = options.puk ?? "12345678";
    this.smsc = options.smsc;
    this.mr = rngInt(this.rng, 0, 255);
    this.state = initialState(this.persona, this.pin !== undefined, this.clock.now());
    this.inbound = new SimInbound(this);
    this.faultState = new FaultState(() => this.clock.now());
    this.#handlers = { ...basicCommands(this), ...smsCommands(this) };
    this.#line = new SimLine(
      this,
      this.#handlers,
      () => this.#behaviors,
      () => this.#gen,
    );
    for (const f of options.faults ?? []) this.setFault(f);
  }

  /** Connects the device end of a byte stream and powers the modem on. */
  attach(device: Transport): void {
    const first = !this.#attached;
    this.#attached = true;
    this.#device = device;
    this.#closed = false;
    device.onData((chunk) => this.#onData(chunk));
    void device.closed.then(() => {
      if (this.#device === device) this.#dispose();
    });
    if (first) {
      if (this.options.booted) this.#bootNow(true);
      else this.powerOn(0);
      return;
    }
    // Re-attach after the line dropped (a USB reset) powers the modem on again; re-attach after the
    // host merely closed its port finds the modem running with its settings, like reopening a tty.
    if (this.#powerCycle || !this.state.powered || !this.state.smsReady) {
      this.#powerCycle = false;
      this.powerOn(0);
      return;
    }
    this.#line.reopen();
    // The SMS relay is untouched: a +CMT still awaiting +CNMA keeps its network timer (27.005 §3.4.4).
    this.#scheduleNoise();
    this.inbound.drain();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get commandNames(): string[] {
    return Object.keys(this.#handlers);
  }

  defineBehavior(b: SimBehavior<SimModem>): () => void {
    this.#behaviors.unshift(b);
    return () => {
      this.#behaviors = this.#behaviors.filter((x) => x !== b);
    };
  }

  setFault(f: Fault): void {
    this.faultState.set(f);
  }

  clearFaults(kind?: Fault["kind"]): void {
    this.faultState.clear(kind);
  }

  get faults(): readonly Fault[] {
    return this.faultState.list;
  }

  fault<K extends Fault["kind"]>(kind: K): Extract<Fault, { kind: K }> | undefined {
    return this.faultState.get(kind);
  }

  removeFault(f: Fault): void {
    this.faultState.remove(f);
  }

  get simBusy(): boolean {
    return this.faultState.simBusy;
  }

  // ---- timing -------------------------------------------------------------------------------

  /** Runs `fn` after `ms` (scaled by the "slow" fault) unless the modem rebooted or closed meanwhile. */
  later(ms: number, fn: () => void): void {
    const gen = this.#gen;
    const t = this.clock.setTimeout(() => {
      this.#timers.delete(t);
      if (gen === this.#gen && !this.#closed) fn();
    }, this.faultState.scale(ms));
    this.#timers.add(t);
  }

  /** Awaitable delay; throws Aborted (caught by the input loop) when the modem rebooted meanwhile. */
  async sleep(ms: number): Promise<void> {
    const gen = this.#gen;
    await new Promise<void>((resolve) => {
      const t = this.clock.setTimeout(() => {
        this.#timers.delete(t);
        resolve();
      }, this.faultState.scale(ms));
      this.#timers.add(t);
    });
    if (gen !== this.#gen || this.#closed) throw new Aborted();
  }

  // ---- power ----------------------------------------------------------------------------------

  /** Power cycle: silent for `offMs`, then the persona's boot sequence. Storage survives. */
  powerOn(offMs: number): void {
    this.#gen++;
    this.#line.reset();
    this.inbound.reset();
    this.state = initialState(this.persona, this.pin !== undefined, this.clock.now());
    this.later(offMs + this.timings.bootMs, () => this.#bootNow(false));
  }

  #bootNow(quiet: boolean): void {
    this.state.powered = true;
    this.state.bootedAt = this.clock.now();
    this.faultState.booted();
    if (quiet) {
      this.state.smsReady = this.state.pin === "ready";
      this.state.reg = 1;
    } else {
      for (const u of this.persona.bootUrcs) this.urc([u]);
      if (this.state.pin === "pin") this.urc(["+CPIN: SIM PIN"]);
      else this.simUnlocked();
      this.later(this.timings.registerMs, () => this.setRegistration(1));
    }
    this.#scheduleNoise();
  }

  /** SIM became ready (at boot or after +CPIN): "+CPIN: READY", then SMS ready after a delay. */
  simUnlocked(): void {
    if (this.persona.cpinUrc) this.urc(["+CPIN: READY"]);
    this.later(this.timings.smsReadyMs, () => {
      this.state.smsReady = true;
      for (const u of this.persona.readyUrcs) this.urc([u]);
      this.inbound.drain();
    });
  }

  setRegistration(stat: 0 | 1 | 2): void {
    if (this.state.reg === stat) return;
    this.state.reg = stat;
    for (const u of registrationUrcs(this.state, this.persona.lte, stat)) this.urc([u]);
  }

  #scheduleNoise(): void {
    const p = this.persona;
    if (!p.noise.length || !this.timings.noiseMs) return;
    this.later(this.timings.noiseMs, () => {
      if (this.state.curc) {
        this.urc([noiseUrc(p, rngInt(this.rng, 0, p.noise.length - 1))]);
      }
      this.#scheduleNoise();
    });
  }

  // ---- output ---------------------------------------------------------------------------------

  /** Writes raw bytes to the line (used by behaviours too). */
  writeRaw(data: string | Uint8Array): void {
    if (!this.#device || this.#closed) return;
    void this.#device.write(typeof data === "string" ? enc.encode(data) : data).catch(() => {});
  }

  #garbage(): void {
    const g = this.fault("garbage");
    if (g && this.rng() < g.probability) this.writeRaw(garbageBytes(this.rng));
  }

  /** Information text (V.250 §5.7.1). */
  writeInfo(lines: readonly string[]): void {
    if (!lines.length) return;
    this.#garbage();
    this.writeRaw(formatInfo(lines, this.state.verbose));
  }

  /** Final result code (V.250 §5.7.2, 27.007 §9.1 +CMEE, 27.005 §3.2.5 +CMS ERROR). */
  writeFinal(f: Final): void {
    const text = formatFinal(f, this.state);
    if (text === null) return;
    this.#garbage();
    this.writeRaw(text);
  }

  /** Emits an unsolicited result (first line plus trailing lines, e.g. the PDU after +CMT). */
  urc(lines: readonly string[]): void {
    if (!this.state.powered || this.#closed) return;
    this.#line.urc(`\r\n${lines.join("\r\n")}\r\n`);
  }

  /** Closes the line (fault "drop"): the driver side sees the transport end as if unplugged. */
  dropLine(): void {
    this.#powerCycle = true;
    void this.#device?.close();
  }

  #dispose(): void {
    this.#closed = true;
    this.#gen++;
    for (const t of this.#timers) t.clear();
    this.#timers.clear();
  }

  // ---- input ----------------------------------------------------------------------------------

  #onData(chunk: Uint8Array): void {
    if (!this.state.powered || this.#closed) return;
    this.#line.push(chunk);
  }

  /** Behaviours of type onSubmit, newest first; true when one handled the submit. */
  async submitBehaviors(submit: SubmitLite, pdu: string): Promise<boolean> {
    for (const b of this.#behaviors) if (await b.onSubmit?.(this, submit, pdu)) return true;
    return false;
  }
}
