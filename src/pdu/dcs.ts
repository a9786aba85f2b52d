/** TP-Data-Coding-Scheme (23.038 §4). */

import { PduEncodeError } from "./errors.js";
import type { Coding } from "./types.js";

export type MessageClass = 0 | 1 | 2 | 3;

export interface DcsInfo {
  readonly coding: Coding;
  readonly messageClass: MessageClass | null;
  /** Compressed user data (23.042), which this codec does not implement. */
  readonly compressed: boolean;
}

const ALPHABETS: readonly Coding[] = ["gsm7", "8bit", "ucs2", "gsm7"];

/**
 * Class given: general data coding group with the class bit (0x10 | alphabet | class), which is
 * valid for every alphabet; no class: 0x00 / 0x04 / 0x08.
 */
export function encodeDcs(coding: Coding, messageClass: MessageClass | null | undefined): number {
  const alphabet = coding === "gsm7" ? 0x00 : coding === "8bit" ? 0x04 : 0x08;
  if (messageClass === null || messageClass === undefined) return alphabet;
  if (![0, 1, 2, 3].includes(messageClass)) throw new PduEncodeError("messageClass", "must be 0, 1, 2 or 3");
  return 0x10 | alphabet | messageClass;
}

export function decodeDcs(dcs: number): DcsInfo {
  const group = dcs >> 4;
  if (group <= 0x7) {
    // 00xx general data coding, 01xx the same with automatic deletion. Alphabet 11 is reserved:
    // 23.038 §4 says reserved codings are treated as the GSM 7-bit default alphabet.
    return {
      coding: ALPHABETS[(dcs >> 2) & 3]!,
      messageClass: dcs & 0x10 ? ((dcs & 3) as MessageClass) : null,
      compressed: (dcs & 0x20) !== 0,
    };
  }
  // 1100 / 1101 message waiting (discard / store), GSM 7-bit; 1110 store, UCS-2.
  if (group === 0xc || group === 0xd) return { coding: "gsm7", messageClass: null, compressed: false };
  if (group === 0xe) return { coding: "ucs2", messageClass: null, compressed: false };
  // 1111: data coding / message class; bit 2 selects 8-bit data.
  if (group === 0xf) {
    return {
      coding: dcs & 0x04 ? "8bit" : "gsm7",
      messageClass: (dcs & 3) as MessageClass,
      compressed: false,
    };
  }
  // 1000–1011: reserved coding groups, treated as the GSM 7-bit default alphabet.
  return { coding: "gsm7", messageClass: null, compressed: false };
}
