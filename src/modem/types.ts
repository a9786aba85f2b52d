/**
 * Contract between the modem layer (src/modem) and the message engine (src/queue, src/store).
 * The modem layer moves PDUs as hex strings; decoding belongs to the engine (src/pdu).
 */

/** How CMS errors are grouped for the send policy (27.005 §3.2.5 plus vendor codes). */
export type RejectCategory = "retry-later" | "permanent" | "modem-fault";

/** Typed outcome of one AT+CMGS. The modem layer never resends. */
export type SendOutcome =
  | { readonly kind: "sent"; readonly mr: number }
  | {
      readonly kind: "rejected";
      readonly code: number | null;
      readonly category: RejectCategory;
      readonly text: string;
    }
  /** Certainly not transmitted: no prompt, modem not ready, transport closed before the PDU. */
  | {
      readonly kind: "not-sent";
      readonly reason: "no-prompt" | "not-ready" | "closed" | "aborted";
      readonly text: string;
    }
  /** The PDU went out and no answer came back: it may or may not have been sent. */
  | { readonly kind: "unknown"; readonly reason: "timeout" | "closed-after-pdu"; readonly text: string };

/** A PDU received from the network, not yet acknowledged or deleted. */
export interface IncomingPdu {
  /** "deliver" for SMS-DELIVER, "status-report" for SMS-STATUS-REPORT (from +CDS/+CDSI/SR storage). */
  readonly kind: "deliver" | "status-report";
  /** Hex with the SMSC field first, as the modem printed it. */
  readonly pdu: string;
  /** Where it came from: a direct URC or a storage slot (which is deleted only after the handler commits). */
  readonly source:
    | { readonly via: "cmt" | "cds" }
    | { readonly via: "storage"; readonly storage: string; readonly index: number };
}

/** Every state a Modem can be in; the HTTP schema, the metrics and the adapters list these. */
export const MODEM_STATES = [
  "starting",
  "ready",
  "degraded",
  "recovering",
  "pin-required",
  "puk-required",
  "failed",
  "stopped",
] as const;

export type ModemState = (typeof MODEM_STATES)[number];

export interface ModemIdentity {
  readonly manufacturer?: string;
  readonly model?: string;
  readonly revision?: string;
  readonly imei?: string;
  readonly iccid?: string;
  readonly imsi?: string;
  /** Profile id from drivers/ that was chosen. */
  readonly profile: string;
}

export interface ModemHealth {
  readonly state: ModemState;
  /** dBm from +CSQ (or the LTE variant), null when unknown (+CSQ: 99). */
  readonly signalDbm: number | null;
  readonly registration: "home" | "roaming" | "searching" | "denied" | "not-registered" | "unknown";
  readonly operator: string | null;
  readonly storage: { readonly used: number; readonly total: number } | null;
  /** ms since epoch of the last command that succeeded. */
  readonly lastSuccessAt: number | null;
  readonly lastError: string | null;
}

export interface ModemLike {
  /** Stable identifier: "imei:<IMEI>" (falls back to the configured id while unknown). */
  readonly id: string;
  readonly identity: ModemIdentity | null;
  health(): ModemHealth;
  /** Sends one part. `tpduLength` is the AT+CMGS length (TPDU octets without the SMSC field). */
  sendPart(pdu: string, tpduLength: number, options?: { signal?: AbortSignal }): Promise<SendOutcome>;
  /**
   * The handler must durably store the PDU and resolve; only then does the modem acknowledge
   * (+CNMA) or delete (AT+CMGD) it. If the handler rejects, the PDU is left where it is.
   */
  onIncoming(handler: (pdu: IncomingPdu) => Promise<void>): void;
}
