/** SMS-DELIVER (23.040 §9.2.2.1). */

import { readTpAddress } from "./address.js";
import { decodeDcs } from "./dcs.js";
import { checkDcs } from "./dcs-check.js";
import type { Reader } from "./reader.js";
import { readTimestamp } from "./timestamp.js";
import type { Address, DeliverPdu } from "./types.js";
import { readUserData } from "./user-data.js";

export function readDeliver(r: Reader, smsc: Address | null, fo: number): DeliverPdu {
  const originator = readTpAddress(r, "tpdu.oa");
  const pid = r.u8("tpdu.pid");
  const dcsOffset = r.pos;
  const dcs = r.u8("tpdu.dcs");
  const info = checkDcs(r, decodeDcs(dcs), dcsOffset);
  const scts = readTimestamp(r, "tpdu.scts");
  const ud = readUserData(r, (fo & 0x40) !== 0, info, "tpdu");
  return {
    type: "deliver",
    smsc,
    originator,
    scts,
    // TP-MMS is inverted: 0 means more messages are waiting at the SC.
    moreMessages: (fo & 0x04) === 0,
    statusReportIndication: (fo & 0x20) !== 0,
    replyPath: (fo & 0x80) !== 0,
    pid,
    dcs,
    messageClass: info.messageClass,
    ...ud,
  };
}
