/**
 * Public surface of the PDU codec (3GPP TS 23.040 / 23.038, 27.005 PDU mode). Pure: no I/O, no
 * clock, no logger. Rules other layers rely on:
 * - encodeSubmit throws PduEncodeError (with `field`) for bad options; a multi-part message needs
 *   `concatRef`. Each part's `pdu` starts with the SMSC field ("00" = SIM default) and
 *   `tpduLength` is the `<length>` of AT+CMGS.
 * - Numbers: "+…" → TOA 0x91; anything else digit for digit with TOA 0x81; "00" never rewritten.
 * - decodePdu throws only PduDecodeError (`field` path, absolute `offset`), never another error.
 * - 23.038 §6.1.2.3.1: the encoder fills 7 spare bits with CR (not counted in TP-UDL) and doubles
 *   a final CR that would end on an octet boundary; the decoder drops a final CR that ends exactly
 *   on an octet boundary (padding) and the doubled CR, and keeps any "@".
 */

export { PduDecodeError, PduEncodeError } from "./errors.js";
export { decodePdu } from "./pdu-mode.js";
export { type PreviewOptions, segmentPreview, smartReplace } from "./preview.js";
export { statusClass } from "./status-report.js";
export { encodeSubmit } from "./submit.js";
export type * from "./types.js";
export { relativeOctet, relativeSeconds } from "./validity.js";
