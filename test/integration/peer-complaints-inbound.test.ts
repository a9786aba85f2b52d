/**
 * Peer complaints about receiving (docs/peer-complaints.md, peers.md §3.1 and §3.4), replayed with
 * the real engine, AT channel and Modem driver on simulated modems: a SIM800 that routes each SMS
 * as +CMT (acknowledged with AT+CNMA) and an EC25 that stores it and announces +CMTI.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Fleet, startFleet, until } from "../helpers/engine-sim.js";

let fleet: Fleet | null = null;
afterEach(async () => {
  await fleet?.stop();
  fleet = null;
});

const OUTSIDE = "+33612345678";
/** An SMS-DELIVER cut off after its SCTS: no TP-UDL, no user data (the store's unit test uses it too). */
const TRUNCATED = "07913396050066F0040B913316325476F8000862";

const inbound = () => fleet!.engine.listMessages({ direction: "inbound" }).items;
const quarantined = () =>
  (fleet!.engine.db.prepare("SELECT modem_id AS modemId FROM quarantine").all() as { modemId: string }[]).map(
    (r) => r.modemId,
  );

describe("one bad incoming SMS (Gammu #45: it froze gammu-smsd until a reboot)", () => {
  it("is quarantined and taken off the modem, and the SMS after it arrives, on +CMT and on +CMTI", async () => {
    fleet = await startFleet(2);
    const [cmt, cmti] = fleet.members;
    expect([cmt!.sim.modem.persona.id, cmti!.sim.modem.persona.id]).toEqual(["sim800", "quectel"]);
    const acks: string[] = [];
    cmt!.sim.defineBehavior({
      onCommand: (_s, line) => {
        if (line.toUpperCase().startsWith("AT+CNMA")) acks.push(line.toUpperCase());
        return false;
      },
    });
    for (const m of [cmt!, cmti!]) {
      m.sim.inject({ from: OUTSIDE, pdu: TRUNCATED });
      m.sim.inject({ from: OUTSIDE, text: `après le PDU cassé (${m.modem.id})`, delayMs: 100 });
    }
    await until(() => inbound().length === 2, 10_000, "the SMS after the bad one, on both modems");
    expect(
      inbound()
        .map((m) => [m.modemId, m.text])
        .sort(),
    ).toEqual([cmt!, cmti!].map((m) => [m.modem.id, `après le PDU cassé (${m.modem.id})`]).sort());
    expect(quarantined().sort()).toEqual([cmt!.modem.id, cmti!.modem.id].sort());
    // Taken off the modem, so never read again: the EC25 deleted it from storage, and the SIM800
    // acknowledged it with a plain AT+CNMA (27.005 §3.4.4), not AT+CNMA=2 (which asks for it again).
    const storages = cmti!.sim.storage.names();
    const stored = () => storages.flatMap((s) => cmti!.sim.storage.list(s, 4));
    await until(() => stored().length === 0, 5_000, "the EC25's storage emptied");
    await until(() => acks.length === 2, 5_000, "both +CMT acknowledged");
    expect(acks).toEqual(["AT+CNMA", "AT+CNMA"]);
    await new Promise((r) => setTimeout(r, 700)); // longer than the network's 500 ms redelivery
    expect(stored()).toEqual([]);
    expect(quarantined()).toHaveLength(2);
    expect(inbound()).toHaveLength(2);
  });
});

describe("long inbound messages (peers.md §3.4)", () => {
  it("a 54-part message arrives as one whole message (Gammu #442 crashed merging one)", async () => {
    fleet = await startFleet(1);
    const [a] = fleet.members;
    const text = Array.from({ length: 54 * 153 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
    a!.sim.inject({ from: OUTSIDE, text, parts: 54, refBits: 8 });
    await until(() => inbound().length === 1, 15_000, "the reassembled message");
    const [m] = inbound();
    expect(m).toMatchObject({ contact: OUTSIDE, modemId: a!.modem.id });
    expect(m?.text).toBe(text);
  });
});

describe('delivery reports kept in SR storage (Gammu #408: +CDSI: "SR" reports were never handled)', () => {
  it("an EC25 report announced with +CDSI is read from SR, matched, and the message is delivered", async () => {
    fleet = await startFleet(2);
    const [sim800, ec25] = fleet.members;
    const commands: string[] = [];
    ec25!.sim.defineBehavior({
      onCommand: (_s, line) => {
        commands.push(line.toUpperCase());
        return false;
      },
    });
    const { id } = fleet.engine.enqueue({
      to: sim800!.sim.msisdn,
      text: "avec accusé de réception",
      category: "transactional",
      statusReport: true,
      modem: ec25!.modem.id,
    });
    await until(() => fleet!.engine.getMessage(id)?.status === "delivered", 10_000, "delivered");
    // The report went through SR storage (27.005 §3.4.1 <ds>=2), not a direct +CDS.
    expect(commands.some((c) => c.includes('"SR"'))).toBe(true);
    await until(() => ec25!.sim.storage.used("SR") === 0, 5_000, "the report deleted from SR");
  });
});
