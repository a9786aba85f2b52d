/**
 * Differential tests of our PDU codec against Gammu (Debian python3-gammu), an independent
 * implementation of 3GPP TS 23.040 / 23.038. Thousands of seeded cases go both ways through one
 * Python process. When the two disagree, the spec decides; the places where Gammu is the one that
 * departs from the spec are normalised below, each with its clause.
 *
 * Gammu is required: without it every test here fails with the install hint (never a skip).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePdu, encodeSubmit, segmentPreview } from "../../src/pdu/index.js";
import type { SubmitOptions, Validity } from "../../src/pdu/types.js";
import {
  address,
  type Flavour,
  gammuValidityString,
  hex2,
  int,
  makeLength,
  makeNumber,
  makeSeptets,
  makeText,
  mulberry32,
  octetSeconds,
  packSeptetsHex,
  pick,
  relativeOctet,
  STATUS_VALUES,
  scts,
  VALIDITY_SECONDS,
} from "./cases.js";
import { type GammuOracle, gammuSafe, gammuSafeUnit, gammuText, startGammu } from "./gammu.js";

let gammu: GammuOracle;
beforeAll(async () => {
  gammu = await startGammu();
});
afterAll(async () => {
  await gammu?.close();
});

const FLAVOURS: Flavour[] = ["gsm7", "gsm7-ext", "accents", "ucs2", "emoji"];

/** Collects disagreements so that one assertion reports them all, with the case index. */
class Diffs {
  readonly list: string[] = [];
  eq(where: string, field: string, ours: unknown, theirs: unknown): void {
    if (JSON.stringify(ours) !== JSON.stringify(theirs))
      this.list.push(`${where} ${field}: ours=${JSON.stringify(ours)} gammu=${JSON.stringify(theirs)}`);
  }
  assertNone(what: string): void {
    expect(this.list.slice(0, 25), `${this.list.length} disagreements on ${what}`).toEqual([]);
  }
}

const smscOctets = (pdu: string): number => 1 + Number.parseInt(pdu.slice(0, 2), 16);

describe("our SUBMIT encoder, read back by Gammu", () => {
  it("gives the same recipient, text, coding, class, concat, validity and SMSC for 1500 messages", async () => {
    const rng = mulberry32(0x5eed01);
    const cases: { opts: SubmitOptions; text: string; vp: string }[] = [];
    for (let i = 0; i < 1500; i++) {
      const forceUcs2 = rng() < 0.1;
      const smart = !forceUcs2 && rng() < 0.15;
      // Typographic quotes and dashes, as pasted from a word processor: what smart mode replaces.
      const raw = smart
        ? makeText(rng, pick(rng, FLAVOURS), makeLength(rng)).replace(/'/g, "’").replace(/-/g, "–")
        : makeText(rng, pick(rng, FLAVOURS), makeLength(rng));
      const text = gammuSafe(raw, forceUcs2 || segmentPreview(raw, { smart }).coding === "ucs2");
      const v = rng();
      let validity: Validity | undefined;
      let vp = "NA"; // Gammu reports no validity, and does not decode the absolute format either
      if (v < 0.45) {
        const seconds = pick(rng, VALIDITY_SECONDS);
        validity = { format: "relative", seconds };
        vp = gammuValidityString(relativeOctet(seconds));
      } else if (v < 0.6) {
        const date = new Date(Date.UTC(2027, 0, 1) + int(rng, 0, 365 * 86_400) * 1000);
        validity = { format: "absolute", date, offsetMinutes: 15 * int(rng, -48, 56) };
      }
      const ref16 = rng() < 0.3;
      const opts: SubmitOptions = {
        to: makeNumber(rng),
        text,
        coding: forceUcs2 ? "ucs2" : "auto",
        smart,
        statusReport: rng() < 0.3,
        messageClass: rng() < 0.6 ? null : (int(rng, 0, 3) as 0 | 1 | 2 | 3),
        smsc: rng() < 0.3 ? "+33609001390" : null,
        concatRef: int(rng, 0, ref16 ? 0xffff : 0xff),
        concatRef16: ref16,
        ...(validity ? { validity } : {}),
      };
      cases.push({ opts, text, vp });
    }
    const encoded = cases.map((c) => encodeSubmit(c.opts));
    const flat = encoded.flatMap((e, i) => e.parts.map((p, j) => ({ i, j, p })));
    // Every 4th PDU goes without its SMSC field, as +CMGS PDUs are read back from some modems.
    const answers = await gammu.decode(
      flat.map(({ p }, k) =>
        k % 4 === 3 ? { pdu: p.pdu.slice(2 * smscOctets(p.pdu)), smsc: false } : { pdu: p.pdu },
      ),
    );
    const d = new Diffs();
    const texts = new Map<number, string>();
    flat.forEach(({ i, j, p }, k) => {
      const c = cases[i]!;
      const e = encoded[i]!;
      const g = answers[k]!;
      const where = `case ${i} part ${j + 1}/${e.parts.length}`;
      if (!g.ok) {
        d.list.push(`${where}: Gammu could not decode ${p.pdu}: ${g.text ?? g.error}`);
        return;
      }
      // 27.005 §3.5.1: <length> of AT+CMGS is the TPDU without the SMSC octets.
      d.eq(where, "tpduLength", p.tpduLength, p.pdu.length / 2 - smscOctets(p.pdu));
      d.eq(where, "type", "submit", g.type);
      d.eq(where, "number", c.opts.to, g.number);
      d.eq(where, "coding", e.coding, g.coding);
      d.eq(where, "class", c.opts.messageClass, g.class);
      d.eq(where, "validity", c.vp, g.validity);
      if (k % 4 !== 3) d.eq(where, "smsc", c.opts.smsc ?? "", g.smsc);
      const concat =
        e.parts.length > 1
          ? { ref: c.opts.concatRef, total: e.parts.length, seq: j + 1, refBits: c.opts.concatRef16 ? 16 : 8 }
          : null;
      d.eq(where, "concat", concat, g.concat);
      if (p.text !== undefined) d.eq(where, "part text", p.text, gammuText(g));
      texts.set(i, (texts.get(i) ?? "") + gammuText(g));
    });
    // TP-SRR is not compared here: python-gammu does not expose it when decoding a SUBMIT.
    cases.forEach((c, i) => {
      d.eq(`case ${i}`, "reassembled text", encoded[i]!.text ?? c.text, texts.get(i));
    });
    expect(flat.length).toBeGreaterThan(2500);
    // Smart replacement really happened on some messages, so its output was checked too.
    expect(
      encoded.filter((e, i) => e.text !== undefined && e.text !== cases[i]!.text).length,
    ).toBeGreaterThan(30);
    d.assertNone(`${flat.length} PDUs`);
  });
});

/** TP-VP octets python-gammu can write (it cannot express 197..254, see gammu_oracle.py). */
const GAMMU_VPS = [0, 11, 71, 143, 144, 150, 167, 168, 180, 196, 255];

describe("Gammu's SUBMIT encoder, read back by ours", () => {
  it("gives the same recipient, text, coding, class, concat, SRR and validity for 1000 messages", async () => {
    const rng = mulberry32(0x5eed02);
    const reqs = Array.from({ length: 1000 }, () => {
      const raw = makeText(rng, pick(rng, FLAVOURS), makeLength(rng));
      const unicode = segmentPreview(raw).coding === "ucs2";
      const text = gammuSafe(raw, unicode);
      const concat16 = rng() < 0.3;
      return {
        number: makeNumber(rng),
        text,
        unicode,
        class: rng() < 0.6 ? null : int(rng, 0, 3),
        statusReport: rng() < 0.4,
        validity: pick(rng, GAMMU_VPS),
        concat16,
        ref: int(rng, 0, concat16 ? 0xffff : 0xff),
      };
    });
    const answers = await gammu.encode(reqs);
    const d = new Diffs();
    let pdus = 0;
    answers.forEach((a, i) => {
      const r = reqs[i]!;
      if (!a.ok) {
        d.list.push(`case ${i}: Gammu could not encode: ${a.text ?? a.error}`);
        return;
      }
      let text = "";
      a.parts.forEach((part, j) => {
        const where = `case ${i} part ${j + 1}/${a.parts.length} ${part.pdu}`;
        pdus++;
        const ours = decodePdu(part.pdu, { smsc: true });
        if (ours.type !== "submit") {
          d.eq(where, "type", ours.type, "submit");
          return;
        }
        d.eq(where, "number", ours.recipient.number, r.number);
        d.eq(where, "coding", ours.coding, a.coding);
        d.eq(where, "class", ours.messageClass, r.class);
        d.eq(where, "srr", ours.statusReportRequest, r.statusReport);
        d.eq(where, "validity", ours.validity, { format: "relative", seconds: octetSeconds(r.validity) });
        d.eq(where, "smsc", ours.smsc?.number ?? "", "");
        const c = ours.concat;
        d.eq(
          where,
          "concat",
          c && { ref: c.ref, total: c.total, seq: c.seq, refBits: c.refBits },
          part.concat,
        );
        d.eq(where, "part text", ours.text, part.text);
        text += ours.text ?? "";
      });
      d.eq(`case ${i}`, "reassembled text", text, r.text);
    });
    expect(pdus).toBeGreaterThan(1500);
    d.assertNone(`${pdus} PDUs`);
  });
});

describe("SMS-DELIVER", () => {
  it("Gammu-encoded DELIVERs (numeric and alphanumeric senders) decode the same in ours", async () => {
    const rng = mulberry32(0x5eed03);
    const reqs = Array.from({ length: 400 }, () => {
      const raw = makeText(rng, pick(rng, FLAVOURS), makeLength(rng));
      const unicode = segmentPreview(raw).coding === "ucs2";
      const text = gammuSafe(raw, unicode);
      const t = new Date(Date.UTC(2026, 0, 1) + int(rng, 0, 3 * 365 * 86_400) * 1000);
      return {
        layout: "deliver" as const,
        number: rng() < 0.25 ? pick(rng, ["SHOP", "LaPoste", "INFO", "Banque42"]) : makeNumber(rng),
        text,
        unicode,
        class: rng() < 0.7 ? null : int(rng, 0, 3),
        ref: int(rng, 0, 255),
        scts: t.toISOString().slice(0, 19),
      };
    });
    const answers = await gammu.encode(reqs);
    const d = new Diffs();
    answers.forEach((a, i) => {
      const r = reqs[i]!;
      if (!a.ok) {
        d.list.push(`case ${i}: Gammu could not encode: ${a.text ?? a.error}`);
        return;
      }
      let text = "";
      a.parts.forEach((part, j) => {
        const where = `case ${i} part ${j + 1} ${part.pdu}`;
        const ours = decodePdu(part.pdu);
        if (ours.type !== "deliver") {
          d.eq(where, "type", ours.type, "deliver");
          return;
        }
        d.eq(where, "number", ours.originator.number, r.number);
        d.eq(where, "class", ours.messageClass, r.class);
        d.eq(where, "coding", ours.coding, a.coding);
        // Gammu writes the zone octet as 0 (GMT) whatever the time stamp.
        d.eq(where, "scts", [ours.scts.iso.slice(0, 19), ours.scts.offsetMinutes], [r.scts, 0]);
        const c = ours.concat;
        d.eq(
          where,
          "concat",
          c && { ref: c.ref, total: c.total, seq: c.seq, refBits: c.refBits },
          part.concat,
        );
        text += ours.text ?? "";
      });
      d.eq(`case ${i}`, "text", text, r.text);
    });
    d.assertNone("DELIVER PDUs");
  });

  it("hand-built DELIVERs with time zones, DCS classes and 8-bit data decode the same in both", async () => {
    const rng = mulberry32(0x5eed04);
    // 23.038 §4: general group with/without class, and group 1111 (class with GSM-7 or 8-bit).
    const DCS = [
      0x00, 0x04, 0x08, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x18, 0x1a, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf7,
    ];
    const pdus = Array.from({ length: 300 }, () => {
      const dcs = pick(rng, DCS);
      const ucs2 = (dcs & 0x0c) === 0x08 && dcs < 0xf0;
      const gsm7 = (dcs & 0x0c) === 0 || (dcs >= 0xf0 && (dcs & 0x04) === 0);
      let ud: string;
      let udl: number;
      if (gsm7) {
        // TP-UDL counts septets for GSM-7 (23.040 §9.2.3.16).
        const septets = makeSeptets(rng, int(rng, 0, 160));
        // A final CR is where the two readings of 23.038 §6.1.2.3.1 part: ours drops a CR that ends
        // on an octet boundary as padding (the clause has senders double a wanted final CR), Gammu
        // keeps every septet TP-UDL counts. Checked against the spec in the codec's unit tests.
        if (septets.at(-1) === 0x0d) septets[septets.length - 1] = 0x20;
        ud = packSeptetsHex(septets);
        udl = septets.length;
      } else if (ucs2) {
        const units = Array.from({ length: int(rng, 0, 70) }, () => gammuSafeUnit(int(rng, 0x20, 0x17f)));
        ud = units.map((u) => hex2(u >> 8) + hex2(u & 0xff)).join("");
        udl = units.length * 2;
      } else {
        ud = Array.from({ length: int(rng, 0, 140) }, () => hex2(int(rng, 0, 255))).join("");
        udl = ud.length / 2;
      }
      const tzq = int(rng, -48, 56);
      const ts = { y: int(rng, 2000, 2049), mo: int(rng, 1, 12), d: int(rng, 1, 28), h: int(rng, 0, 23) };
      const stamp = scts({ ...ts, mi: int(rng, 0, 59), s: int(rng, 0, 59), tzq });
      const smsc = rng() < 0.5 ? "00" : address("+33609001390").replace(/^../, "07");
      return { pdu: `${smsc}04${address(makeNumber(rng))}00${hex2(dcs)}${stamp}${hex2(udl)}${ud}`, tzq };
    });
    const answers = await gammu.decode(pdus.map((p) => ({ pdu: p.pdu })));
    const d = new Diffs();
    pdus.forEach(({ pdu, tzq }, i) => {
      const g = answers[i]!;
      const where = `case ${i} ${pdu}`;
      if (!g.ok) {
        d.list.push(`${where}: Gammu could not decode: ${g.text ?? g.error}`);
        return;
      }
      const ours = decodePdu(pdu);
      if (ours.type !== "deliver") {
        d.eq(where, "type", ours.type, "deliver");
        return;
      }
      d.eq(where, "number", ours.originator.number, g.number);
      d.eq(where, "smsc", ours.smsc?.number ?? "", g.smsc);
      d.eq(where, "coding", ours.coding, g.coding);
      d.eq(where, "class", ours.messageClass, g.class);
      d.eq(where, "data", ours.dataHex ?? null, g.dataHex);
      if (g.text !== null) d.eq(where, "text", ours.text, gammuText(g));
      // python-gammu drops the zone: compare the local time, and the zone against the PDU itself.
      d.eq(where, "scts", [ours.scts.iso.slice(0, 19), ours.scts.offsetMinutes], [g.scts, tzq * 15]);
    });
    d.assertNone("hand-built DELIVER PDUs");
  });
});

describe("SMS-STATUS-REPORT (Gammu cannot encode one, so they are built by hand from 23.040 §9.2.2.3)", () => {
  it("decodes MR, recipient, TP-ST, SCTS and discharge time as Gammu does", async () => {
    const rng = mulberry32(0x5eed05);
    const stamp = () =>
      scts({
        y: int(rng, 2000, 2049),
        mo: int(rng, 1, 12),
        d: int(rng, 1, 28),
        h: int(rng, 0, 23),
        mi: int(rng, 0, 59),
        s: int(rng, 0, 59),
        tzq: int(rng, -48, 56),
      });
    const pdus = Array.from({ length: 400 }, () => {
      const withSmsc = rng() < 0.7;
      const smsc = rng() < 0.5 ? "00" : address("+33609001390").replace(/^../, "07");
      // First octet: MTI=10, optional TP-MMS (bit 2) and TP-SRQ (bit 5).
      const fo = 0x02 | (rng() < 0.5 ? 0x04 : 0) | (rng() < 0.2 ? 0x20 : 0);
      const tpdu = `${hex2(fo)}${hex2(int(rng, 0, 255))}${address(makeNumber(rng))}${stamp()}${stamp()}${hex2(pick(rng, STATUS_VALUES))}`;
      return { pdu: withSmsc ? smsc + tpdu : tpdu, smsc: withSmsc };
    });
    const answers = await gammu.decode(pdus);
    const d = new Diffs();
    const gammuClass = (st: number) => (st < 0x20 ? "delivered" : st < 0x40 ? "pending" : "failed");
    pdus.forEach((p, i) => {
      const g = answers[i]!;
      const where = `case ${i} ${p.pdu}`;
      if (!g.ok) {
        d.list.push(`${where}: Gammu could not decode: ${g.text ?? g.error}`);
        return;
      }
      const ours = decodePdu(p.pdu, { smsc: p.smsc });
      if (ours.type !== "status-report") {
        d.eq(where, "type", ours.type, "status-report");
        return;
      }
      d.eq(where, "mr", ours.mr, g.mr);
      d.eq(where, "number", ours.recipient.number, g.number);
      d.eq(where, "status", ours.status, g.status);
      d.eq(where, "status class", ours.statusClass.replace(/-.*/, ""), gammuClass(g.status ?? -1));
      d.eq(where, "scts", ours.scts.iso.slice(0, 19), g.scts);
      d.eq(where, "discharge", ours.dischargeTime.iso.slice(0, 19), g.dischargeTime);
    });
    d.assertNone("STATUS-REPORT PDUs");
  });
});

describe("where Gammu departs from the spec (checked against the spec alone, excluded above)", () => {
  it("an ESC followed by a code with no extension-table entry shows the default-table character", async () => {
    // 23.038 §6.2.1.1: a code after ESC that the extension table does not define is displayed as
    // the character of the default table. Gammu prints an extra '¹' for the ESC instead, which is
    // why the random GSM-7 cases above only escape defined codes.
    const septets = [0x48, 0x1b, 0x41, 0x1b, 0x69, 0x21]; // "H", ESC "A", ESC "i", "!"
    const pdu = `00040B913316325476F80000621162011200${"40"}${hex2(septets.length)}${packSeptetsHex(septets)}`;
    const ours = decodePdu(pdu);
    expect(ours.type === "deliver" && ours.text).toBe("HAi!");
    const [g] = await gammu.decode([{ pdu }]);
    expect(g?.ok && gammuText(g)).not.toBe("HAi!");
  });

  it("a '~' in UCS-2 is U+007E both ways", async () => {
    // 23.038 §6.2.3: UCS2 is plain ISO/IEC 10646; Gammu maps '~' to its Nokia U+0001 control.
    const e = encodeSubmit({ to: "+33612345678", text: "œ~", coding: "ucs2" });
    expect(e.parts[0]?.pdu.endsWith("04015300" + "7E")).toBe(true);
    const [g] = await gammu.encode([{ number: "+33612345678", text: "œ~", unicode: true }]);
    expect(g?.ok && g.parts[0]?.pdu.endsWith("04015300" + "01")).toBe(true);
  });
});
