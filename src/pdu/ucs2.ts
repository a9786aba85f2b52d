/**
 * UCS-2 user data (23.038 §6.2.3), written as UTF-16BE so that astral characters (emoji) travel as
 * surrogate pairs, as every current handset expects. Lone surrogates are carried unchanged.
 */

export function encodeUcs2(
  text: string,
  start: number,
  end: number,
  out: Uint8Array,
  offset: number,
): number {
  let o = offset;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    out[o++] = c >> 8;
    out[o++] = c & 0xff;
  }
  return o - offset;
}

/** Decodes `length` octets; an odd trailing octet is ignored by the caller's length check. */
export function decodeUcs2(buf: Uint8Array, offset: number, length: number): string {
  const units = length >> 1;
  const codes = new Uint16Array(units);
  for (let i = 0; i < units; i++) codes[i] = (buf[offset + 2 * i]! << 8) | buf[offset + 2 * i + 1]!;
  return codesToString(codes);
}

/** String.fromCharCode over a code unit array, in chunks that stay below the argument limit. */
export function codesToString(codes: Uint16Array): string {
  if (codes.length <= 4096) return String.fromCharCode.apply(null, codes as unknown as number[]);
  let out = "";
  for (let i = 0; i < codes.length; i += 4096) {
    out += String.fromCharCode.apply(null, codes.subarray(i, i + 4096) as unknown as number[]);
  }
  return out;
}
