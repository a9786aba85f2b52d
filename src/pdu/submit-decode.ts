/** SMS-SUBMIT decoding (23.040 §9.2.2.2), for messages read back from the sent storage. */

import { readTpAddress } from "./address.js";
import { decodeDcs } from "./dcs.js";
import { checkDcs } from "./dcs-check.js";
import type { Reader } from "./reader.js";
import type { Address, SubmitPdu } from "./types.js";
import { readUserData } from "./user-data.js";
import { readValidity } from "./validity.js";

export function readSubmit(r: Reader, smsc: Address | null, fo: number): SubmitPdu {
  const mr = r.u8("tpdu.mr");
  const recipient = readTpAddress(r, "tpdu.da");
  const pid = r.u8("tpdu.pid");
  const dcsOffset = r.pos;
  const dcs = r.u8("tpdu.dcs");
  const info = checkDcs(r, decodeDcs(dcs), dcsOffset);
  const validity = readValidity(r, (fo >> 3) & 3, "tpdu.vp");
  const ud = readUserData(r, (fo & 0x40) !== 0, info, "tpdu");
  return {
    type: "submit",
    smsc,
    recipient,
    mr,
    rejectDuplicates: (fo & 0x04) !== 0,
    statusReportRequest: (fo & 0x20) !== 0,
    validity,
    pid,
    dcs,
    messageClass: info.messageClass,
    ...ud,
  };
}
