/**
 * Contract of the AT channel (src/at/channel.ts): one command in flight per port, lines owned by the
 * command by kind, everything else routed to URC handlers by prefix (reference-ril atchannel.c,
 * warthog618/modem at.go).
 */

/** Final result codes: 27.007 §4.1 / annex B and 27.005 §3.2.5. */
export type FinalResult =
  | { readonly kind: "ok" }
  | { readonly kind: "error" }
  /** `code` is numeric; a verbose text (AT+CMEE=2) is mapped back through 27.007 §9.2 / 27.005
   * §3.2.5, and a text outside those tables gets -1. `text` is what the modem said after the colon. */
  | { readonly kind: "cme"; readonly code: number; readonly text: string }
  | { readonly kind: "cms"; readonly code: number; readonly text: string }
  /** NO CARRIER, NO DIALTONE, BUSY, NO ANSWER, CONNECT… (27.007 annex B / V.250). */
  | { readonly kind: "other"; readonly text: string };

export interface AtResponse {
  /** The command line as sent (without CR), for error messages. */
  readonly command: string;
  /** Information lines owned by the command, in order (including unprefixed PDU lines). */
  readonly lines: readonly string[];
  readonly final: FinalResult;
}

export interface CommandOptions {
  /** [100…600000] ms, default 5000 (profile may override). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /**
   * Prefixes (e.g. "+CMGR:") whose header line is followed by one unprefixed PDU line that also
   * belongs to the command (27.005 §3.4.3 / §3.4.2 PDU mode +CMGR and +CMGL).
   */
  readonly pduAfter?: readonly string[];
  /**
   * Further line prefixes owned by the command, besides the one derived from its name
   * ("AT+CPMS?" owns "+CPMS:"). E.g. ["+CGSN:"] for a modem that prefixes its IMEI.
   */
  readonly prefixes?: readonly string[];
  /**
   * The command answers with bare text lines (IMEI, IMSI, ATI). Default: true for AT+CGSN, AT+CIMI,
   * AT+CGMI, AT+CGMM, AT+CGMR, AT+GSN, AT+GMI, AT+GMM, AT+GMR, AT+CCID and ATI.
   */
  readonly bareText?: boolean;
  /** Never log the command's argument (AT+CPIN=<redacted>), nor its echo; AtResponse.command and
   * AtError.command then carry the redacted form too. Default false. */
  readonly sensitive?: boolean;
  /** A timeout is expected and handled by the caller (the boot "AT" while a modem powers up): log
   * it at trace, not warn. Default false. */
  readonly expectTimeout?: boolean;
}

export interface PromptCommandOptions extends CommandOptions {
  /** Time to wait for the "> " prompt before giving up, default 5000 ms. `timeoutMs` then counts
   * from the moment the payload was written. */
  readonly promptTimeoutMs?: number;
}

/**
 * Why a command did not produce a final result. `payloadWritten` tells the caller of a prompt
 * command whether the PDU went out: false → the message was certainly not sent; true → unknown.
 */
export type AtFailureKind = "timeout" | "no-prompt" | "closed" | "aborted";

/** Trace hook (a pino logger fits): every line in («) and out (») at trace, anomalies at warn. */
export interface AtLog {
  trace(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface AtUrc {
  /** The first line (e.g. "+CMTI: \"SM\",3"). */
  readonly line: string;
  /** Trailing lines taken with it (e.g. the PDU line after "+CMT:" or "+CDS:"). */
  readonly trailing: readonly string[];
}

export interface UrcRegistration {
  /** Line prefix, e.g. "+CMTI:", "+CMT:", "RING", "^RSSI:". */
  readonly prefix: string;
  /** Number of lines following the first one that belong to the URC (1 for +CMT/+CDS in PDU mode). */
  readonly trailingLines?: number;
  readonly handler: (urc: AtUrc) => void;
}

export interface AtChannelLike {
  /** Sends `command` + CR; resolves with the response when a final result code arrives (OK or error
   * codes alike); rejects with AtError (timeout/closed/aborted), or RangeError for a command with
   * control characters or an invalid timeout (nothing is written then). */
  command(command: string, options?: CommandOptions): Promise<AtResponse>;
  /** Sends `command` + CR, waits for the "> " prompt, writes `payload` followed by Ctrl-Z (0x1A),
   * then waits for the final result. On a missing prompt it sends ESC to leave the prompt state. */
  commandWithPrompt(command: string, payload: string, options?: PromptCommandOptions): Promise<AtResponse>;
  /** Registers a URC handler; returns a function that removes it. */
  onUrc(registration: UrcRegistration): () => void;
  /** Lines that are neither owned by a command nor claimed by a URC handler. */
  onUnsolicited(listener: (line: string) => void): void;
  /** Writes ESC (0x1B) then waits briefly, to leave a stuck "> " prompt (warthog618/modem Init). */
  escape(): Promise<void>;
  close(): Promise<void>;
  readonly closed: Promise<void>;
}
