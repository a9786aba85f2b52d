import { describe, expect, it } from "vitest";
import { SimNetwork } from "../../src/sim/network.js";
import { decodeSubmit, encodeSubmit } from "../../src/sim/pdu-submit.js";
import { fastSim, sendPdu } from "./raw-client.js";

// 27.005 §3.5.1 textbook submit: to +46708251358, "hellohello", TP-MR 0, 23 TPDU octets.
const HELLO = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";

describe("AT+CMGS in PDU mode (27.005 §3.5.1)", () => {
  it("prompts with '> ' and no line end, then answers +CMGS with the modem's own MR", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    await client.send("AT+CMGS=23\r");
    expect(await client.waitFor("> ")).toBe("\r\n> ");
    client.take();
    await client.send(`${HELLO}\x1a`);
    const r = await client.waitFor(/OK\r\n$/);
    const mr = sim.modem.mr === 0 ? 255 : sim.modem.mr - 1;
    expect(r).toBe(`\r\n+CMGS: ${mr}\r\n\r\nOK\r\n`);
    expect(sim.network.log).toHaveLength(1);
    expect(sim.network.log[0]).toMatchObject({
      mr,
      to: "+46708251358",
      text: "hellohello",
      outcome: "accepted",
    });
  });

  it("increments TP-MR for each submit, whatever MR the PDU carries", async () => {
    const { client, sim } = fastSim({ persona: "quectel", seed: 9 });
    await client.cmd("ATE0");
    const mrs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await sendPdu(client, HELLO, 23);
      mrs.push(Number(/\+CMGS: (\d+)/.exec(r)?.[1]));
    }
    expect(mrs[1]).toBe(((mrs[0] ?? 0) + 1) % 256);
    expect(mrs[2]).toBe(((mrs[0] ?? 0) + 2) % 256);
    expect(sim.network.log.map((e) => e.mr)).toEqual(mrs);
  });

  it("answers +CMS ERROR: 304 when the declared length does not match the TPDU", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    expect(await sendPdu(client, HELLO, 22)).toBe("\r\n+CMS ERROR: 304\r\n");
    expect(await sendPdu(client, "00zz", 1 + 7)).toBe("\r\n+CMS ERROR: 304\r\n");
    expect(await client.cmd("AT+CMGS=3")).toBe("\r\n+CMS ERROR: 304\r\n");
    expect(sim.network.log).toHaveLength(0);
  });

  it("cancels on ESC: OK and nothing sent", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    await client.send("AT+CMGS=23\r");
    await client.waitFor("> ");
    client.take();
    await client.send(`${HELLO.slice(0, 10)}\x1b`);
    expect(await client.waitFor("OK\r\n")).toBe("\r\nOK\r\n");
    expect(sim.network.log).toHaveLength(0);
  });

  it("echoes the PDU typed at the prompt while echo is on (SIM800)", async () => {
    const { client } = fastSim({ persona: "sim800" });
    await client.send("AT+CMGS=23\r");
    await client.waitFor("> ");
    await client.send(`${HELLO}\x1a`);
    expect(await client.waitFor(/OK\r\n$/)).toMatch(
      /^AT\+CMGS=23\r\r\n> 0011000B9164.*D9EC37\r\n\+CMGS: \d+\r\n\r\nOK\r\n$/,
    );
  });

  it("uses the +CSCA address when the PDU has none, and 330 when there is none at all", async () => {
    const { client } = fastSim({ persona: "generic" });
    await client.cmd("ATE0");
    expect(await client.cmd("AT+CSCA?")).toBe('\r\n+CSCA: "+33609001390",145\r\n\r\nOK\r\n');
    await client.cmd('AT+CSCA=""');
    expect(await sendPdu(client, HELLO, 23)).toBe("\r\n+CMS ERROR: 330\r\n");
  });
});

describe("text mode (27.005 §3.5.1 with +CMGF=1)", () => {
  it("sends text typed at the prompt and lists received messages with text fields", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0;+CMGF=1");
    await client.send('AT+CMGS="+33611112222"\r');
    await client.waitFor("> ");
    client.take();
    await client.transport.write(Buffer.from("Bonjour €\x1a", "utf8"));
    expect(await client.waitFor(/OK\r\n$/)).toMatch(/^\r\n\+CMGS: \d+\r\n\r\nOK\r\n$/);
    expect(sim.network.log[0]).toMatchObject({ to: "+33611112222", text: "Bonjour €", coding: "gsm7" });
    sim.inject({ from: "+33699998888", text: "Salut" });
    await client.waitFor('+CMTI: "SM",1');
    expect(await client.cmd('AT+CMGL="ALL"')).toMatch(
      /^\r\n\+CMGL: 1,"REC UNREAD","\+33699998888",,"\d\d\/\d\d\/\d\d,\d\d:\d\d:\d\d\+00"\r\nSalut\r\n\r\nOK\r\n$/,
    );
  });
});

describe("storage: +CPMS, +CMGR, +CMGL, +CMGD with the persona's index base", () => {
  it.each([
    ["sim800", 1, '""'],
    ["quectel", 0, ""],
  ] as const)(
    "%s stores incoming messages from index %i, <alpha> printed as '%s'",
    async (persona, base, alpha) => {
      const { client, sim } = fastSim({ persona });
      await client.cmd("ATE0");
      sim.inject({ from: "+33699998888", text: "one" });
      sim.inject({ from: "+33699998888", text: "two" });
      await client.waitFor(`+CMTI: "SM",${base + 1}`);
      expect(client.take()).toBe(`\r\n+CMTI: "SM",${base}\r\n\r\n+CMTI: "SM",${base + 1}\r\n`);
      expect(await client.cmd("AT+CPMS?")).toBe(`\r\n+CPMS: "SM",2,50,"SM",2,50,"SM",2,50\r\n\r\nOK\r\n`);
      const r = await client.cmd(`AT+CMGR=${base}`);
      const m = new RegExp(`^\\r\\n\\+CMGR: 0,${alpha},(\\d+)\\r\\n([0-9A-F]+)\\r\\n\\r\\nOK`).exec(r);
      expect(m).not.toBeNull();
      expect(Number(m?.[1])).toBe((m?.[2]?.length ?? 0) / 2 - 8); // minus the 8-octet SMSC field
      expect(await client.cmd("AT+CMGL=0")).toMatch(
        new RegExp(`^\\r\\n\\+CMGL: ${base + 1},0,${alpha},\\d+\\r\\n[0-9A-F]+\\r\\n\\r\\nOK\\r\\n$`),
      );
      expect(await client.cmd("AT+CMGL=4")).toMatch(
        new RegExp(`\\+CMGL: ${base},1,${alpha},.*\\+CMGL: ${base + 1},1,${alpha},`, "s"),
      );
      expect(await client.cmd(`AT+CMGD=${base}`)).toBe("\r\nOK\r\n");
      expect(sim.storage.used("SM")).toBe(1);
      expect(await client.cmd(`AT+CMGD=${base + 50}`)).toBe("\r\n+CMS ERROR: 321\r\n");
      expect(await client.cmd("AT+CMGD=0,4")).toBe("\r\nOK\r\n");
      expect(sim.storage.used("SM")).toBe(0);
    },
  );

  it("answers a read of an empty slot as each persona does", async () => {
    const s = fastSim({ persona: "sim800" });
    await s.client.cmd("ATE0");
    expect(await s.client.cmd("AT+CMGR=3")).toBe("\r\nOK\r\n");
    const q = fastSim({ persona: "quectel" });
    await q.client.cmd("ATE0");
    expect(await q.client.cmd("AT+CMGR=3")).toBe("\r\n+CMS ERROR: 321\r\n");
    expect(await s.client.cmd("AT+CMGR=0")).toBe("\r\n+CMS ERROR: 321\r\n");
  });

  it("switches storages with +CPMS and lists them with +CPMS=?", async () => {
    const { client } = fastSim({ persona: "quectel" });
    await client.cmd("ATE0");
    expect(await client.cmd("AT+CPMS=?")).toBe(
      '\r\n+CPMS: ("SM","ME","SR"),("SM","ME","SR"),("SM","ME","SR")\r\n\r\nOK\r\n',
    );
    expect(await client.cmd('AT+CPMS="ME","ME","ME"')).toBe("\r\n+CPMS: 0,255,0,255,0,255\r\n\r\nOK\r\n");
    expect(await client.cmd('AT+CPMS="XX"')).toBe("\r\n+CMS ERROR: 302\r\n");
  });

  it("writes with +CMGW into mem2", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    await client.send("AT+CMGW=23\r");
    await client.waitFor("> ");
    client.take();
    await client.send(`${HELLO}\x1a`);
    expect(await client.waitFor(/OK\r\n$/)).toBe("\r\n+CMGW: 1\r\n\r\nOK\r\n");
    expect(sim.storage.get("SM", 1)).toMatchObject({ stat: 2, pdu: HELLO });
  });
});

describe("+CNMI routing (27.005 §3.4.1) and +CNMA (§3.4.4)", () => {
  it("routes directly as +CMT: ,<len> with the PDU on the next line for <mt>=2", async () => {
    const { client, sim } = fastSim({ persona: "quectel" });
    await client.cmd("ATE0;+CNMI=2,2,0,0,0");
    sim.inject({ from: "+33699998888", text: "direct" });
    const r = await client.waitFor(/\+CMT: ,\d+\r\n[0-9A-F]+\r\n$/);
    const m = /^\r\n\+CMT: ,(\d+)\r\n([0-9A-F]+)\r\n$/.exec(r);
    expect(Number(m?.[1])).toBe((m?.[2]?.length ?? 0) / 2 - 8);
    expect(sim.storage.used("SM")).toBe(0);
  });

  it("refuses +CNMI values outside the persona's ranges", async () => {
    const { client } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    expect(await client.cmd("AT+CNMI=?")).toBe("\r\n+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CNMI=2,1,1,0,0")).toBe("\r\n+CMS ERROR: 303\r\n");
    expect(await client.cmd("AT+CNMI?")).toBe("\r\n+CNMI: 2,1,0,0,0\r\n\r\nOK\r\n");
  });

  it("needs +CNMA with +CSMS=1; +CNMA with nothing pending is +CMS ERROR: 340", async () => {
    const network = new SimNetwork({ retryMs: 30 });
    const { client, sim } = fastSim({ persona: "sim800", network, cnmaTimeoutMs: 60_000 });
    await client.cmd("ATE0");
    expect(await client.cmd("AT+CSMS=1")).toBe("\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n");
    await client.cmd("AT+CNMI=2,2,0,0,0");
    expect(await client.cmd("AT+CNMA")).toBe("\r\n+CMS ERROR: 340\r\n");
    sim.inject({ from: "+33699998888", text: "first" });
    sim.inject({ from: "+33699998888", text: "second" });
    await client.waitFor(/\+CMT: .*\r\n$/s);
    await new Promise((r) => setTimeout(r, 40));
    expect(client.take().match(/\+CMT:/g)).toHaveLength(1); // the second waits for the acknowledgement
    await client.send("AT+CNMA\r");
    const r = await client.waitFor(/\+CMT: .*\r\n[0-9A-F]+\r\n$/s);
    expect(r).toMatch(/^\r\nOK\r\n\r\n\+CMT: "",\d+\r\n[0-9A-F]+\r\n$/);
    expect(sim.modem.inbound.history.filter((h) => h.route === "cmt")).toHaveLength(2);
  });

  it("without +CNMA in time: sets <mt>=<ds>=0 and the network redelivers into storage", async () => {
    const network = new SimNetwork({ retryMs: 20 });
    const { client, sim } = fastSim({ persona: "sim800", network, cnmaTimeoutMs: 30 });
    await client.cmd("ATE0;+CSMS=1;+CNMI=2,2,0,1,0");
    sim.inject({ from: "+33699998888", text: "unacked" });
    await client.waitFor("+CMT:");
    await new Promise((r) => setTimeout(r, 120));
    expect(await client.cmd("AT+CNMI?")).toBe("\r\n+CNMI: 2,0,0,0,0\r\n\r\nOK\r\n");
    expect(sim.storage.list("SM", 4)).toHaveLength(1);
    expect(sim.modem.inbound.history.map((h) => h.route)).toEqual(["cmt", "stored"]);
  });

  it("keeps indications in the TA buffer with <mode>=0 and flushes them when <mode> becomes 2", async () => {
    const { client, sim } = fastSim({ persona: "generic" });
    await client.cmd("ATE0;+CNMI=0,1,0,0,0");
    sim.inject({ from: "+33699998888", text: "buffered" });
    await new Promise((r) => setTimeout(r, 20));
    expect(client.received).toBe("");
    expect(await client.cmd("AT+CNMI=2,1,0,0,0")).toBe('\r\nOK\r\n\r\n+CMTI: "SM",1\r\n');
  });
});

describe("submitted PDUs reach the log decoded", () => {
  it("records concatenated parts with their reference", async () => {
    const { client, sim } = fastSim({ persona: "huawei" });
    await client.cmd("ATE0;^CURC=0");
    for (const seq of [1, 2]) {
      const { pdu, tpduLength } = encodeSubmit({
        to: "+33612121212",
        ud: { coding: "ucs2", text: `partie ${seq}`, concat: { ref: 77, total: 2, seq, refBits: 8 } },
      });
      expect(decodeSubmit(pdu).concat?.seq).toBe(seq);
      expect(await sendPdu(client, pdu, tpduLength)).toMatch(/\+CMGS: \d+/);
    }
    expect(sim.network.log.map((e) => [e.text, e.concat?.seq, e.concat?.ref])).toEqual([
      ["partie 1", 1, 77],
      ["partie 2", 2, 77],
    ]);
  });
});

describe("message classes under +CNMI (27.005 §3.4.1, 23.038 §4)", () => {
  // SMS-DELIVER "hi" from +33612345678; DCS 0x12 = class 2, 0x13 = class 3, 0x00 = no class.
  const deliver = (dcs: string) => `07913306091093F0040B913316325476F800${dcs}62102030405000` + "02E834";

  it("stores a class 2 message even with <mt>=2, and routes only class 3 directly with <mt>=3", async () => {
    const { client, sim } = fastSim({ persona: "generic" });
    await client.cmd("ATE0;+CNMI=2,2,0,0,0");
    sim.inject({ from: "+33612345678", pdu: deliver("12") });
    await client.waitFor('+CMTI: "SM",1');
    await client.cmd("AT+CNMI=2,3,0,0,0");
    sim.inject({ from: "+33612345678", pdu: deliver("00") });
    await client.waitFor('+CMTI: "SM",2');
    client.take();
    sim.inject({ from: "+33612345678", pdu: deliver("13") });
    expect(await client.waitFor(/\+CMT: ,\d+\r\n[0-9A-F]+\r\n$/)).toMatch(/^\r\n\+CMT: ,21\r\n/);
  });
});
