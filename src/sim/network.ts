/**
 * A virtual network with one fake SMSC, joining simulated modems by MSISDN. Submitted messages go
 * to another simulated modem (SMS-DELIVER with the same TP-UD, 23.040 §9.2.3.24) or to a virtual
 * phone outside the network; status reports (23.040 §9.2.2.3) follow when TP-SRR was set, carrying
 * the MR the modem assigned. Every submit is written to `log`, so a test can prove that nothing was
 * sent twice.
 */
import { type Clock, systemClock } from "../clock.js";
import {
  encodeDeliver,
  encodeStatusReport,
  type LiteCoding,
  type SubmitLite,
  type UserData,
} from "./pdu-lite.js";
import { splitText } from "./pdu-split.js";
import { mulberry32, type Rng, rngInt } from "./prng.js";
import type { NetworkPort, SimModem } from "./sim-modem.js";

export interface NetworkLogEntry {
  readonly at: number;
  /** Sender MSISDN and IMEI. */
  readonly modem: string;
  readonly imei: string;
  readonly mr: number | null;
  readonly to: string;
  readonly text: string;
  readonly coding: LiteCoding;
  readonly concat?: SubmitLite["concat"];
  readonly srr: boolean;
  readonly pdu: string;
  /** accepted: the SMSC took it; refused: a +CMS error was returned, nothing was sent. */
  readonly outcome: "accepted" | "refused";
  readonly cms?: number;
}

/** How a phone outside the network behaves. */
export interface VirtualPhone {
  /** delivered (TP-ST 0x00), fail (0x41 permanent), never (no status report at all). */
  readonly delivery?: "delivered" | "fail" | "never";
  /** Answer every complete message with this text, after `replyDelayMs`. */
  readonly reply?: string;
  readonly replyDelayMs?: number;
}

export type StatusName = "delivered" | "failed" | "expired" | "pending";
/** 23.040 §9.2.3.15 TP-ST: 0x00 received, 0x41 incompatible destination, 0x46 expired, 0x20 congestion. */
export const TP_ST: Readonly<Record<StatusName, number>> = {
  delivered: 0x00,
  failed: 0x41,
  expired: 0x46,
  pending: 0x20,
};

export interface InjectOptions {
  readonly to: string;
  readonly from: string;
  readonly text?: string;
  /** Raw PDU-mode SMS-DELIVER hex (SMSC field first), delivered verbatim. */
  readonly pdu?: string;
  readonly coding?: LiteCoding;
  readonly parts?: number;
  /** Delivery order of the parts as 1-based sequence numbers, e.g. [2, 1, 3]; may repeat parts. */
  readonly order?: readonly number[];
  readonly refBits?: 8 | 16;
  readonly delayMs?: number;
}

export interface NetworkOptions {
  readonly clock?: Clock;
  readonly seed?: number;
  readonly smsc?: string;
  /** SMSC to handset delay for loopback and virtual phones, default 2000 ms. */
  readonly deliveryDelayMs?: number;
  /** Delay from delivery to the status report, default 3000 ms. */
  readonly statusReportDelayMs?: number;
  /** Redelivery interval for messages a modem could not take, default 30000 ms. */
  readonly retryMs?: number;
}

const digits = (s: string) => s.replace(/\D/g, "").replace(/^00/, "");
/** Same subscriber: equal digits, or equal last 9 digits when one side is national. */
export function sameNumber(a: string, b: string): boolean {
  const x = digits(a);
  const y = digits(b);
  return x === y || (x.length >= 9 && y.length >= 9 && x.slice(-9) === y.slice(-9));
}

export class SimNetwork implements Omit<NetworkPort, "submit" | "refused"> {
  readonly clock: Clock;
  readonly smsc: string;
  readonly retryMs: number;
  readonly log: NetworkLogEntry[] = [];
  /** Messages received by virtual phones, by number. */
  readonly phoneInbox = new Map<string, Array<{ from: string; text: string; at: number }>>();
  readonly #modems = new Set<SimModem>();
  readonly #phones = new Map<string, VirtualPhone>();
  readonly #rng: Rng;
  readonly #deliveryMs: number;
  readonly #srMs: number;
  #ref: number;

  constructor(opts: NetworkOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.smsc = opts.smsc ?? "+33609001390";
    this.retryMs = opts.retryMs ?? 30_000;
    this.#deliveryMs = opts.deliveryDelayMs ?? 2000;
    this.#srMs = opts.statusReportDelayMs ?? 3000;
    this.#rng = mulberry32(opts.seed ?? 1);
    this.#ref = rngInt(this.#rng, 0, 255);
  }

  /** The NetworkPort a modem talks to. */
  portFor(): NetworkPort {
    return {
      retryMs: this.retryMs,
      submit: (m, s, pdu, mr) => this.#submit(m, s, pdu, mr),
      refused: (m, s, pdu, code) => this.#record(m, s, pdu, null, "refused", code),
    };
  }

  register(modem: SimModem): () => void {
    this.#modems.add(modem);
    return () => this.#modems.delete(modem);
  }

  modemByNumber(n: string): SimModem | undefined {
    for (const m of this.#modems) if (sameNumber(m.identity.msisdn, n)) return m;
    return undefined;
  }

  /** Configures a phone outside the network (default: delivers, never replies). */
  phone(number: string, behaviour: VirtualPhone): void {
    this.#phones.set(digits(number), behaviour);
  }

  #after(ms: number, fn: () => void): void {
    this.clock.setTimeout(fn, ms);
  }

  #record(
    m: SimModem,
    s: SubmitLite,
    pdu: string,
    mr: number | null,
    outcome: "accepted" | "refused",
    cms?: number,
  ) {
    this.log.push({
      at: this.clock.now(),
      modem: m.identity.msisdn,
      imei: m.identity.imei,
      mr,
      to: s.to,
      text: s.text,
      coding: s.coding,
      ...(s.concat ? { concat: s.concat } : {}),
      srr: s.srr,
      pdu,
      outcome,
      ...(cms !== undefined ? { cms } : {}),
    });
  }

  #submit(from: SimModem, s: SubmitLite, pdu: string, mr: number): void {
    this.#record(from, s, pdu, mr, "accepted");
    const submittedAt = this.clock.now();
    const target = this.modemByNumber(s.to);
    const report = (status: number) => {
      if (!s.srr) return;
      this.#after(this.#srMs, () => this.#statusReport(from, mr, s.to, status, submittedAt));
    };
    this.#after(this.#deliveryMs, () => {
      if (target) {
        this.#deliverUd(target, from.identity.msisdn, s, s.srr);
        report(TP_ST.delivered);
        return;
      }
      const phone = this.#phones.get(digits(s.to)) ?? {};
      if (phone.delivery === "fail") return report(TP_ST.failed);
      if (phone.delivery === "never") return;
      const box = this.phoneInbox.get(s.to) ?? [];
      box.push({ from: from.identity.msisdn, text: s.text, at: this.clock.now() });
      this.phoneInbox.set(s.to, box);
      report(TP_ST.delivered);
      const last = !s.concat || s.concat.seq === s.concat.total;
      if (phone.reply !== undefined && last)
        this.inject({
          to: from.identity.msisdn,
          from: s.to,
          text: phone.reply,
          delayMs: phone.replyDelayMs ?? 1000,
        });
    });
  }

  #deliverUd(target: SimModem, from: string, ud: UserData, sri = false): void {
    const timestamp = this.clock.now();
    const { pdu, tpduLength } = encodeDeliver({ ...ud, from, smsc: this.smsc, timestamp, sri });
    target.inbound.offer({
      kind: "deliver",
      pdu,
      tpduLength,
      meta: { address: from, timestamp, text: ud.text },
    });
  }

  #statusReport(to: SimModem, mr: number, recipient: string, status: number, submittedAt: number): void {
    const { pdu, tpduLength } = encodeStatusReport({
      mr,
      recipient,
      smsc: this.smsc,
      submittedAt,
      dischargedAt: this.clock.now(),
      status,
    });
    to.inbound.offer({ kind: "status-report", pdu, tpduLength, meta: { address: recipient, text: "" } });
  }

  /** Delivers an inbound message to a simulated modem (multi-part, reordered or duplicated on request). */
  inject(o: InjectOptions): void {
    const target = this.modemByNumber(o.to);
    if (!target) throw new Error(`no simulated modem with number ${o.to}`);
    const delay = o.delayMs ?? 0;
    if (o.pdu !== undefined) {
      const pdu = o.pdu.toUpperCase();
      if (!/^([0-9A-F]{2})+$/.test(pdu)) throw new Error("pdu must be an even-length hex string");
      const tpduLength = pdu.length / 2 - 1 - Number.parseInt(pdu.slice(0, 2), 16);
      this.#after(delay, () =>
        target.inbound.offer({ kind: "deliver", pdu, tpduLength, meta: { address: o.from } }),
      );
      return;
    }
    this.#ref = (this.#ref + 1) % (o.refBits === 16 ? 65536 : 256);
    const parts = splitText(o.text ?? "", {
      ...(o.coding ? { coding: o.coding } : {}),
      ...(o.parts ? { parts: o.parts } : {}),
      ref: this.#ref,
      refBits: o.refBits ?? 8,
    });
    const order = o.order ?? parts.map((_, i) => i + 1);
    for (const seq of order) {
      const part = parts[seq - 1];
      if (!part) throw new Error(`order names part ${seq}, the message has ${parts.length}`);
    }
    this.#after(delay, () => {
      for (const seq of order) this.#deliverUd(target, o.from, parts[seq - 1]!);
    });
  }

  /** Sends a status report to a simulated modem, as the SMSC would for message reference `mr`. */
  injectStatusReport(o: {
    to: string;
    mr: number;
    recipient?: string;
    status: StatusName | number;
    delayMs?: number;
  }): void {
    const target = this.modemByNumber(o.to);
    if (!target) throw new Error(`no simulated modem with number ${o.to}`);
    const status = typeof o.status === "number" ? o.status : TP_ST[o.status];
    const recipient =
      o.recipient ??
      this.log.findLast((e) => e.mr === o.mr && e.modem === target.identity.msisdn)?.to ??
      "+33600000000";
    const at = this.clock.now();
    this.#after(o.delayMs ?? 0, () => this.#statusReport(target, o.mr & 0xff, recipient, status, at));
  }
}
