/**
 * Encoding bugs reported against peer gateways (shared/research/peers.md §3.4, §3.10), each
 * replayed both ways through Gammu: ours encodes and Gammu reads, Gammu encodes and ours reads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePdu, encodeSubmit } from "../../src/pdu/index.js";
import { type GammuOracle, gammuText, startGammu } from "./gammu.js";

let gammu: GammuOracle;
beforeAll(async () => {
  gammu = await startGammu();
});
afterAll(async () => {
  await gammu?.close();
});

const TO = "+33612345678";

/** Ours → Gammu: the reassembled text Gammu reads from our PDUs. */
async function gammuReads(text: string, opts: { concatRef16?: boolean } = {}): Promise<string> {
  const parts = encodeSubmit({ to: TO, text, concatRef: 0x42, ...opts }).parts;
  const answers = await gammu.decode(parts.map((p) => ({ pdu: p.pdu })));
  return answers.map((a) => (a.ok ? gammuText(a) : `<Gammu error ${a.error}>`)).join("");
}

/** Gammu → ours: the reassembled text our decoder reads from Gammu's PDUs. */
async function oursReads(text: string, unicode: boolean): Promise<string> {
  const [a] = await gammu.encode([{ number: TO, text, unicode, ref: 0x42 }]);
  if (!a?.ok) throw new Error(`Gammu could not encode: ${a?.error}`);
  return a.parts
    .map((p) => {
      const d = decodePdu(p.pdu);
      return d.type === "status-report" ? "" : (d.text ?? "");
    })
    .join("");
}

describe("peer bugs replayed against Gammu", () => {
  it.each([
    ["'@' in the middle does not end the text (chan-dongle #140)", "aaa@bbb"],
    ["7 spare bits do not become a stray '@' (chan-dongle #140, go-smpp PR #109)", "Testing"],
    ["a text ending in '@' keeps it", "Rendez-vous chez Marc@"],
    ["'€' is not dropped (opensmpp #19)", "Total 12€ TTC"],
    ["'!' and '|' stay themselves (python-smpplib #261)", "Promo! -20% | code ETE"],
  ])("%s", async (_name, text) => {
    expect(await gammuReads(text)).toBe(text);
    expect(await oursReads(text, false)).toBe(text);
  });

  it("7-bit concatenation keeps the fill bits after the UDH (emilsedgh/pdu PR #3)", async () => {
    const text = "Votre colis arrive demain entre 8h et 12h. ".repeat(8);
    expect(await gammuReads(text)).toBe(text);
    expect(await gammuReads(text, { concatRef16: true })).toBe(text);
    expect(await oursReads(text, false)).toBe(text);
  });

  it("the last part of a UCS-2 multipart is not lost (Gammu #19)", async () => {
    const text = "Réunion à 14h, salle «Rivoli» — apportez vos œuvres ✨ ".repeat(5);
    expect(await gammuReads(text)).toBe(text);
    expect(await oursReads(text, true)).toBe(text);
  });

  it("a 54-part message encodes and reads back whole (Gammu #442 crashed merging one)", async () => {
    const text = "0123456789".repeat(900).slice(0, 54 * 153);
    const parts = encodeSubmit({ to: TO, text, concatRef: 7 }).parts;
    expect(parts).toHaveLength(54);
    expect(await gammuReads(text)).toBe(text);
  });
});
