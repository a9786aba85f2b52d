/**
 * +CMS ERROR classification for the send policy. 27.005 §3.2.5 defines <err>:
 *   0…127   24.011 Annex E-2 RP-cause values relayed from the network (RP-ERROR);
 *   128…255 23.040 §9.2.3.22 TP-Failure-Cause values (RP-ERROR with TP-FCS);
 *   300…340 ME/TA errors; 500 unknown; 512… manufacturer specific.
 * Categories: "retry-later" (transient: try again later, maybe on another modem), "permanent" (this
 * message to this recipient will not succeed: do not retry), "modem-fault" (the modem or its SIM
 * cannot send anything right now: hold the queue for this modem and recover).
 */
import type { RejectCategory } from "./types.js";

export interface CmsInfo {
  readonly code: number;
  readonly text: string;
  readonly category: RejectCategory;
}

type Row = readonly [text: string, category: RejectCategory];

const TABLE: Readonly<Record<number, Row>> = {
  // 24.011 Table 8.4 / Annex E-2, RP-cause for mobile-originated messages.
  1: ["Unassigned (unallocated) number", "permanent"],
  8: ["Operator determined barring", "permanent"],
  10: ["Call barred", "permanent"],
  // "The equipment sending this cause does not wish to accept this short message" (E-2): a policy
  // refusal of this message; resending it unchanged will be refused again.
  21: ["Short message transfer rejected", "permanent"],
  // Only meaningful for MT; when relayed it means the network is short of resources.
  22: ["Memory capacity exceeded", "retry-later"],
  27: ["Destination out of order", "retry-later"],
  // 28/30: the network does not know OUR subscriber (IMSI not in VLR/HLR): a SIM/subscription fault.
  28: ["Unidentified subscriber", "modem-fault"],
  29: ["Facility rejected", "permanent"],
  30: ["Unknown subscriber", "modem-fault"],
  38: ["Network out of order", "retry-later"],
  41: ["Temporary failure", "retry-later"],
  42: ["Congestion", "retry-later"],
  47: ["Resources unavailable, unspecified", "retry-later"],
  // The SIM has no SMS subscription: nothing sent from this modem will pass.
  50: ["Requested facility not subscribed", "modem-fault"],
  69: ["Requested facility not implemented", "permanent"],
  81: ["Invalid short message transfer reference value", "retry-later"],
  95: ["Semantically incorrect message", "permanent"],
  96: ["Invalid mandatory information", "permanent"],
  97: ["Message type non-existent or not implemented", "permanent"],
  98: ["Message not compatible with short message protocol state", "permanent"],
  99: ["Information element non-existent or not implemented", "permanent"],
  111: ["Protocol error, unspecified", "permanent"],
  127: ["Interworking, unspecified", "retry-later"],
  // 23.040 §9.2.3.22 TP-FCS values an SC returns for an SMS-SUBMIT.
  128: ["Telematic interworking not supported", "permanent"],
  129: ["Short message Type 0 not supported", "permanent"],
  130: ["Cannot replace short message", "permanent"],
  143: ["Unspecified TP-PID error", "permanent"],
  144: ["Data coding scheme (alphabet) not supported", "permanent"],
  145: ["Message class not supported", "permanent"],
  159: ["Unspecified TP-DCS error", "permanent"],
  160: ["Command cannot be actioned", "permanent"],
  161: ["Command unsupported", "permanent"],
  175: ["Unspecified TP-Command error", "permanent"],
  176: ["TPDU not supported", "permanent"],
  192: ["SC busy", "retry-later"],
  193: ["No SC subscription", "modem-fault"],
  194: ["SC system failure", "retry-later"],
  195: ["Invalid SME address", "permanent"],
  196: ["Destination SME barred", "permanent"],
  // The SC already holds this message (same TP-MR and destination, TP-RD=0): resending would at best
  // be refused again, and the first copy is on its way.
  197: ["SM Rejected-Duplicate SM", "permanent"],
  198: ["TP-VPF not supported", "permanent"],
  199: ["TP-VP not supported", "permanent"],
  208: ["(U)SIM SMS storage full", "modem-fault"],
  209: ["No SMS storage capability in (U)SIM", "modem-fault"],
  210: ["Error in MS", "modem-fault"],
  211: ["Memory capacity exceeded", "modem-fault"],
  212: ["(U)SIM Application Toolkit busy", "retry-later"],
  213: ["(U)SIM data download error", "modem-fault"],
  255: ["Unspecified error cause", "retry-later"],
  // 27.005 §3.2.5 ME/TA errors.
  300: ["ME failure", "modem-fault"],
  301: ["SMS service of ME reserved", "retry-later"],
  // Typical before the modem reports SMS ready (SIM800 "SMS Ready", Quectel "+QIND: SMS DONE").
  302: ["Operation not allowed", "retry-later"],
  303: ["Operation not supported", "modem-fault"],
  // Our PDU or length was wrong: the same bytes will always fail.
  304: ["Invalid PDU mode parameter", "permanent"],
  305: ["Invalid text mode parameter", "permanent"],
  310: ["(U)SIM not inserted", "modem-fault"],
  311: ["(U)SIM PIN required", "modem-fault"],
  312: ["PH-(U)SIM PIN required", "modem-fault"],
  313: ["(U)SIM failure", "modem-fault"],
  // The SIM is busy with something else (a STK session, a phonebook or SMS load after boot or a
  // re-registration) and answers again within seconds: a wait, not a fault. Counting it as a modem
  // fault took a modem out of rotation for good after a 20 s SIM-busy window.
  314: ["(U)SIM busy", "retry-later"],
  315: ["(U)SIM wrong", "modem-fault"],
  316: ["(U)SIM PUK required", "modem-fault"],
  317: ["(U)SIM PIN2 required", "modem-fault"],
  318: ["(U)SIM PUK2 required", "modem-fault"],
  320: ["Memory failure", "modem-fault"],
  321: ["Invalid memory index", "modem-fault"],
  322: ["Memory full", "modem-fault"],
  330: ["SMSC address unknown", "modem-fault"],
  331: ["No network service", "retry-later"],
  // A final result: the network was reached and did not answer in time. The message was not
  // accepted, so trying again later is safe.
  332: ["Network timeout", "retry-later"],
  340: ["No +CNMA acknowledgement expected", "modem-fault"],
  // SIMCom and others answer 500 for transient radio-side refusals as well as real faults.
  500: ["Unknown error", "retry-later"],
  // Manufacturer-specific values seen in the field (Wavecom/Sierra and Multi-Tech AT manuals).
  512: ["MM establishment failure", "retry-later"],
  513: ["Lower layer failure", "retry-later"],
  514: ["CP error", "retry-later"],
  515: ["Please wait, init or command processing in progress", "retry-later"],
};

/**
 * Classifies a +CMS ERROR code. Unlisted codes: 0…255 are network causes whose meaning we do not
 * know, so they are treated as transient rather than silently dropping a message (the send policy
 * bounds the retries); 301…499 are ME errors; 512 and above are vendor codes, treated as transient.
 */
export function classifyCms(code: number): CmsInfo {
  const row = TABLE[code];
  if (row) return { code, text: row[0], category: row[1] };
  if (code >= 0 && code <= 127) return { code, text: `Network cause ${code}`, category: "retry-later" };
  if (code >= 128 && code <= 255) return { code, text: `TP failure cause ${code}`, category: "retry-later" };
  if (code >= 300 && code < 500) return { code, text: `ME error ${code}`, category: "modem-fault" };
  return { code, text: `Manufacturer-specific error ${code}`, category: "retry-later" };
}

/**
 * Codes a modem gives while its SMS stack or SIM is not ready yet or busy (27.005 §3.2.5 302
 * operation not allowed, 314 SIM busy; SIMCom 500; Wavecom 515 "please wait"): the same command
 * succeeds a few seconds later, so they call for a retry with a backoff, never for recovery.
 * Every one of them is classified "retry-later" (a test holds the two lists together).
 */
export function isNotReadyCms(code: number): boolean {
  return code === 302 || code === 500 || code === 314 || code === 515;
}

/** All codes with an explicit row, for tests and documentation. */
export function knownCmsCodes(): number[] {
  return Object.keys(TABLE).map(Number);
}
