/**
 * One AT+CMGS, mapped to a typed SendOutcome (27.005 §3.5.1). The rule that shapes this file
 * (zwave-js mayRetrySerialAPICommand): once the PDU may have left, a missing answer is "unknown",
 * never "not sent", and nothing here ever sends the PDU a second time.
 */
import type { AtChannelLike } from "../at/types.js";
import { classifyCms } from "./cms-errors.js";
import { asChannelFailure, describeFinal } from "./command.js";
import { isHexPdu, parseCmgs } from "./parse.js";
import type { SendOutcome } from "./types.js";

export interface SendTimeouts {
  readonly promptMs: number;
  readonly cmgsMs: number;
}

/** 23.040 §9.2.2.2: the longest SMS-SUBMIT TPDU is 164 octets (7-byte VP, 12-byte address, 140 UD). */
const MAX_TPDU = 164;

/** Checks that the hex and the length agree before anything is written: a mismatch would make the
 * modem wait for more bytes or answer +CMS ERROR: 304, and is our bug, not the network's. */
export function checkPdu(pdu: string, tpduLength: number): string | null {
  if (!isHexPdu(pdu)) return "PDU is not an even-length hex string";
  if (!Number.isInteger(tpduLength) || tpduLength < 1 || tpduLength > MAX_TPDU)
    return `TPDU length ${tpduLength} is outside 1…${MAX_TPDU}`;
  const smscLen = Number.parseInt(pdu.slice(0, 2), 16);
  const tpduOctets = pdu.length / 2 - 1 - smscLen;
  if (tpduOctets !== tpduLength)
    return `TPDU length ${tpduLength} does not match the PDU (${tpduOctets} octets after the SMSC field)`;
  return null;
}

/**
 * Sends one part. `suspect` is true when the modem failed to answer (no prompt, no final result):
 * the caller should check on it (recovery ladder); a refusal or an odd but complete answer is not.
 */
export async function submitPart(
  channel: AtChannelLike,
  t: SendTimeouts,
  pdu: string,
  tpduLength: number,
  signal?: AbortSignal,
): Promise<{ outcome: SendOutcome; suspect: boolean }> {
  const answered = (outcome: SendOutcome) => ({ outcome, suspect: false });
  const bad = checkPdu(pdu, tpduLength);
  if (bad) return answered({ kind: "rejected", code: null, category: "permanent", text: bad });
  if (signal?.aborted)
    return answered({ kind: "not-sent", reason: "aborted", text: "aborted before AT+CMGS" });
  const command = `AT+CMGS=${tpduLength}`;
  try {
    const r = await channel.commandWithPrompt(command, pdu.toUpperCase(), {
      promptTimeoutMs: t.promptMs,
      timeoutMs: t.cmgsMs,
      signal,
    });
    const f = r.final;
    if (f.kind === "ok") {
      for (const line of r.lines) {
        const mr = parseCmgs(line);
        if (mr !== null) return answered({ kind: "sent", mr });
      }
      // Accepted but no reference: the message left, we just cannot match its status report.
      return answered({ kind: "unknown", reason: "timeout", text: "OK without +CMGS: <mr>" });
    }
    if (f.kind === "cms") {
      const c = classifyCms(f.code);
      return answered({ kind: "rejected", code: f.code, category: c.category, text: c.text });
    }
    if (f.kind === "cme") {
      // +CME on AT+CMGS is about the ME/SIM (27.007 §9.2), e.g. 10 SIM not inserted, 30 no service.
      const category = f.code === 30 || f.code === 31 || f.code === 14 ? "retry-later" : "modem-fault";
      return answered({ kind: "rejected", code: null, category, text: describeFinal(f) });
    }
    return answered({ kind: "rejected", code: null, category: "retry-later", text: describeFinal(f) });
  } catch (e) {
    const fail = asChannelFailure(e);
    if (!fail) throw e;
    const suspect = fail.kind === "timeout" || fail.kind === "no-prompt";
    if (fail.payloadWritten) {
      const outcome: SendOutcome =
        fail.kind === "closed"
          ? { kind: "unknown", reason: "closed-after-pdu", text: fail.message }
          : { kind: "unknown", reason: "timeout", text: fail.message };
      return { outcome, suspect };
    }
    const reason = fail.kind === "timeout" ? "no-prompt" : fail.kind;
    return { outcome: { kind: "not-sent", reason, text: fail.message }, suspect };
  }
}
