/**
 * An instant modem for the campaign: it takes each PDU at once and logs it, decoded with the
 * project's codec (src/pdu), in one log shared by all the campaign's modems. Every entry and every
 * world event applied by the run draws from one counter (`Ticks`), which orders a STOP and a
 * send that share a millisecond: a PDU handed to a modem before the STOP arrived is no violation,
 * one handed after it is (docs/compliance.md: a message already handed to a modem cannot be recalled).
 */
import type { Clock } from "../../src/clock.js";
import type { IncomingPdu, ModemHealth, ModemLike, SendOutcome } from "../../src/modem/types.js";
import { decodePdu } from "../../src/pdu/index.js";
import type { SubmitPdu } from "../../src/pdu/types.js";
import type { Transmission } from "./campaign-checker.js";

export class Ticks {
  #n = 0;
  next(): number {
    return ++this.#n;
  }
}

export class CampaignModem implements ModemLike {
  readonly identity = { profile: "campaign" };
  #mr = 0;
  #handler: ((p: IncomingPdu) => Promise<void>) | null = null;

  constructor(
    readonly id: string,
    readonly clock: Clock,
    readonly ticks: Ticks,
    readonly log: Transmission[],
  ) {}

  health(): ModemHealth {
    return {
      state: "ready",
      signalDbm: -70,
      registration: "home",
      operator: "campaign",
      storage: null,
      lastSuccessAt: null,
      lastError: null,
    };
  }

  async sendPart(pdu: string): Promise<SendOutcome> {
    const d = decodePdu(pdu, { smsc: true }) as SubmitPdu;
    this.log.push({
      pdu,
      at: this.clock.now(),
      tick: this.ticks.next(),
      recipient: d.recipient.number,
      text: d.text ?? "",
    });
    return { kind: "sent", mr: this.#mr++ % 256 };
  }

  onIncoming(handler: (p: IncomingPdu) => Promise<void>): void {
    this.#handler = handler;
  }

  /** Hands an SMS-DELIVER to the engine as +CMT would; resolves once the ingest committed. */
  async deliver(pdu: string): Promise<void> {
    if (!this.#handler) throw new Error("no incoming handler");
    await this.#handler({ kind: "deliver", pdu, source: { via: "cmt" } });
  }
}
