/** Public surface of the PDU codec (3GPP TS 23.040 / 23.038 / 27.005 PDU mode). */

export { PduDecodeError, PduEncodeError } from "./errors.js";
export { decodePdu } from "./pdu-mode.js";
export { type PreviewOptions, segmentPreview, smartReplace } from "./preview.js";
export { statusClass } from "./status-report.js";
export { encodeSubmit } from "./submit.js";
export type * from "./types.js";
export { relativeOctet, relativeSeconds } from "./validity.js";
