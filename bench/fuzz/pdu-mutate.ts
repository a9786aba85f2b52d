/**
 * Fuzz inputs for the PDU decoder: half random hex of random lengths, half mutations of valid PDUs
 * aimed at the fields that carry lengths and alphabets (the places decoders overrun), plus a few
 * string-level ones (odd hex, non-hex characters) since decodePdu takes what a modem printed.
 */
import { type Rng, rngInt } from "../../src/sim/prng.js";
import { type PduFields, pduFields } from "./pdu-fields.js";

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();
const randomBytes = (rng: Rng, n: number) => Uint8Array.from({ length: n }, () => rngInt(rng, 0, 255));

export interface Seed {
  readonly bytes: Uint8Array;
  readonly fields: PduFields | null;
}

export const toSeeds = (corpus: readonly Uint8Array[]): Seed[] =>
  corpus.map((bytes) => ({ bytes, fields: pduFields(bytes) }));

/** Lengths skewed to the small and the boundary values where off-by-ones live. */
function length(rng: Rng): number {
  const r = rng();
  if (r < 0.3) return rngInt(rng, 0, 12);
  if (r < 0.7) return rngInt(rng, 13, 60);
  if (r < 0.95) return rngInt(rng, 61, 180);
  return rngInt(rng, 181, 600);
}

/** A lie for a length octet: ±1, zero, all ones, or anything. */
const lie = (rng: Rng, v: number) =>
  pick(rng, [v + 1, v - 1, 0, 0xff, 0x7f, v * 2, rngInt(rng, 0, 255)]) & 0xff;

/** A user data header of random elements: bogus IEIs, lengths that overrun, concat with 0 parts. */
function bogusUdh(rng: Rng): number[] {
  const ies: number[] = [];
  for (let n = rngInt(rng, 0, 4); n > 0; n--) {
    const kind = rngInt(rng, 0, 5);
    if (kind === 0)
      ies.push(0x00, 3, rngInt(rng, 0, 255), 0, rngInt(rng, 0, 2)); // 0 parts
    else if (kind === 1)
      ies.push(0x00, 3, rngInt(rng, 0, 255), 2, rngInt(rng, 3, 255)); // seq > total
    else if (kind === 2)
      ies.push(0x08, pick(rng, [3, 4, 5]), 0x12, 0x34, rngInt(rng, 0, 3), rngInt(rng, 0, 3));
    else if (kind === 3) ies.push(pick(rng, [0x24, 0x25]), rngInt(rng, 0, 2), rngInt(rng, 0, 255));
    else if (kind === 4)
      ies.push(rngInt(rng, 0, 255), rngInt(rng, 0, 255)); // length overruns
    else ies.push(rngInt(rng, 0, 255), 1, rngInt(rng, 0, 255));
  }
  const udhl = rng() < 0.7 ? ies.length : lie(rng, ies.length);
  return [udhl, ...ies];
}

function mutateBytes(rng: Rng, seed: Seed): Uint8Array {
  let b: Uint8Array = Uint8Array.from(seed.bytes);
  const f = seed.fields;
  const set = (at: number | null | undefined, v: number) => {
    if (at !== null && at !== undefined && at < b.length) b[at] = v & 0xff;
  };
  const op = rngInt(rng, 0, 12);
  switch (op) {
    case 0: // bit flips
      for (let n = rngInt(rng, 1, 4); n > 0; n--) {
        const i = rngInt(rng, 0, b.length - 1);
        b[i] = (b[i] ?? 0) ^ (1 << rngInt(rng, 0, 7));
      }
      break;
    case 1: // truncation
      b = b.slice(0, rngInt(rng, 0, b.length - 1));
      break;
    case 2: // extension
      b = Uint8Array.from([...b, ...randomBytes(rng, rngInt(rng, 1, 40))]);
      break;
    case 3: // length-field lie
      if (f) {
        const at = pick(rng, [0, f.addrLen, f.udl, f.udhl]);
        if (at !== null && at < b.length) set(at, lie(rng, b[at] ?? 0));
      }
      break;
    case 4: // a bogus UDH in place of the user data
      if (f?.udl !== null && f?.udl !== undefined) {
        set(f.fo, (b[f.fo] ?? 0) | 0x40);
        const udh = bogusUdh(rng);
        const body = randomBytes(rng, rngInt(rng, 0, 30));
        b = Uint8Array.from([...b.slice(0, f.udl), lie(rng, udh.length + body.length), ...udh, ...body]);
      }
      break;
    case 5: // UCS-2 with an odd length
      if (f?.dcs != null && f.udl !== null) {
        set(f.dcs, 0x08);
        set(f.udl, (rngInt(rng, 0, 70) * 2 + 1) | 0);
      }
      break;
    case 6: // alphanumeric originator of an odd (or absurd) semi-octet length
      if (f) {
        set(f.addrLen + 1, 0xd0);
        set(f.addrLen, pick(rng, [1, 3, 5, 7, 11, 13, 15, 19, 21, 22, 40, 255]));
      }
      break;
    case 7: // more septets announced than there is data
      if (f?.dcs != null && f.udl !== null) {
        set(f.dcs, 0x00);
        set(f.udl, rngInt(rng, (b.length - f.udl) * 2, 255));
      }
      break;
    case 8: // any DCS: reserved groups, compression, message waiting
      if (f?.dcs != null) set(f.dcs, rngInt(rng, 0, 255));
      break;
    case 9: // another message type or validity format in the first octet
      if (f) set(f.fo, (b[f.fo] ?? 0) ^ (rngInt(rng, 1, 3) | (rngInt(rng, 0, 3) << 3)));
      break;
    case 10: // SMSC field lies
      set(0, pick(rng, [0, 1, 2, 11, 12, 0xff, rngInt(rng, 0, 20)]));
      break;
    case 11: // splice: head of this PDU, tail of random bytes at a random cut
      b = Uint8Array.from([...b.slice(0, rngInt(rng, 0, b.length)), ...randomBytes(rng, rngInt(rng, 0, 20))]);
      break;
    default: // several mutations stacked
      b = mutateBytes(rng, { bytes: mutateBytes(rng, seed), fields: seed.fields });
  }
  return b;
}

export interface FuzzInput {
  readonly input: string | Uint8Array;
  readonly smsc: boolean;
  readonly kind: "random" | "mutated";
}

/** Input number `i` of a chunk: even ones random, odd ones mutated (half and half). */
export function nextInput(rng: Rng, seeds: readonly Seed[], i: number): FuzzInput {
  const smsc = rng() < 0.85;
  if (i % 2 === 0) {
    const r = rng();
    // Random bytes, sometimes behind a plausible SMSC field so the TPDU decoders are reached.
    const body = randomBytes(rng, length(rng));
    const bytes =
      r < 0.5 ? body : Uint8Array.from([0, rngInt(rng, 0, 3) | (rngInt(rng, 0, 63) << 2), ...body]);
    return { input: rng() < 0.1 ? bytes : hex(bytes), smsc, kind: "random" };
  }
  const seed = pick(rng, seeds);
  let bytes = mutateBytes(rng, seed);
  // Decoding without the SMSC field: drop it, as a modem printing bare TPDUs would.
  if (!smsc) bytes = bytes.slice(1 + (seed.bytes[0] ?? 0));
  let s = hex(bytes);
  const r = rng();
  if (r < 0.02)
    s = s.slice(0, -1); // odd number of hex digits
  else if (r < 0.04) s = `${s.slice(0, 10)}${pick(rng, ["G", " ", "\r\n", "é", "\0", "0x"])}${s.slice(10)}`;
  else if (r < 0.06) s = s.toLowerCase();
  return { input: s, smsc, kind: "mutated" };
}
