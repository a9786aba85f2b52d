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
import type { AtChannelLike, AtResponse, AtUrc } from "../at/types.js";
import type { Clock } from "../clock.js";
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
  /** Timer for the retry sweep after a failed read; without it the next health poll sweeps. */
  readonly clock?: Clock;
  /** The modem can take commands (not recovering, failed or stopped); else its own sweep follows. */
  readonly canSweep?: () => boolean;
}

/** First delay and cap of the retry sweep after a read failed (SIM busy lasts seconds, 27.005 314). */
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 60_000;

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
  /** New-message indications seen so far (+CMT, +CDS, +CMTI, +CDSI), parseable or not. */
  indications = 0;
  #retryTimer: { clear(): void } | null = null;
  #retryMs = 0;
  /** A failed read was logged: the next ones are not, until a sweep reads every storage again. */
  #warned = false;

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
    this.#retryTimer?.clear();
    this.#retryTimer = null;
  }

  /**
   * A read of stored messages failed with a final result (+CMS ERROR: 314 SIM busy, 302 not
   * allowed yet, 500…): the messages stay on the SIM and no new +CMTI will name them again, so
   * sweep with AT+CMGL on a backoff (2 s, 4 s … 60 s) until one sweep reads every storage.
   */
  #sweepLater(what: string, r: AtResponse): void {
    this.needsSweep = true;
    if (!this.#warned) {
      this.#warned = true;
      this.d.log.warn({ final: r.final }, `${what} failed; stored messages will be swept again`);
    }
    const clock = this.d.clock;
    if (!clock || this.#retryTimer || this.#offs.length === 0) return;
    this.#retryMs = Math.min(RETRY_MAX_MS, this.#retryMs ? this.#retryMs * 2 : RETRY_FIRST_MS);
    this.#retryTimer = clock.setTimeout(() => {
      this.#retryTimer = null;
      if (this.needsSweep && (this.d.canSweep?.() ?? true)) void this.sweep();
    }, this.#retryMs);
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
    this.indications++;
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
    this.indications++;
    const ind = parseStoredIndication(u.line);
    if (!ind) {
      this.d.log.warn({ line: u.line }, "unparseable stored-message indication");
      return;
    }
    void this.#enqueue(() => this.#withStorage(ind.storage, () => this.#readOne(ind.storage, ind.index)));
  }

  async #readOne(storage: string, index: number): Promise<void> {
    const r = await this.d.exec(`AT+CMGR=${index}`, { pduAfter: ["+CMGR:"], prefixes: ["+CMGR:"] });
    // 27.005 §3.2.5 321 "invalid memory index": the slot is empty (a sweep took it first). Any other
    // error leaves the message on the SIM with no indication to come: sweep for it later.
    if (r.final.kind === "cms" && r.final.code === 321) return;
    if (r.final.kind !== "ok") return this.#sweepLater(`AT+CMGR=${index} (${storage})`, r);
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
    if (sel.final.kind !== "ok") return this.#sweepLater(`AT+CPMS="${storage}"`, sel);
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
      if (this.needsSweep) return;
      // Every storage was read: the next failure starts a new backoff and is logged again.
      this.#retryTimer?.clear();
      this.#retryTimer = null;
      this.#retryMs = 0;
      this.#warned = false;
    });
  }

  async #sweepOne(storage: string): Promise<void> {
    const r = await this.d.exec("AT+CMGL=4", {
      pduAfter: ["+CMGL:"],
      prefixes: ["+CMGL:"],
      timeoutMs: 30_000,
    });
    if (r.final.kind !== "ok") return this.#sweepLater(`AT+CMGL=4 (${storage})`, r);
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
