/**
 * Splits a text into concatenated parts for the simulator's network (23.040 §9.2.3.24.1): 153 GSM
 * septets or 67 UCS-2 characters per part once a UDH is needed, never cutting an escape sequence
 * (23.038 §6.2.1.1) or a surrogate pair.
 */
import { gsm7Septets } from "./pdu-gsm7.js";
import type { Concat, LiteCoding, UserData } from "./pdu-lite.js";
import { pickCoding } from "./pdu-submit.js";

/** Units a character costs: septets for GSM 7-bit, UTF-16 code units for UCS-2. */
function cost(ch: string, coding: LiteCoding): number {
  return coding === "gsm7" ? (gsm7Septets(ch)?.length ?? 1) : ch.length;
}

function chunk(text: string, coding: LiteCoding, limit: number): string[] {
  const out: string[] = [];
  let cur = "";
  let used = 0;
  for (const ch of text) {
    const c = cost(ch, coding);
    if (used + c > limit) {
      out.push(cur);
      cur = "";
      used = 0;
    }
    cur += ch;
    used += c;
  }
  if (cur || out.length === 0) out.push(cur);
  return out;
}

/**
 * Parts for `text`. `parts` forces a number of parts (split as evenly as the characters allow) so
 * that a test can ask for a multi-part message with a short text.
 */
export function splitText(
  text: string,
  opts: { coding?: LiteCoding; parts?: number; ref: number; refBits?: 8 | 16 },
): UserData[] {
  const coding = opts.coding ?? pickCoding(text);
  const single = coding === "gsm7" ? 160 : coding === "ucs2" ? 70 : 140;
  const multi = coding === "gsm7" ? 153 : coding === "ucs2" ? 67 : 134;
  let pieces: string[];
  if (opts.parts !== undefined && opts.parts > 1) {
    const chars = [...text];
    const per = Math.max(1, Math.ceil(chars.length / opts.parts));
    pieces = [];
    for (let i = 0; i < opts.parts; i++) pieces.push(chars.slice(i * per, (i + 1) * per).join(""));
  } else {
    pieces = chunk(text, coding, single).length === 1 ? [text] : chunk(text, coding, multi);
  }
  if (pieces.length === 1) return [{ coding, text }];
  const total = pieces.length;
  return pieces.map((t, i) => {
    const concat: Concat = { ref: opts.ref, total, seq: i + 1, refBits: opts.refBits ?? 8 };
    return { coding, text: t, concat };
  });
}
