import { afterEach, describe, expect, it, vi } from "vitest";
import { FaultSpecError, parseFault } from "../../src/sim/faults.js";
import { createSimModem } from "../../src/sim/index.js";
import { FAST, fastSim, RawClient, sendPdu } from "./raw-client.js";

const HELLO = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";

afterEach(() => {
  vi.useRealTimers();
});

describe("fault specs", () => {
  it("parses the shared vocabulary", () => {
    expect(parseFault("cms:500:3")).toEqual({ kind: "cms", code: 500, nth: 3 });
    expect(parseFault("reject:+33612345678")).toEqual({
      kind: "reject",
      recipient: "+33612345678",
      code: 21,
    });
    expect(parseFault("hang:10")).toEqual({ kind: "hang", seconds: 10 });
    expect(parseFault("drop-after")).toEqual({ kind: "drop-after" });
    expect(parseFault("garbage:0.5")).toEqual({ kind: "garbage", probability: 0.5 });
  });

  it("rejects unknown kinds and bad numbers with a readable message", () => {
    expect(() => parseFault("explode")).toThrow(FaultSpecError);
    expect(() => parseFault("explode")).toThrow(/unknown fault 'explode'/);
    expect(() => parseFault("hang:soon")).toThrow(/hang seconds must be a non-negative number/);
    expect(() => parseFault("reject")).toThrow(/needs a recipient/);
  });
});

describe("faults on submit", () => {
  it("cms: every submit fails with the code and nothing is sent", async () => {
    const { client, sim } = fastSim({ persona: "sim800", faults: [{ kind: "cms", code: 500 }] });
    await client.cmd("ATE0");
    expect(await sendPdu(client, HELLO, 23)).toBe("\r\n+CMS ERROR: 500\r\n");
    expect(await sendPdu(client, HELLO, 23)).toBe("\r\n+CMS ERROR: 500\r\n");
    expect(sim.network.log.map((e) => [e.outcome, e.cms])).toEqual([
      ["refused", 500],
      ["refused", 500],
    ]);
  });

  it("cms with nth: only the third submit fails", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    sim.setFault("cms:38:3");
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await sendPdu(client, HELLO, 23));
    expect(answers.map((a) => /\+CMS ERROR: (\d+)|\+CMGS/.exec(a)?.[1] ?? "sent")).toEqual([
      "sent",
      "sent",
      "38",
      "sent",
    ]);
  });

  it("reject: a permanent error for one recipient only", async () => {
    const { client, sim } = fastSim({ persona: "quectel" });
    await client.cmd("ATE0");
    sim.setFault({ kind: "reject", recipient: "+46708251358", code: 21 });
    expect(await sendPdu(client, HELLO, 23)).toBe("\r\n+CMS ERROR: 21\r\n");
    sim.clearFaults("reject");
    expect(await sendPdu(client, HELLO, 23)).toMatch(/\+CMGS: \d+/);
  });

  it("drop-after: the network gets the message, the line drops, +CMGS never comes", async () => {
    const { client, sim, transport } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    sim.setFault("drop-after");
    await client.send("AT+CMGS=23\r");
    await client.waitFor("> ");
    client.take();
    await client.send(`${HELLO}\x1a`);
    expect(await transport.closed).toMatchObject({ reason: "unplugged" });
    expect(client.received).toBe("");
    expect(sim.network.log).toHaveLength(1);
    expect(sim.network.log[0]?.outcome).toBe("accepted");
  });

  it("a behaviour can swallow the +CMGS answer after the message went out", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    sim.defineBehavior({
      onSubmit(modem, submit, pdu) {
        modem.options.network.submit(modem, submit, pdu, 7);
        return true;
      },
    });
    await client.send("AT+CMGS=23\r");
    await client.waitFor("> ");
    client.take();
    await client.send(`${HELLO}\x1a`);
    await new Promise((r) => setTimeout(r, 50));
    expect(client.received).toBe("");
    expect(sim.network.log[0]?.mr).toBe(7);
  });

  it("a behaviour can answer a command line in front of the defaults", async () => {
    const { client, sim } = fastSim({ persona: "generic" });
    await client.cmd("ATE0");
    const remove = sim.defineBehavior({
      onCommand(modem, line) {
        if (line !== "AT+CSQ") return false;
        modem.writeInfo(["+CSQ: 99,99"]);
        modem.writeFinal({ kind: "ok" });
        return true;
      },
    });
    expect(await client.cmd("AT+CSQ")).toBe("\r\n+CSQ: 99,99\r\n\r\nOK\r\n");
    remove();
    expect(await client.cmd("AT+CSQ")).toBe("\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
  });
});

describe("faults on the line", () => {
  it("hang: answers nothing for N seconds from the next command, then recovers", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { transport, sim } = createSimModem({ persona: "sim800", booted: true, timings: FAST });
    const client = new RawClient(transport);
    await client.send("ATE0\r");
    await vi.advanceTimersByTimeAsync(5);
    client.take();
    sim.setFault("hang:10");
    await client.send("AT\r");
    await vi.advanceTimersByTimeAsync(5000);
    await client.send("AT\r");
    await vi.advanceTimersByTimeAsync(4000);
    expect(client.received).toBe("");
    await vi.advanceTimersByTimeAsync(1100);
    await client.send("AT\r");
    await vi.advanceTimersByTimeAsync(5);
    expect(client.take()).toBe("\r\nOK\r\n");
  });

  it("slow: multiplies the command latency", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { transport, sim } = createSimModem({
      persona: "generic",
      booted: true,
      timings: { ...FAST, commandMs: 100 },
    });
    const client = new RawClient(transport);
    sim.setFault("slow:5");
    await client.send("AT\r");
    await vi.advanceTimersByTimeAsync(450);
    expect(client.received).toBe("AT\r");
    await vi.advanceTimersByTimeAsync(100);
    expect(client.received).toBe("AT\r\r\nOK\r\n");
  });

  it("drop: the transport closes on the next command line", async () => {
    const { client, sim, transport } = fastSim({ persona: "huawei" });
    sim.setFault("drop");
    await client.send("AT\r");
    expect(await transport.closed).toMatchObject({ reason: "unplugged" });
    expect(sim.modem.closed).toBe(true);
  });

  it("storage-full: +CMGW fails with 322 and incoming messages wait in the network", async () => {
    const { client, sim } = fastSim({ persona: "sim800", faults: [{ kind: "storage-full" }] });
    await client.cmd("ATE0");
    expect(await client.cmd("AT+CMGW=23")).toBe("\r\n+CMS ERROR: 322\r\n");
    sim.inject({ from: "+33600000000", text: "later" });
    await new Promise((r) => setTimeout(r, 30));
    expect(sim.storage.used("SM")).toBe(0);
    expect(sim.modem.inbound.pending).toBe(1);
  });

  it("sim-busy: +CME ERROR: 14 on SIM commands and 314 on SMS commands for N seconds", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { transport } = createSimModem({
      persona: "generic",
      timings: FAST,
      faults: [parseFault("sim-busy:3")],
    });
    const client = new RawClient(transport);
    await vi.advanceTimersByTimeAsync(100);
    client.take();
    await client.send("ATE0;+CMEE=1\r");
    await client.send("AT+CPIN?\r");
    await client.send("AT+CPMS?\r");
    await vi.advanceTimersByTimeAsync(20);
    expect(client.take()).toBe("ATE0;+CMEE=1\r\r\nOK\r\n\r\n+CME ERROR: 14\r\n\r\n+CMS ERROR: 314\r\n");
    await vi.advanceTimersByTimeAsync(3000);
    await client.send("AT+CPIN?\r");
    await vi.advanceTimersByTimeAsync(20);
    expect(client.take()).toBe("\r\n+CPIN: READY\r\n\r\nOK\r\n");
  });

  it("garbage: random bytes before response lines, the same for the same seed", async () => {
    const run = async () => {
      const { client } = fastSim({
        persona: "generic",
        seed: 42,
        faults: [{ kind: "garbage", probability: 1 }],
      });
      await client.cmd("ATE0");
      return client.cmd("AT+CGMI");
    };
    const a = await run();
    expect(a).toMatch(/^[^\r\n>]+\r\nGeneric\r\n[^\r\n>]+\r\nOK\r\n$/);
    expect(await run()).toBe(a);
  });

  it("echo-dup: the command line comes back twice even after ATE0", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    sim.setFault("echo-dup");
    expect(await client.cmd("AT")).toBe("AT\rAT\r\r\nOK\r\n");
  });

  it("urc-storm: a pending +CMTI lands inside the response, before the final result", async () => {
    const { client, sim } = fastSim({ persona: "sim800", timings: { commandMs: 30 } });
    await client.cmd("ATE0");
    sim.setFault("urc-storm");
    await client.send("AT+CGMM\r");
    await new Promise((r) => setTimeout(r, 5));
    sim.inject({ from: "+33600000000", text: "mid" });
    const r = await client.waitFor(/OK\r\n$/);
    expect(r).toMatch(/^\r\n\+CMTI: "SM",1\r\n\r\nSIMCOM_SIM800L\r\n\r\n\+CIEV: 1,4\r\n\r\nOK\r\n$/);
  });
});

describe("URCs and the > prompt", () => {
  it("holds a +CMTI that arrives at the prompt until +CMGS has been answered (regression: it was written right after the prompt)", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    await client.send("AT+CMGS=23\r");
    await client.waitFor("> ");
    sim.inject({ from: "+33600000000", text: "while typing" });
    await new Promise((r) => setTimeout(r, 20));
    await client.send(`${HELLO}\x1a`);
    const r = await client.waitFor(/\+CMTI: "SM",1\r\n$/);
    expect(r).toMatch(/^\r\n> \r\n\+CMGS: \d+\r\n\r\nOK\r\n\r\n\+CMTI: "SM",1\r\n$/);
  });

  it("urc-storm: the +CMTI lands right after the prompt, in the middle of AT+CMGS", async () => {
    const { client, sim } = fastSim({ persona: "sim800", faults: [{ kind: "urc-storm" }] });
    await client.cmd("ATE0");
    await client.send("AT+CMGS=23\r");
    await client.waitFor("> ");
    sim.inject({ from: "+33600000000", text: "while typing" });
    await client.waitFor("+CMTI");
    await client.send(`${HELLO}\x1a`);
    const r = await client.waitFor(/OK\r\n$/);
    expect(r).toMatch(/^\r\n> \r\n\+CMTI: "SM",1\r\n\r\n\+CMGS: \d+\r\n\r\n\+CIEV: 1,4\r\n\r\nOK\r\n$/);
  });
});
