/**
 * Test doubles for the message engine: a manual clock and a scriptable ModemLike. The fake modem
 * keeps a log of what it transmitted, like the simulator's network log.
 */
import type { Clock } from "../../src/clock.js";
import type { IncomingPdu, ModemHealth, ModemLike, ModemState, SendOutcome } from "../../src/modem/types.js";
import { decodePdu } from "../../src/pdu/index.js";
import type { SubmitPdu } from "../../src/pdu/types.js";
import { encodeDeliver, encodeStatusReport } from "../../src/sim/pdu-lite.js";

export class ManualClock implements Clock {
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #id = 0;
  constructor(public t = Date.UTC(2026, 10, 26, 9, 0, 0)) {}
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): { clear(): void } {
    const id = ++this.#id;
    this.#timers.push({ at: this.t + Math.max(0, ms), fn, id });
    return { clear: () => (this.#timers = this.#timers.filter((x) => x.id !== id)) };
  }
  /** Advances time by `ms`, firing timers in order and letting promises settle in between. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.#timers[0];
      if (!next || next.at > end) break;
      this.#timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/** Lets pending promise chains and immediates run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

export interface Transmission {
  readonly pdu: string;
  readonly mr: number;
  readonly decoded: SubmitPdu;
  readonly at: number;
}

export class FakeModem implements ModemLike {
  state: ModemState = "ready";
  readonly sent: Transmission[] = [];
  /** Outcome to return for the next submissions; when empty the part is transmitted. */
  readonly script: (SendOutcome | "transmit")[] = [];
  /** Per-recipient override (e.g. a number that always fails). */
  respond: ((d: SubmitPdu) => SendOutcome | undefined) | undefined;
  /** ms of simulated latency per part (uses the clock). */
  latencyMs = 0;
  #mr = 0;
  #handler: ((p: IncomingPdu) => Promise<void>) | null = null;
  readonly acked: string[] = [];

  constructor(
    readonly id: string,
    readonly clock: Clock,
  ) {}
  get identity() {
    return { profile: "fake", imei: this.id.replace(/^imei:/, "") };
  }
  health(): ModemHealth {
    return {
      state: this.state,
      signalDbm: -70,
      registration: "home",
      operator: "fake",
      storage: null,
      lastSuccessAt: null,
      lastError: null,
    };
  }
  /** The PDU of the submission in progress (for `respond`). */
  lastPdu: string | undefined;
  async sendPart(pdu: string, _len: number): Promise<SendOutcome> {
    if (this.latencyMs > 0) await new Promise<void>((r) => this.clock.setTimeout(r, this.latencyMs));
    this.lastPdu = pdu;
    const decoded = decodePdu(pdu, { smsc: true }) as SubmitPdu;
    const scripted = this.script.shift();
    const o = scripted === "transmit" ? undefined : (scripted ?? this.respond?.(decoded));
    if (o) return o;
    const mr = this.#mr++ % 256;
    this.sent.push({ pdu, mr, decoded, at: this.clock.now() });
    return { kind: "sent", mr };
  }
  onIncoming(handler: (p: IncomingPdu) => Promise<void>): void {
    this.#handler = handler;
  }
  /** Hands a PDU to the engine like +CMT would; records the ack only when the handler resolved. */
  async deliver(pdu: string, kind: IncomingPdu["kind"] = "deliver"): Promise<void> {
    if (!this.#handler) throw new Error("no incoming handler");
    await this.#handler({ kind, pdu, source: { via: kind === "deliver" ? "cmt" : "cds" } });
    this.acked.push(pdu);
  }
}

export function deliverPdu(o: {
  from: string;
  text: string;
  at: number;
  concat?: { ref: number; total: number; seq: number; refBits: 8 | 16 };
  coding?: "gsm7" | "ucs2";
}): string {
  return encodeDeliver({
    from: o.from,
    smsc: "+33609001390",
    timestamp: o.at,
    coding: o.coding ?? "gsm7",
    text: o.text,
    ...(o.concat ? { concat: o.concat } : {}),
  }).pdu;
}

export function reportPdu(o: { mr: number; recipient: string; at: number; status: number }): string {
  return encodeStatusReport({
    mr: o.mr,
    recipient: o.recipient,
    smsc: "+33609001390",
    submittedAt: o.at - 5000,
    dischargedAt: o.at,
    status: o.status,
  }).pdu;
}
