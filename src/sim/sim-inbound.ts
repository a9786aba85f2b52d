/**
 * Mobile-terminated routing inside the simulated modem, per the +CNMI settings (27.005 §3.4.1):
 * <mt>=0 store silently, 1 store + "+CMTI", 2/3 route directly as "+CMT: ,<len>" + PDU;
 * <ds>=1 "+CDS: <len>" + PDU, 2 store + "+CDSI". With +CSMS=1 a direct route must be acknowledged with
 * +CNMA (27.005 §3.4.4); without it before the network timeout the modem sets <mt> and <ds> to 0 and
 * the network tries again later (27.005 §3.4.1 note on acknowledgement, 24.011 RP-ERROR).
 * <mode>=0 keeps indications in the TA buffer until a later +CNMI with <mode> 1–3 flushes them.
 *
 * The acknowledgement timer and the network's retries run on the clock, not on the line: a host that
 * closes its port (a process killed between +CMT and +CNMA) leaves the modem waiting, and the next
 * process to open the port finds the message still unacknowledged, or routing already turned off.
 * Only a power cycle (reset()) forgets the pending acknowledgement.
 */
import type { SimModem } from "./sim-modem.js";
import type { Stat } from "./storage.js";

export interface InboundItem {
  readonly kind: "deliver" | "status-report";
  readonly pdu: string;
  readonly tpduLength: number;
  readonly meta: { readonly address?: string; readonly timestamp?: number; readonly text?: string };
}

export class SimInbound {
  #queue: InboundItem[] = [];
  #awaiting: InboundItem | null = null;
  #ackTimer: { clear(): void } | null = null;
  #taBuffer: string[][] = [];
  /** Everything routed or stored, in order (tests read it). */
  readonly history: Array<
    InboundItem & { route: "cmt" | "cds" | "stored"; storage?: string; index?: number }
  > = [];

  constructor(private readonly sim: SimModem) {}

  /** The network offers a message; it waits in the queue while the modem cannot take it. */
  offer(item: InboundItem): void {
    this.#queue.push(item);
    this.drain();
  }

  get pending(): number {
    return this.#queue.length + (this.#awaiting ? 1 : 0);
  }

  /** A +CMT/+CDS awaits AT+CNMA (27.005 §3.4.4). */
  get awaitingAck(): boolean {
    return this.#awaiting !== null;
  }

  /** Reboot: an unacknowledged message goes back to the network queue. */
  reset(): void {
    this.#ackTimer?.clear();
    this.#ackTimer = null;
    if (this.#awaiting) this.#queue.unshift(this.#awaiting);
    this.#awaiting = null;
    this.#taBuffer = [];
  }

  drain(): void {
    const st = this.sim.state;
    while (this.#queue.length && !this.#awaiting && st.powered && st.smsReady && st.cfun === 1) {
      const item = this.#queue[0]!;
      if (!this.#route(item)) {
        // Memory full (24.011 cause 22): the SMSC keeps the message and retries later.
        this.sim.later(this.sim.options.network.retryMs, () => this.drain());
        return;
      }
      this.#queue.shift();
    }
  }

  #indicate(lines: string[]): void {
    if (this.sim.state.cnmi[0] === 0) this.#taBuffer.push(lines);
    else this.sim.urc(lines);
  }

  /** +CNMI with <mode> 1–3: <bfr>=0 flushes the TA buffer, 1 clears it (27.005 §3.4.1). */
  cnmiChanged(): void {
    const [mode, , , , bfr] = this.sim.state.cnmi;
    if (mode === 0) return;
    const buf = this.#taBuffer;
    this.#taBuffer = [];
    if (bfr === 0) for (const l of buf) this.sim.urc(l);
    this.drain();
  }

  #route(item: InboundItem): boolean {
    const st = this.sim.state;
    const cls = item.kind === "deliver" ? messageClass(item.pdu) : null;
    // <mt>=2: everything but class 2 (SIM-specific) goes direct; <mt>=3: only class 3 does.
    const mt = st.cnmi[1];
    const direct =
      item.kind === "deliver" ? (mt === 2 && cls !== 2) || (mt === 3 && cls === 3) : st.cnmi[3] === 1;
    if (item.kind === "status-report" && st.cnmi[3] === 0) {
      this.history.push({ ...item, route: "stored", storage: "(discarded)" });
      return true; // <ds>=0: no status report is routed to the TE.
    }
    if (direct) {
      const alpha = this.sim.persona.pduAlpha;
      const head = item.kind === "deliver" ? `+CMT: ${alpha},${item.tpduLength}` : `+CDS: ${item.tpduLength}`;
      const text = st.cmgf === 1 && item.kind === "deliver" ? this.#textCmt(item) : [head, item.pdu];
      this.#indicate(text);
      this.history.push({ ...item, route: item.kind === "deliver" ? "cmt" : "cds" });
      if (st.csms === 1) this.#awaitAck(item);
      return true;
    }
    const mem = item.kind === "deliver" ? st.cpms[2] : this.sim.persona.srStorage;
    if (this.sim.fault("storage-full")) return false;
    const stat: Stat = 0;
    const index = this.sim.storage.store(mem, {
      stat,
      kind: item.kind,
      pdu: item.pdu,
      tpduLength: item.tpduLength,
      meta: item.meta,
    });
    if (index === null) return false;
    this.history.push({ ...item, route: "stored", storage: mem, index });
    if (item.kind === "deliver" && st.cnmi[1] >= 1) this.#indicate([`+CMTI: "${mem}",${index}`]);
    if (item.kind === "status-report" && st.cnmi[3] === 2) this.#indicate([`+CDSI: "${mem}",${index}`]);
    return true;
  }

  /** Text mode +CMT (27.005 §3.4.1 with +CSDH=0): +CMT: <oa>,[<alpha>],<scts> then the text. */
  #textCmt(item: InboundItem): string[] {
    return [`+CMT: "${item.meta.address ?? ""}",,"${scts(item.meta.timestamp ?? 0)}"`, item.meta.text ?? ""];
  }

  #awaitAck(item: InboundItem): void {
    this.#awaiting = item;
    const timeout = this.sim.options.cnmaTimeoutMs ?? 15_000;
    // On the clock, not sim.later(): the timer belongs to the modem's SMS relay, which keeps running
    // whether or not a host has the port open.
    this.#ackTimer = this.sim.clock.setTimeout(() => {
      if (this.#awaiting !== item) return;
      this.#awaiting = null;
      this.#ackTimer = null;
      // 27.005 §3.4.4: no +CNMA within the network timeout: RP-ERROR to the network, and the TA
      // disables routing to the TE by setting both <mt> and <ds> of +CNMI to 0.
      this.sim.state.cnmi[1] = 0;
      this.sim.state.cnmi[3] = 0;
      this.#redeliver(item);
    }, timeout);
  }

  /** After an RP-ERROR the SMSC keeps the message and offers it again (24.011, 23.040 §3.2.5). */
  #redeliver(item: InboundItem): void {
    // The network's timer, independent of the modem's line and of its reboots.
    this.sim.clock.setTimeout(() => this.offer(item), this.sim.options.network.retryMs);
  }

  /** AT+CNMA: true when an acknowledgement was expected (otherwise +CMS ERROR: 340). */
  ack(positive: boolean): boolean {
    const item = this.#awaiting;
    if (!item) return false;
    this.#ackTimer?.clear();
    this.#ackTimer = null;
    this.#awaiting = null;
    if (!positive) this.#redeliver(item);
    this.drain();
    return true;
  }
}

/** Text-mode time stamp "yy/MM/dd,hh:mm:ss+zz" (27.005 §3.1 <scts>), UTC. */
export function scts(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCFullYear() % 100)}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())},${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+00`;
}

/** Message class from the DCS of a PDU-mode SMS-DELIVER (23.038 §4), null when none is given. */
export function messageClass(pdu: string): number | null {
  const b = (i: number) => Number.parseInt(pdu.slice(i * 2, i * 2 + 2), 16);
  const oa = 1 + b(0) + 1; // after the SMSC field and the first octet
  const dcs = b(oa + 2 + Math.ceil(b(oa) / 2) + 1);
  if (Number.isNaN(dcs)) return null;
  if ((dcs & 0xc0) === 0 && dcs & 0x10) return dcs & 3;
  if ((dcs & 0xf0) === 0xf0) return dcs & 3;
  return null;
}
