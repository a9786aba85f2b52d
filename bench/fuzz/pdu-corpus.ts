/**
 * Valid PDUs to mutate: SMS-SUBMIT from our own encoder (src/pdu) across codings, concatenation,
 * validity formats, SMSC fields and national language shifts; SMS-DELIVER and SMS-STATUS-REPORT
 * from the simulator's independent codec (src/sim/pdu-lite.ts), since src/pdu only encodes SUBMIT.
 * Alphanumeric originators of every length 1…11 are in, odd ones included (23.040 §9.1.2.5: the
 * length counts semi-octets of packed septets, which is where decoders get it wrong).
 */
import { encodeSubmit } from "../../src/pdu/index.js";
import type { SubmitOptions, Validity } from "../../src/pdu/types.js";
import { encodeDeliver, encodeStatusReport, type LiteCoding } from "../../src/sim/pdu-lite.js";
import { mulberry32, type Rng, rngInt } from "../../src/sim/prng.js";
import { makeText } from "../../test/oracle/cases.js";

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

const RECIPIENTS = ["+33612345678", "0612345678", "+447700900123", "3630", "+1", "*123#", "+491701234567890"];
const VALIDITIES: (Validity | undefined)[] = [
  undefined,
  { format: "relative", seconds: 3600 },
  { format: "relative", seconds: 63 * 7 * 86_400 },
  { format: "absolute", date: new Date(Date.UTC(2026, 10, 26, 10, 0)), offsetMinutes: 60 },
  { format: "absolute", date: new Date(Date.UTC(2030, 0, 1)), offsetMinutes: -180 },
  { format: "enhanced", seconds: 200 },
];
const ALNUM = [
  "A",
  "Ab",
  "Bank",
  "INFO1",
  "Amazon",
  "PayPal1",
  "SNCF-TGV",
  "LaPoste12",
  "DHL Expres",
  "ORANGE_INFO",
];

function submits(rng: Rng, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const flavours = ["gsm7", "gsm7-ext", "accents", "ucs2", "emoji"] as const;
  while (out.length < n) {
    const len = pick(rng, [1, 10, 70, 153, 160, 161, 300, 500]);
    const opts: SubmitOptions = {
      to: pick(rng, RECIPIENTS),
      ...(rng() < 0.15
        ? { data: Uint8Array.from({ length: rngInt(rng, 0, 300) }, () => rngInt(rng, 0, 255)) }
        : { text: makeText(rng, pick(rng, flavours), len) }),
      statusReport: rng() < 0.5,
      validity: pick(rng, VALIDITIES),
      smsc: rng() < 0.3 ? "+33609001390" : null,
      concatRef: rngInt(rng, 0, 255),
      concatRef16: rng() < 0.3,
      messageClass: pick(rng, [null, 0, 1, 2, 3] as const),
      mr: rngInt(rng, 0, 255),
      ...(rng() < 0.1
        ? { nationalLanguages: { single: "turkish" as const, locking: "spanish" as const } }
        : {}),
    };
    try {
      for (const p of encodeSubmit(opts).parts) out.push(Buffer.from(p.pdu, "hex"));
    } catch {
      // An option our encoder refuses (a national table that cannot carry the text): skip it.
    }
  }
  return out;
}

function delivers(rng: Rng, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const coding = pick(rng, ["gsm7", "ucs2", "8bit"] as LiteCoding[]);
    const text = coding === "gsm7" ? makeText(rng, "gsm7", rngInt(rng, 0, 150)) : "Grüße 😀 ç";
    const total = rngInt(rng, 1, 4);
    const from = rng() < 0.4 ? pick(rng, ALNUM) : pick(rng, RECIPIENTS).replace(/[*#]/g, "1");
    try {
      const d = encodeDeliver({
        from,
        smsc: "+33609001390",
        timestamp: Date.UTC(2026, 10, 26, 9, rngInt(rng, 0, 59)),
        tzQuarters: rngInt(rng, -48, 56),
        coding,
        text,
        ...(coding === "8bit" ? { bytes: Uint8Array.from([1, 2, 3, 0xff, 0]) } : {}),
        ...(total > 1
          ? {
              concat: {
                ref: rngInt(rng, 0, 255),
                total,
                seq: rngInt(rng, 1, total),
                refBits: rng() < 0.5 ? 8 : 16,
              },
            }
          : {}),
        sri: rng() < 0.3,
      });
      out.push(Buffer.from(d.pdu, "hex"));
    } catch {
      // The simulator's codec refuses what it cannot encode; the corpus simply has one fewer.
    }
  }
  return out;
}

function reports(rng: Rng, n: number): Uint8Array[] {
  return Array.from({ length: n }, () => {
    const r = encodeStatusReport({
      mr: rngInt(rng, 0, 255),
      recipient: pick(rng, RECIPIENTS).replace(/[*#]/g, "1"),
      smsc: "+33609001390",
      submittedAt: Date.UTC(2026, 10, 26, 9, 0),
      dischargedAt: Date.UTC(2026, 10, 26, 9, 1),
      status: pick(rng, [0x00, 0x20, 0x41, 0x46, 0x7f, 0xff]),
    });
    return Buffer.from(r.pdu, "hex");
  });
}

/** The seeded corpus: same seed, same PDUs, on every machine. */
export function buildCorpus(seed = 0xc0ffee): Uint8Array[] {
  const rng = mulberry32(seed);
  return [...submits(rng, 300), ...delivers(rng, 200), ...reports(rng, 60)];
}
