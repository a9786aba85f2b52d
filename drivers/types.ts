/**
 * Per-model modem knowledge as typed data plus pure hooks (ModemManager plugin style). A profile
 * does no I/O: src/modem/ owns the AT traffic and reads these fields to decide what to send.
 */

/** USB identity of the AT port (herdsman USB_FINGERPRINTS style). Hex strings, lower case. */
export interface UsbFingerprint {
  readonly vendorId: string;
  /** Absent: any product of this vendor. */
  readonly productId?: string;
  /** bInterfaceNumber of the AT command port, when the stick exposes several ttys. */
  readonly atInterface?: number;
}

/** Remaining attempts read from the SIM; null where the modem did not say. */
export interface PinAttempts {
  readonly pin: number | null;
  readonly puk: number | null;
}

/** A signal reading in dBm and what it measures (GSM/UMTS RSSI, or LTE RSRP). */
export interface SignalReading {
  readonly dbm: number;
  readonly measure: "rssi" | "rsrp";
}

/** A vendor signal query with its pure parser (null: unknown / no service → fall back to +CSQ). */
export interface SignalQuery {
  readonly command: string;
  readonly parse: (lines: readonly string[]) => SignalReading | null;
}

export interface ModemProfile {
  readonly id: string;
  readonly name: string;
  readonly usb: readonly UsbFingerprint[];
  /** Matched against the +CGMI / +CGMM answers when USB identity is unknown (tcp://, sim://). */
  readonly match: { readonly manufacturer?: RegExp; readonly model?: RegExp };
  /** Command that reads the ICCID, and the prefix of its answer line (null: a bare number). */
  readonly iccid: { readonly command: string; readonly prefix: string | null };
  /** Extra commands sent at the end of init, in order; an ERROR on one is logged and ignored. */
  readonly init: readonly string[];
  /** 27.005 §3.2.2 +CPMS <mem1>,<mem2>,<mem3>: read/delete, write/send, receive. */
  readonly storages: { readonly read: string; readonly write: string; readonly receive: string };
  /** Storage that +CDSI points into (27.005 §3.4.1 <ds>=2), usually "SR"; null when unsupported. */
  readonly statusReportStorage: string | null;
  /** First index the modem hands out in +CMTI/+CMGL (informational: we only echo indices back). */
  readonly indexBase: 0 | 1;
  /** How new messages arrive: "cmt" direct (+CSMS=1 and +CNMA needed), or "cmti" stored then read. */
  readonly receive: "cmt" | "cmti";
  /** How status reports arrive: "cds" direct (<ds>=1), "cdsi" stored in statusReportStorage (<ds>=2). */
  readonly statusReports: "cds" | "cdsi";
  /** Whether the firmware implements +CSMS=1 phase 2+ acknowledgement with +CNMA (27.005 §3.4.4). */
  readonly cnma: boolean;
  /** Wait for this URC before SMS commands work, up to maxWaitMs; null: usable at once. */
  readonly smsReady: { readonly urc: string; readonly maxWaitMs: number } | null;
  /** Vendor query of the remaining PIN/PUK attempts; null: the modem has none we trust. */
  readonly pinAttempts: {
    readonly command: string;
    readonly parse: (lines: readonly string[]) => PinAttempts | null;
  } | null;
  /** Vendor signal queries tried before the generic +CSQ, in order; the first non-null wins. */
  readonly signal: readonly SignalQuery[];
  readonly timeouts: {
    /** Ordinary command, ms. */
    readonly commandMs: number;
    /** "> " prompt after AT+CMGS, ms. */
    readonly promptMs: number;
    /** Final result after the PDU: 27.005 §3.5.1 notes the network may take up to 60 s or more. */
    readonly cmgsMs: number;
    /** Time the modem needs to come back after AT+CFUN=1,1, ms. */
    readonly resetMs: number;
  };
  /** Whether AT+CFUN=1,1 (full reset) is allowed as a recovery rung. */
  readonly cfunReset: boolean;
  /** URC prefixes that are vendor noise: swallowed (logged at trace only). */
  readonly ignoreUrcs: readonly string[];
}

/** Fills the fields a vendor profile does not change from the generic one. */
export function defineProfile(
  base: ModemProfile,
  over: Partial<ModemProfile> & Pick<ModemProfile, "id" | "name">,
): ModemProfile {
  return Object.freeze({ ...base, ...over });
}
