import { spawnSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSimModem } from "../../src/sim/index.js";
import { SimNetwork } from "../../src/sim/network.js";
import { encodeSubmit } from "../../src/sim/pdu-submit.js";
import { FAST, fastSim, RawClient, sendPdu } from "./raw-client.js";

function gammu(hex: string): {
  Number: string;
  Text: string;
  Type: string;
  DeliveryStatus: number;
  MessageReference: number;
  Part: number;
} {
  const script =
    "import gammu,json,sys\nd=gammu.DecodePDU(bytes.fromhex(sys.argv[1]))\nprint(json.dumps({k:d[k] for k in ('Number','Text','Type','DeliveryStatus','MessageReference')}|{'Part':d['UDH']['PartNumber']}))";
  const r = spawnSync("/usr/bin/python3", ["-c", script, hex], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe("loopback between two simulated modems", () => {
  it("delivers A's submit to B as an SMS-DELIVER from A's number with the same text", async () => {
    const network = new SimNetwork({ deliveryDelayMs: 5, statusReportDelayMs: 5 });
    const a = fastSim({ persona: "sim800", network, msisdn: "+33611111111" });
    const b = fastSim({ persona: "quectel", network, msisdn: "+33622222222", seed: 2 });
    await a.client.cmd("ATE0");
    await b.client.cmd("ATE0");
    // Gammu appends stray characters after GSM extension-table escapes, so the text avoids them.
    const { pdu, tpduLength } = encodeSubmit({ to: "+33622222222", ud: { coding: "gsm7", text: "ping @1" } });
    expect(await sendPdu(a.client, pdu, tpduLength)).toMatch(/\+CMGS: \d+/);
    await b.client.waitFor('+CMTI: "SM",0');
    const r = await b.client.cmd("AT+CMGR=0");
    const hex = /\r\n([0-9A-F]+)\r\n/.exec(r)?.[1] ?? "";
    expect(gammu(hex)).toMatchObject({ Type: "Deliver", Number: "+33611111111", Text: "ping @1" });
  });

  it("finds a modem by its national number too", async () => {
    const network = new SimNetwork({ deliveryDelayMs: 1 });
    const a = fastSim({ persona: "generic", network, msisdn: "+33611111111" });
    const b = fastSim({ persona: "generic", network, msisdn: "+33622222222" });
    await a.client.cmd("ATE0");
    await b.client.cmd("ATE0;+CNMI=2,1,0,0,0");
    const { pdu, tpduLength } = encodeSubmit({ to: "0622222222", ud: { coding: "gsm7", text: "hi" } });
    await sendPdu(a.client, pdu, tpduLength);
    await b.client.waitFor("+CMTI:");
    expect(b.sim.storage.used("SM")).toBe(1);
  });
});

describe("status reports after a delay (fake timers)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function submitWithSrr(client: RawClient, to: string): Promise<number> {
    const { pdu, tpduLength } = encodeSubmit({ to, ud: { coding: "gsm7", text: "dlr please" }, srr: true });
    await client.send(`AT+CMGS=${tpduLength}\r`);
    await vi.advanceTimersByTimeAsync(5);
    await client.send(`${pdu}\x1a`);
    await vi.advanceTimersByTimeAsync(20);
    return Number(/\+CMGS: (\d+)/.exec(client.take())?.[1]);
  }

  it("+CDS arrives only after delivery + report delay, with the MR the modem assigned", async () => {
    const network = new SimNetwork({ deliveryDelayMs: 2000, statusReportDelayMs: 3000 });
    const { transport } = createSimModem({ persona: "sim800", network, booted: true, timings: FAST });
    const client = new RawClient(transport);
    await client.send("ATE0;+CNMI=2,1,0,1,0\r");
    await vi.advanceTimersByTimeAsync(5);
    client.take();
    const mr = await submitWithSrr(client, "+33755555555");
    await vi.advanceTimersByTimeAsync(4900);
    expect(client.received).toBe("");
    await vi.advanceTimersByTimeAsync(200);
    const m = /^\r\n\+CDS: (\d+)\r\n([0-9A-F]+)\r\n$/.exec(client.take());
    expect(m).not.toBeNull();
    expect(Number(m?.[1])).toBe(25);
    expect(gammu(m?.[2] ?? "")).toMatchObject({
      Type: "Status_Report",
      MessageReference: mr,
      Number: "+33755555555",
      DeliveryStatus: 0,
    });
  });

  it("stores the report in SR and announces +CDSI when <ds>=2 (EC25)", async () => {
    const network = new SimNetwork({ deliveryDelayMs: 100, statusReportDelayMs: 100 });
    const { transport, sim } = createSimModem({ persona: "quectel", network, booted: true, timings: FAST });
    const client = new RawClient(transport);
    await client.send("ATE0;+CNMI=2,1,0,2,0\r");
    await vi.advanceTimersByTimeAsync(5);
    client.take();
    const mr = await submitWithSrr(client, "+33755555555");
    await vi.advanceTimersByTimeAsync(300);
    expect(client.take()).toBe('\r\n+CDSI: "SR",0\r\n');
    await client.send('AT+CPMS="SR";+CMGR=0\r');
    await vi.advanceTimersByTimeAsync(5);
    const pdu = /\+CMGR: 0,,25\r\n([0-9A-F]+)\r\n/.exec(client.take())?.[1] ?? "";
    expect(gammu(pdu)).toMatchObject({ MessageReference: mr });
    expect(sim.storage.used("SR")).toBe(1);
  });

  it("reports a permanent failure (TP-ST 0x41) for a phone that fails, nothing for one that never answers", async () => {
    const network = new SimNetwork({ deliveryDelayMs: 10, statusReportDelayMs: 10 });
    network.phone("+33700000001", { delivery: "fail" });
    network.phone("+33700000002", { delivery: "never" });
    const { transport } = createSimModem({ persona: "sim800", network, booted: true, timings: FAST });
    const client = new RawClient(transport);
    await client.send("ATE0;+CNMI=2,1,0,1,0\r");
    await vi.advanceTimersByTimeAsync(5);
    client.take();
    await submitWithSrr(client, "+33700000001");
    await vi.advanceTimersByTimeAsync(100);
    const pdu = /\+CDS: \d+\r\n([0-9A-F]+)/.exec(client.take())?.[1] ?? "";
    expect(pdu.endsWith("41")).toBe(true);
    await submitWithSrr(client, "+33700000002");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.received).toBe("");
  });

  it("lets a virtual phone answer with a text", async () => {
    const network = new SimNetwork({ deliveryDelayMs: 10 });
    network.phone("+33700000003", { reply: "STOP", replyDelayMs: 500 });
    const { transport } = createSimModem({ persona: "sim800", network, booted: true, timings: FAST });
    const client = new RawClient(transport);
    await client.send("ATE0\r");
    await vi.advanceTimersByTimeAsync(5);
    client.take();
    await submitWithSrr(client, "+33700000003");
    await vi.advanceTimersByTimeAsync(600);
    expect(client.take()).toBe('\r\n+CMTI: "SM",1\r\n');
    expect(network.phoneInbox.get("+33700000003")?.[0]?.text).toBe("dlr please");
  });

  it("injects a status report for a given MR", async () => {
    const { transport, sim } = createSimModem({ persona: "sim800", booted: true, timings: FAST });
    const client = new RawClient(transport);
    await client.send("ATE0;+CNMI=2,1,0,1,0\r");
    await vi.advanceTimersByTimeAsync(5);
    client.take();
    sim.injectStatusReport({ mr: 300, recipient: "+33612345678", status: "expired" });
    await vi.advanceTimersByTimeAsync(5);
    const pdu = /\+CDS: \d+\r\n([0-9A-F]+)/.exec(client.take())?.[1] ?? "";
    expect(gammu(pdu)).toMatchObject({ MessageReference: 44, Number: "+33612345678" });
    expect(pdu.endsWith("46")).toBe(true);
  });
});

describe("inject", () => {
  it("delivers parts out of order and with duplicates when asked", async () => {
    const { client, sim } = fastSim({ persona: "quectel" });
    await client.cmd("ATE0;+CNMI=2,2,0,0,0");
    sim.inject({ from: "+33699998888", text: "abcdefghi", parts: 3, order: [3, 1, 3, 2] });
    await client.waitFor(/(\+CMT: [^\r]*\r\n[0-9A-F]+\r\n.*){4}/s);
    const pdus = [...client.take().matchAll(/\+CMT: ,\d+\r\n([0-9A-F]+)/g)].map((m) => m[1] ?? "");
    expect(pdus.map((p) => gammu(p).Part)).toEqual([3, 1, 3, 2]);
    expect(pdus.map((p) => gammu(p).Text)).toEqual(["ghi", "abc", "ghi", "def"]);
  });

  it("delivers a raw PDU verbatim and refuses an unknown recipient or bad order", async () => {
    const { sim } = fastSim({ persona: "generic" });
    const pdu = "07911326040000F0040B911346610089F60000208062917314800CC8F71D14969741F977FD07";
    sim.inject({ from: "+31641600986", pdu });
    await new Promise((r) => setTimeout(r, 5));
    expect(sim.modem.inbound.history[0]).toMatchObject({ pdu, tpduLength: 30 });
    expect(() => sim.network.inject({ to: "+1555", from: "x", text: "t" })).toThrow(/no simulated modem/);
    expect(() => sim.inject({ from: "+1", text: "ab", parts: 2, order: [3] })).toThrow(/part 3/);
  });
});
