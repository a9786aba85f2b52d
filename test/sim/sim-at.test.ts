import { describe, expect, it } from "vitest";
import { fastSim } from "./raw-client.js";

describe("V.250 framing, echo and result codes", () => {
  it("echoes the command line at power-up and stops after ATE0", async () => {
    const { client } = fastSim({ persona: "sim800" });
    expect(await client.cmd("AT")).toBe("AT\r\r\nOK\r\n");
    expect(await client.cmd("ATE0")).toBe("ATE0\r\r\nOK\r\n");
    expect(await client.cmd("AT")).toBe("\r\nOK\r\n");
  });

  it("runs several commands of one line in order and stops at the first error", async () => {
    const { client } = fastSim({ persona: "quectel" });
    await client.cmd("ATE0");
    expect(await client.cmd("AT+CMEE=1;+CMGF?;+CMEE?")).toBe("\r\n+CMGF: 0\r\n\r\n+CMEE: 1\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CMGF=0;+NOPE;+CMGF=1")).toBe("\r\nERROR\r\n");
    expect(await client.cmd("AT+CMGF?")).toBe("\r\n+CMGF: 0\r\n\r\nOK\r\n");
  });

  it("answers numeric codes with ATV0 and ignores text before 'AT'", async () => {
    const { client } = fastSim();
    await client.cmd("ATE0");
    await client.send("ATV0\r");
    await client.waitFor("0\r");
    client.take();
    await client.send("xyzAT+FOO\r");
    expect(await client.waitFor("4\r")).toBe("4\r");
  });

  it("accepts lower case, backspace editing and A/ (repeat last line)", async () => {
    const { client } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    expect(await client.cmd("at+cgmm")).toBe("\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CGMX\bM")).toBe("\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n");
    expect(await client.cmd("A/")).toBe("\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n");
  });

  it("answers an unknown command with ERROR", async () => {
    const { client } = fastSim({ persona: "huawei" });
    expect(await client.cmd("AT+XYZZY")).toContain("\r\nERROR\r\n");
  });
});

describe("identity per persona", () => {
  it.each([
    ["sim800", "ATI", "SIM800 R14.18"],
    ["sim800", "AT+CGMR", "Revision:1418B04SIM800L24"],
    ["quectel", "AT+CGMI", "Quectel"],
    ["quectel", "AT+GMM", "EC25"],
    ["huawei", "AT+CGMI", "huawei"],
    ["sim7600", "AT+CGMM", "SIMCOM_SIM7600E-H"],
  ] as const)("%s %s prints %s", async (persona, cmd, text) => {
    const { client } = fastSim({ persona });
    await client.cmd("ATE0");
    expect(await client.cmd(cmd)).toBe(`\r\n${text}\r\n\r\nOK\r\n`);
  });

  it("prints the ICCID with each vendor's command and the IMEI from the seed", async () => {
    const a = fastSim({ persona: "huawei", seed: 5 });
    const b = fastSim({ persona: "huawei", seed: 5 });
    await a.client.cmd("ATE0");
    const iccid = await a.client.cmd("AT^ICCID?");
    expect(iccid).toMatch(/^\r\n\^ICCID: 89\d{17}\r\n\r\nOK\r\n$/);
    expect(await a.client.cmd("AT+CGSN")).toMatch(/^\r\n35\d{13}\r\n/);
    await b.client.cmd("ATE0");
    expect(await b.client.cmd("AT^ICCID?")).toBe(iccid);
    const q = fastSim({ persona: "quectel" });
    await q.client.cmd("ATE0");
    expect(await q.client.cmd("AT+QCCID")).toMatch(/^\r\n\+QCCID: 89\d{17}\r\n/);
    const s = fastSim({ persona: "sim800" });
    await s.client.cmd("ATE0");
    expect(await s.client.cmd("AT+CCID")).toMatch(/^\r\n89\d{17}\r\n/);
  });

  it("prints the ATI block with the IMEI on Huawei", async () => {
    const { client, sim } = fastSim({ persona: "huawei", imei: "861234567890123" });
    await client.cmd("ATE0");
    const r = await client.cmd("ATI");
    expect(r).toContain("Manufacturer: huawei\r\nModel: E3131\r\n");
    expect(r).toContain("IMEI: 861234567890123");
    expect(sim.modem.identity.imei).toBe("861234567890123");
  });
});

describe("+CMEE and the PIN/PUK state machine (27.007 §8.3, §9.1)", () => {
  it("reports SIM PIN required as ERROR, numeric or verbose per +CMEE", async () => {
    const { client } = fastSim({ persona: "sim800", pin: "1234" });
    await client.cmd("ATE0");
    expect(await client.cmd("AT+CIMI")).toBe("\r\nERROR\r\n");
    await client.cmd("AT+CMEE=1");
    expect(await client.cmd("AT+CIMI")).toBe("\r\n+CME ERROR: 11\r\n");
    await client.cmd("AT+CMEE=2");
    expect(await client.cmd("AT+CIMI")).toBe("\r\n+CME ERROR: SIM PIN required\r\n");
    expect(await client.cmd("AT+CPMS?")).toBe("\r\n+CMS ERROR: 311\r\n");
  });

  it("counts PIN tries down, needs the PUK after three, and sets the new PIN", async () => {
    const { client, sim } = fastSim({ persona: "sim800", pin: "1234", puk: "87654321" });
    await client.cmd("ATE0;+CMEE=1");
    expect(await client.cmd("AT+CPIN?")).toBe("\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+SPIC")).toBe("\r\n+SPIC: 3,3,10,10\r\n\r\nOK\r\n");
    for (let i = 0; i < 3; i++) expect(await client.cmd('AT+CPIN="0000"')).toBe("\r\n+CME ERROR: 16\r\n");
    expect(await client.cmd("AT+CPIN?")).toBe("\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CPIN=1234")).toBe("\r\n+CME ERROR: 16\r\n");
    expect(await client.cmd("AT+SPIC")).toBe("\r\n+SPIC: 0,3,9,10\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CPIN=87654321,4321")).toMatch(/^\r\nOK\r\n/);
    expect(sim.modem.pin).toBe("4321");
    await client.waitFor("SMS Ready");
    expect(await client.cmd("AT+CPIN?")).toBe("\r\n+CPIN: READY\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CPIN=4321")).toBe("\r\n+CME ERROR: 3\r\n");
  });

  it("announces +CPIN: READY, then SMS ready URCs after the right PIN", async () => {
    const { client } = fastSim({ persona: "quectel", pin: "1111" });
    await client.cmd("ATE0");
    client.take();
    await client.send("AT+CPIN=1111\r");
    expect(await client.waitFor("+QIND: PB DONE")).toBe(
      "\r\nOK\r\n\r\n+CPIN: READY\r\n\r\n+QIND: SMS DONE\r\n\r\n+QIND: PB DONE\r\n",
    );
  });

  it("shows the counters with Quectel +QPINC? and Huawei ^CPIN?", async () => {
    const q = fastSim({ persona: "quectel", pin: "1111" });
    await q.client.cmd("ATE0");
    await q.client.cmd("AT+CPIN=2222");
    expect(await q.client.cmd("AT+QPINC?")).toBe('\r\n+QPINC: "SC",2,10\r\n+QPINC: "P2",3,10\r\n\r\nOK\r\n');
    const h = fastSim({ persona: "huawei", pin: "1111" });
    await h.client.cmd("ATE0");
    expect(await h.client.cmd("AT^CPIN?")).toBe("\r\n^CPIN: SIM PIN,3,10,3,10,3\r\n\r\nOK\r\n");
  });

  it("blocks the SIM after ten wrong PUKs", async () => {
    const { client } = fastSim({ persona: "generic", pin: "1111" });
    await client.cmd("ATE0;+CMEE=1");
    for (let i = 0; i < 3; i++) await client.cmd("AT+CPIN=0000");
    for (let i = 0; i < 10; i++) await client.cmd("AT+CPIN=00000000,1234");
    expect(await client.cmd("AT+CPIN?")).toBe("\r\n+CME ERROR: 13\r\n");
  });
});

describe("network status commands", () => {
  it("reports registration, +CREG URCs when enabled, operator and signal", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    expect(await client.cmd("AT+CREG?")).toBe("\r\n+CREG: 0,1\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CREG=2;+CREG?")).toBe('\r\n+CREG: 2,1,"1A2B","00C3D4E5"\r\n\r\nOK\r\n');
    expect(await client.cmd("AT+COPS?")).toBe('\r\n+COPS: 0,0,"SIMNET"\r\n\r\nOK\r\n');
    expect(await client.cmd("AT+CSQ")).toBe("\r\n+CSQ: 18,0\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CEREG?")).toBe("\r\nERROR\r\n");
    client.take();
    sim.modem.setRegistration(2);
    expect(await client.waitFor("+CREG")).toBe('\r\n+CREG: 2,"1A2B","00C3D4E5"\r\n');
  });

  it("has the LTE and vendor status commands of each persona", async () => {
    const s = fastSim({ persona: "sim7600" });
    await s.client.cmd("ATE0");
    expect(await s.client.cmd("AT+CEREG?")).toBe("\r\n+CEREG: 0,1\r\n\r\nOK\r\n");
    expect(await s.client.cmd("AT+CPSI?")).toMatch(/^\r\n\+CPSI: LTE,Online,/);
    const q = fastSim({ persona: "quectel" });
    await q.client.cmd("ATE0");
    expect(await q.client.cmd("AT+QCSQ")).toMatch(/^\r\n\+QCSQ: "LTE",-65,/);
    const h = fastSim({ persona: "huawei" });
    await h.client.cmd("ATE0");
    expect(await h.client.cmd("AT^SYSINFO")).toBe("\r\n^SYSINFO:2,3,0,5,1,,4\r\n\r\nOK\r\n");
  });

  it("answers what Gammu SMSD sends on its network checks and long sends (regression: +CGATT?, +CMMS, +CUSD gave ERROR)", async () => {
    const { client, sim } = fastSim({ persona: "quectel" });
    await client.cmd("ATE0");
    // 27.007 §10.1.9 packet domain attach; §7.15 USSD result codes; 27.005 §3.5.6 more messages to send.
    expect(await client.cmd("AT+CGATT?")).toBe("\r\n+CGATT: 1\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CMMS=2;+CMMS?")).toBe("\r\n+CMMS: 2\r\n\r\nOK\r\n");
    expect(await client.cmd("AT+CMMS=3")).toBe("\r\nERROR\r\n");
    expect(await client.cmd("AT+CUSD=1;+CUSD?")).toBe("\r\n+CUSD: 1\r\n\r\nOK\r\n");
    // A USSD request itself is not modelled: refused, not silently accepted.
    expect(await client.cmd('AT+CUSD=1,"*100#",15')).toBe("\r\nERROR\r\n");
    client.take();
    sim.modem.setRegistration(2);
    expect(await client.cmd("AT+CGATT?")).toBe("\r\n+CGATT: 0\r\n\r\nOK\r\n");
  });

  it("lists its extended commands with +CLAC", async () => {
    const { client } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    const r = await client.cmd("AT+CLAC");
    expect(r).toContain("AT+CMGS\r\n");
    expect(r).toContain("AT+SPIC\r\n");
    expect(r).not.toContain("AT+QPINC");
  });
});
