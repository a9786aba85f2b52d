import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSimModem } from "../../src/sim/index.js";
import { RawClient } from "./raw-client.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const tick = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe("power-up like the persona (fake timers)", () => {
  it("SIM800: silent before boot, RDY…+CPIN: READY, SMS commands refused until 'SMS Ready'", async () => {
    const { transport } = createSimModem({ persona: "sim800" });
    const client = new RawClient(transport);
    await client.send("AT\r");
    await tick(1000);
    expect(client.received).toBe(""); // not booted yet: the byte is lost, as on a real module
    await tick(600);
    expect(client.take()).toBe("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n");
    await client.send("AT+CMGF=1\r");
    await tick(50);
    expect(client.take()).toBe("AT+CMGF=1\r\r\nERROR\r\n"); // bare ERROR while +CMEE=0
    await client.send("AT+CMEE=1;+CPMS?\r");
    await tick(50);
    expect(client.take()).toBe("AT+CMEE=1;+CPMS?\r\r\n+CMS ERROR: 302\r\n");
    await tick(6000);
    expect(client.take()).toBe("\r\nCall Ready\r\n\r\nSMS Ready\r\n");
    await client.send("AT+CPMS?\r");
    await tick(50);
    expect(client.take()).toContain('+CPMS: "SM",0,50');
  });

  it("EC25: +QIND: SMS DONE then PB DONE; SMS commands fail with CMS 500 before", async () => {
    const { transport } = createSimModem({ persona: "quectel" });
    const client = new RawClient(transport);
    await tick(1500);
    expect(client.take()).toBe("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n");
    await client.send("ATE0;+CMGL=4\r");
    await tick(50);
    expect(client.take()).toBe("ATE0;+CMGL=4\r\r\n+CMS ERROR: 500\r\n");
    await tick(5000);
    expect(client.take()).toBe("\r\n+QIND: SMS DONE\r\n\r\n+QIND: PB DONE\r\n");
  });

  it("waits for the PIN before SMS ready, announcing +CPIN: SIM PIN", async () => {
    const { transport, sim } = createSimModem({ persona: "sim800", pin: "0000" });
    const client = new RawClient(transport);
    await tick(1500);
    expect(client.take()).toBe("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: SIM PIN\r\n");
    await tick(20_000);
    expect(sim.state.smsReady).toBe(false);
  });

  it("AT+CFUN=1,1 answers OK, goes silent, drops volatile state, boots again, keeps the SIM storage", async () => {
    const { transport, sim } = createSimModem({ persona: "sim800", booted: true });
    const client = new RawClient(transport);
    sim.inject({ from: "+33600000000", text: "kept" });
    await client.send("ATE0;+CNMI=2,2,0,0,0;+CMEE=2\r");
    await tick(50);
    client.take();
    await client.send("AT+CFUN=1,1\r");
    await tick(50);
    expect(client.take()).toBe("\r\nOK\r\n");
    await client.send("AT\r");
    await tick(4000);
    expect(client.take()).toBe("");
    await tick(1500);
    expect(client.take()).toBe("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n");
    expect(sim.state).toMatchObject({ echo: true, cmee: 0, cnmi: [2, 1, 0, 0, 0] });
    await tick(6000);
    expect(client.take()).toBe("\r\nCall Ready\r\n\r\nSMS Ready\r\n");
    expect(sim.storage.used("SM")).toBe(1);
  });

  it("Huawei: periodic ^RSSI/^MODE/… noise until AT^CURC=0", async () => {
    const { transport } = createSimModem({ persona: "huawei", booted: true, seed: 3 });
    const client = new RawClient(transport);
    await tick(6100);
    const noise = client.take().match(/\r\n\^[A-Z]+:[^\r]*\r\n/g) ?? [];
    expect(noise).toHaveLength(3);
    await client.send("AT^CURC=0\r");
    await tick(50);
    expect(client.take()).toBe("AT^CURC=0\r\r\nOK\r\n");
    await tick(20_000);
    expect(client.received).toBe("");
  });

  it("holds incoming messages in the network until the modem is SMS ready", async () => {
    const { transport, sim } = createSimModem({ persona: "sim800" });
    const client = new RawClient(transport);
    sim.inject({ from: "+33600000000", text: "early" });
    await tick(2000);
    expect(sim.storage.used("SM")).toBe(0);
    await tick(6000);
    expect(client.take()).toMatch(/SMS Ready\r\n\r\n\+CMTI: "SM",1\r\n$/);
  });
});
