/**
 * Receiving: +CMT/+CDS (direct, acknowledged with +CNMA), +CMTI/+CDSI (stored: AT+CMGR, then
 * AT+CMGD), and the sweep of stored messages (AT+CMGL=4) at start and after a failed hand-over.
 *
 * Invariant: a message is acknowledged or deleted only after the onIncoming handler resolved, i.e.
 * after the store committed it. A handler that rejects leaves the message where it is: stored ones
 * are found again by the next sweep; a direct one gets a negative acknowledgement, so the network
 * keeps it and redelivers it later (27.005 §3.4.4, 24.011 RP-ERROR).
 *
 * Ownership: all receive work runs one task at a time on #queue, so reads, deletes and storage
 * switches of two indications never interleave.
 */
import type { AtChannelLike, AtUrc } from "../at/types.js";
import { asChannelFailure, type Exec } from "./command.js";
import type { LoggerLike } from "./log.js";
import {
  isHexPdu,
  parseCmglHeader,
  parseCmgrHeader,
  parseStoredIndication,
  pduMessageType,
} from "./parse.js";
import type { SmsSetup } from "./sms-setup.js";
import type { IncomingPdu } from "./types.js";

export type IncomingHandler = (pdu: IncomingPdu) => Promise<void>;

export interface ReceiverDeps {
  readonly channel: AtChannelLike;
  readonly exec: Exec;
  readonly log: LoggerLike;
  readonly setup: () => SmsSetup | null;
  /** Storage of +CDSI status reports for the sweep (profile statusReportStorage). */
  readonly statusReportStorage: () => string | null;
  /** A command failed for lack of an answer: the modem decides about recovery. */
  readonly onChannelFailure: (reason: string) => void;
}

export class Receiver {
  #handler: IncomingHandler | null = null;
  #open!: () => void;
  /** Indications that arrive during init wait here until the SMS setup is known (activate()). */
  #queue: Promise<void> = new Promise<void>((r) => {
    this.#open = r;
  });
  #offs: Array<() => void> = [];
  /** A stored message was left behind (handler failed or absent): sweep again. */
  needsSweep = false;
  /** A +CMT/+CDS went unacknowledged: the modem may have turned routing off (27.005 §3.4.4). */
  needsCnmi = false;

  constructor(private readonly d: ReceiverDeps) {}

  setHandler(h: IncomingHandler): void {
    this.#handler = h;
  }

  get hasHandler(): boolean {
    return this.#handler !== null;
  }

  attach(): void {
    const ch = this.d.channel;
    this.#offs.push(
      ch.onUrc({ prefix: "+CMT:", trailingLines: 1, handler: (u) => this.#direct(u, "deliver") }),
      ch.onUrc({ prefix: "+CDS:", trailingLines: 1, handler: (u) => this.#direct(u, "status-report") }),
      ch.onUrc({ prefix: "+CMTI:", handler: (u) => this.#stored(u) }),
      ch.onUrc({ prefix: "+CDSI:", handler: (u) => this.#stored(u) }),
    );
  }

  /** Init finished: queued and future receive work may run. */
  activate(): void {
    this.#open();
  }

  detach(): void {
    for (const off of this.#offs.splice(0)) off();
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task).catch((e: unknown) => {
      const f = asChannelFailure(e);
      this.d.log.warn({ err: String(e) }, "receive task failed");
      if (f && f.kind !== "aborted") this.d.onChannelFailure(`receive: ${f.message}`);
    });
    this.#queue = run;
    return run;
  }

  async #hand(pdu: IncomingPdu): Promise<boolean> {
    const h = this.#handler;
    if (!h) return false;
    try {
      await h(pdu);
      return true;
    } catch (e) {
      this.d.log.warn(
        { err: String(e), source: pdu.source },
        "incoming handler failed; message left in place",
      );
      return false;
    }
  }

  #direct(u: AtUrc, kind: IncomingPdu["kind"]): void {
    const pdu = u.trailing[0]?.trim() ?? "";
    if (!isHexPdu(pdu)) {
      this.d.log.warn({ line: u.line }, "direct indication without a PDU line; ignored");
      return;
    }
    void this.#enqueue(async () => {
      const ok = await this.#hand({
        kind,
        pdu: pdu.toUpperCase(),
        source: { via: kind === "deliver" ? "cmt" : "cds" },
      });
      if (!this.d.setup()?.cnmaActive) return;
      if (!ok) {
        // 27.005 §3.4.4: AT+CNMA=2 sends RP-ERROR (TP-FCS FF, unspecified, when no PDU is given):
        // the SMSC keeps the message and retries later, and routing stays on. Were that refused,
        // the modem turns routing off at the network timeout and the redelivery may land in
        // storage: restore +CNMI and sweep at the next health poll.
        const nack = await this.d.exec("AT+CNMA=2");
        if (nack.final.kind !== "ok") {
          this.needsCnmi = true;
          this.needsSweep = true;
        }
        return;
      }
      // 27.005 §3.4.4: in PDU mode a bare AT+CNMA (or =0) is the positive acknowledgement (RP-ACK).
      const r = await this.d.exec("AT+CNMA");
      if (r.final.kind !== "ok") this.d.log.warn({ final: r.final }, "AT+CNMA refused");
    });
  }

  #stored(u: AtUrc): void {
    const ind = parseStoredIndication(u.line);
    if (!ind) {
      this.d.log.warn({ line: u.line }, "unparseable stored-message indication");
      return;
    }
    void this.#enqueue(() => this.#withStorage(ind.storage, () => this.#readOne(ind.storage, ind.index)));
  }

  async #readOne(storage: string, index: number): Promise<void> {
    const r = await this.d.exec(`AT+CMGR=${index}`, { pduAfter: ["+CMGR:"], prefixes: ["+CMGR:"] });
    if (r.final.kind !== "ok") return; // +CMS ERROR: 321 (empty slot) or a race with the sweep.
    const at = r.lines.findIndex((l) => parseCmgrHeader(l) !== null);
    const pdu = at >= 0 ? r.lines[at + 1]?.trim() : undefined;
    if (!pdu || !isHexPdu(pdu)) return; // SIM800 answers a bare OK for an empty slot.
    await this.#handStored(storage, index, pdu);
  }

  async #handStored(storage: string, index: number, pdu: string): Promise<void> {
    const type = pduMessageType(pdu);
    if (type === "submit" || type === null) return; // an outgoing draft, not ours to take
    const ok = await this.#hand({
      kind: type,
      pdu: pdu.toUpperCase(),
      source: { via: "storage", storage, index },
    });
    if (!ok) {
      this.needsSweep = true;
      return;
    }
    const r = await this.d.exec(`AT+CMGD=${index}`);
    if (r.final.kind !== "ok")
      this.d.log.warn({ storage, index, final: r.final }, "AT+CMGD failed after commit");
  }

  /** Runs `fn` with <mem1> = storage, restoring the configured read storage afterwards. */
  async #withStorage(storage: string, fn: () => Promise<void>): Promise<void> {
    const home = this.d.setup()?.readStorage;
    if (!home || storage.toUpperCase() === home.toUpperCase()) return fn();
    const sel = await this.d.exec(`AT+CPMS="${storage}"`);
    if (sel.final.kind !== "ok") {
      this.d.log.warn({ storage }, "cannot select storage; message left for the next sweep");
      this.needsSweep = true;
      return;
    }
    try {
      await fn();
    } finally {
      await this.d.exec(`AT+CPMS="${home}"`);
    }
  }

  /** Lists every stored message (27.005 §3.4.2 AT+CMGL=4 "ALL") in each storage we use. */
  sweep(): Promise<void> {
    return this.#enqueue(async () => {
      const setup = this.d.setup();
      if (!setup || !this.#handler) {
        this.needsSweep = true;
        return;
      }
      this.needsSweep = false;
      const sr = setup.cnmi.statusReports === "cdsi" ? this.d.statusReportStorage() : null;
      const mems = [...new Set([setup.storages.receive, setup.storages.read, ...(sr ? [sr] : [])])];
      for (const mem of mems) await this.#withStorage(mem, () => this.#sweepOne(mem));
    });
  }

  async #sweepOne(storage: string): Promise<void> {
    const r = await this.d.exec("AT+CMGL=4", {
      pduAfter: ["+CMGL:"],
      prefixes: ["+CMGL:"],
      timeoutMs: 30_000,
    });
    if (r.final.kind !== "ok") return;
    for (let i = 0; i < r.lines.length; i++) {
      const h = parseCmglHeader(r.lines[i] ?? "");
      const pdu = r.lines[i + 1]?.trim();
      if (!h || !pdu || !isHexPdu(pdu)) continue;
      i++;
      // <stat> 2/3 are stored outgoing messages (27.005 §3.1): not received, leave them.
      if (h.stat === 2 || h.stat === 3) continue;
      await this.#handStored(storage, h.index, pdu);
    }
  }
}
