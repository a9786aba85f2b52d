/**
 * Where the length-bearing fields of a VALID PDU sit (SMSC field first, 27.005 §3.3), so mutations
 * can lie in exactly those octets: SMSC length, address length and TOA, DCS, TP-UDL, UDHL. A small
 * walker of 23.040 §9.2.2 written for the corpus only; it trusts its input and never decodes.
 */

export interface PduFields {
  readonly smscLen: number;
  readonly fo: number;
  readonly mti: number;
  /** Offset of the TP-OA / TP-DA / TP-RA length octet (its TOA follows). */
  readonly addrLen: number;
  /** Absent in STATUS-REPORTs without TP-PI. */
  readonly dcs: number | null;
  readonly udl: number | null;
  /** Set when TP-UDHI is on. */
  readonly udhl: number | null;
}

/** Octets taken by the address whose length octet is at `at` (length octet and TOA included). */
const addressOctets = (b: Uint8Array, at: number) => 2 + (((b[at] ?? 0) + 1) >> 1);

export function pduFields(b: Uint8Array): PduFields | null {
  const fo = 1 + (b[0] ?? 0);
  const first = b[fo];
  if (first === undefined) return null;
  const mti = first & 3;
  const udhi = (first & 0x40) !== 0;
  let o = fo + 1;
  if (mti === 1) o++; // TP-MR
  if (mti === 2) o++; // TP-MR
  const addrLen = o;
  o += addressOctets(b, o);
  if (mti === 2) {
    // SCTS, discharge time, TP-ST; TP-PI and what it announces are left alone.
    return { smscLen: 0, fo, mti, addrLen, dcs: null, udl: null, udhl: null };
  }
  o++; // TP-PID
  const dcs = o++;
  if (mti === 0) o += 7; // TP-SCTS
  if (mti === 1) {
    const vpf = (first >> 3) & 3;
    o += vpf === 0 ? 0 : vpf === 2 ? 1 : 7;
  }
  const udl = o;
  const udhl = udhi ? o + 1 : null;
  return o < b.length ? { smscLen: 0, fo, mti, addrLen, dcs, udl, udhl } : null;
}
