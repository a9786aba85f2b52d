import { describe, expect, it } from "vitest";
import { AtError } from "../../../src/at/errors.js";
import type { AtUrc } from "../../../src/at/types.js";
import { flush, PDU, rejection, setup } from "./helpers.js";

describe("AtChannel queueing", () => {
  it("keeps one command in flight and runs the others in call order", async () => {
    const { channel, modem } = setup();
    const order: string[] = [];
    const a = channel.command("AT+CSQ").then((r) => order.push(r.command));
    const b = channel.command("AT+CREG?").then((r) => order.push(r.command));
    const c = channel.command("AT").then((r) => order.push(r.command));
    await modem.expect("AT+CSQ\r");
    await flush();
    expect(modem.written).toBe("AT+CSQ\r");
    modem.line("+CSQ: 20,99");
    modem.line("OK");
    await modem.expect("AT+CREG?\r");
    expect(modem.written).toBe("AT+CSQ\rAT+CREG?\r");
    modem.line("OK");
    await modem.expect("AT\r");
    modem.line("OK");
    await Promise.all([a, b, c]);
    expect(order).toEqual(["AT+CSQ", "AT+CREG?", "AT"]);
  });

  it("resolves with error finals rather than rejecting", async () => {
    const { channel, modem } = setup();
    const r = channel.command("AT+CPIN?");
    await modem.expect("AT+CPIN?\r");
    modem.line("+CME ERROR: SIM PIN required");
    expect((await r).final).toEqual({ kind: "cme", code: 11, text: "SIM PIN required" });
  });
});

describe("AtChannel timeouts and aborts", () => {
  it("rejects with kind timeout and a message naming the command and the wait", async () => {
    const { channel, modem, clock } = setup();
    const r = channel.command("AT+CSQ", { timeoutMs: 5000 });
    await modem.expect("AT+CSQ\r");
    clock.advance(4999);
    await flush();
    clock.advance(1);
    const e = await rejection(r);
    expect(e.kind).toBe("timeout");
    expect(e.message).toBe("AT+CSQ: no final result within 5000 ms");
    expect(e.timeoutMs).toBe(5000);
    expect(e.payloadWritten).toBe(false);
  });

  it("a boot ping's expected timeout is not a warning; an unexpected one is", async () => {
    const { channel, modem, clock, log } = setup();
    const quiet = rejection(channel.command("AT", { timeoutMs: 2000, expectTimeout: true }));
    await modem.expect("AT\r");
    clock.advance(2000);
    expect((await quiet).kind).toBe("timeout");
    expect(log.entries.filter((e) => e.level === "warn")).toEqual([]);
    const loud = rejection(channel.command("AT", { timeoutMs: 2000 }));
    await modem.expect("AT\r");
    clock.advance(2000);
    expect((await loud).kind).toBe("timeout");
    expect(log.entries.filter((e) => e.level === "warn").map((e) => e.msg)).toEqual([
      "AT: no final result within 2000 ms",
    ]);
  });

  it("starts the next queued command after a timeout", async () => {
    const { channel, modem, clock } = setup();
    const first = rejection(channel.command("AT+COPS?", { timeoutMs: 1000 }));
    const second = channel.command("AT");
    await modem.expect("AT+COPS?\r");
    clock.advance(1000);
    expect((await first).kind).toBe("timeout");
    await modem.expect("AT\r");
    modem.line("OK");
    expect((await second).final.kind).toBe("ok");
  });

  it("an abort while queued rejects without writing the command", async () => {
    const { channel, modem } = setup();
    const ac = new AbortController();
    const first = channel.command("AT");
    const second = rejection(channel.command("AT+CSQ", { signal: ac.signal }));
    ac.abort();
    expect((await second).kind).toBe("aborted");
    await modem.expect("AT\r");
    modem.line("OK");
    await first;
    await flush();
    expect(modem.written).toBe("AT\r");
  });

  it("an abort in flight rejects at once; an already aborted signal never writes", async () => {
    const { channel, modem } = setup();
    const ac = new AbortController();
    const r = rejection(channel.command("AT+COPS=?", { signal: ac.signal }));
    await modem.expect("AT+COPS=?\r");
    ac.abort(new Error("shutdown"));
    const e = await r;
    expect(e.kind).toBe("aborted");
    expect(e.payloadWritten).toBe(false);
    const pre = rejection(channel.command("AT", { signal: AbortSignal.abort() }));
    expect((await pre).kind).toBe("aborted");
    await flush();
    expect(modem.written).toBe("AT+COPS=?\r");
  });
});

describe("AtChannel close", () => {
  it("rejects the command in flight and the queued ones with kind closed when the modem goes away", async () => {
    const { channel, modem, device } = setup();
    const inFlight = rejection(channel.command("AT+CSQ"));
    const queued = rejection(channel.command("AT"));
    await modem.expect("AT+CSQ\r");
    await device.close();
    const [a, b] = await Promise.all([inFlight, queued]);
    expect([a.kind, b.kind]).toEqual(["closed", "closed"]);
    expect(a.message).toBe("AT+CSQ: channel closed (unplugged)");
    await channel.closed;
    expect((await rejection(channel.command("AT"))).kind).toBe("closed");
    await expect(channel.escape()).rejects.toBeInstanceOf(AtError);
  });

  it("closed after the payload: payloadWritten true; before it: false", async () => {
    const { channel, modem, device } = setup();
    const after = rejection(channel.commandWithPrompt("AT+CMGS=23", PDU));
    const before = rejection(channel.commandWithPrompt("AT+CMGS=23", PDU));
    await modem.expect("AT+CMGS=23\r");
    modem.send("\r\n> ");
    await modem.expect(`${PDU}\x1a`);
    await device.close();
    expect((await after).payloadWritten).toBe(true);
    expect((await before).payloadWritten).toBe(false);
  });

  it("close() closes the transport and settles closed", async () => {
    const { channel, driver } = setup();
    await channel.close();
    expect(driver.isClosed).toBe(true);
    await expect(driver.write(new Uint8Array([0x41]))).rejects.toThrow(/write after close/);
  });
});

describe("AtChannel URCs and unsolicited lines", () => {
  it("takes a +CMT pair in the middle of a command (Kannel msg04259)", async () => {
    const { channel, modem } = setup();
    const urcs: AtUrc[] = [];
    channel.onUrc({ prefix: "+CMT:", handler: (u) => urcs.push(u) });
    const r = channel.command("AT+CPMS?");
    await modem.expect("AT+CPMS?\r");
    modem.line('+CPMS: "SM",1,30,"SM",1,30,"SM",1,30');
    modem.line("+CMT: ,30");
    modem.line("07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07");
    modem.line("OK");
    expect((await r).lines).toEqual(['+CPMS: "SM",1,30,"SM",1,30,"SM",1,30']);
    expect(urcs).toEqual([
      {
        line: "+CMT: ,30",
        trailing: ["07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07"],
      },
    ]);
  });

  it("hands an unclaimed +CDS pair to onUnsolicited as two lines, in order", async () => {
    const { modem, unsolicited } = setup();
    modem.line("+CDS: 25");
    modem.line("0791448720003023060D91448720900000F0");
    await flush();
    expect(unsolicited).toEqual(["+CDS: 25", "0791448720003023060D91448720900000F0"]);
  });

  it("drops a final result that arrives with no command in flight, but NO CARRIER is unsolicited", async () => {
    const { modem, unsolicited, log } = setup();
    modem.line("OK");
    modem.line("NO CARRIER");
    modem.line("RING");
    await flush();
    expect(unsolicited).toEqual(["NO CARRIER", "RING"]);
    expect(log.entries.filter((e) => e.level === "warn").map((e) => e.obj)).toEqual([{ final: "OK" }]);
  });

  it("keeps reading after a URC handler throws, and stops calling a removed handler", async () => {
    const { channel, modem, log } = setup();
    const seen: string[] = [];
    const off = channel.onUrc({
      prefix: "+CMTI:",
      handler: (u) => {
        seen.push(u.line);
        throw new Error("handler bug");
      },
    });
    modem.line('+CMTI: "SM",1');
    await flush();
    off();
    modem.line('+CMTI: "SM",2');
    const r = channel.command("AT");
    await modem.expect("AT\r");
    modem.line("OK");
    expect((await r).final.kind).toBe("ok");
    expect(seen).toEqual(['+CMTI: "SM",1']);
    expect(log.entries.some((e) => e.msg === "URC handler threw")).toBe(true);
  });

  it("never hands out a URC whose trailing line did not arrive before close", async () => {
    const { channel, modem, device } = setup();
    const urcs: AtUrc[] = [];
    channel.onUrc({ prefix: "+CMT:", handler: (u) => urcs.push(u) });
    modem.line("+CMT: ,30");
    await flush();
    await device.close();
    await channel.closed;
    expect(urcs).toEqual([]);
  });
});

describe("AtChannel trace log", () => {
  it("logs every line in and out with a direction, the PDU included", async () => {
    const { channel, modem, log } = setup();
    const r = channel.commandWithPrompt("AT+CMGS=23", PDU);
    await modem.expect("AT+CMGS=23\r");
    modem.send("\r\n> ");
    await modem.expect("\x1a");
    modem.line("+CMGS: 9");
    modem.line("OK");
    await r;
    expect(log.entries.filter((e) => e.level === "trace").map((e) => e.msg)).toEqual([
      "» AT+CMGS=23",
      "« > ",
      `» ${PDU}<Ctrl-Z>`,
      "« +CMGS: 9",
      "« OK",
    ]);
  });

  it("never logs a PIN, neither sent nor echoed nor in an error message", async () => {
    const { channel, modem, log, clock } = setup();
    const ok = channel.command('AT+CPIN="4711"', { sensitive: true });
    await modem.expect('AT+CPIN="4711"\r');
    modem.send('AT+CPIN="4711"\r\r\nOK\r\n');
    expect((await ok).command).toBe("AT+CPIN=<redacted>");
    const late = rejection(channel.command('AT+CPIN="4711"', { sensitive: true, timeoutMs: 1000 }));
    await modem.expect('AT+CPIN="4711"\r');
    clock.advance(1000);
    const e = await late;
    expect(e.message).toBe("AT+CPIN=<redacted>: no final result within 1000 ms");
    const text = JSON.stringify(log.entries);
    expect(text).not.toContain("4711");
    expect(text).toContain("» AT+CPIN=<redacted>");
    expect(text).toContain("« AT+CPIN=<redacted>");
  });
});

describe("AtChannel line noise", () => {
  it("warns about noise at most once per 10 s, counting what it held back", async () => {
    const { modem, log, clock } = setup();
    const noiseWarnings = () => log.entries.filter((e) => e.msg.startsWith("AT line noise"));
    for (let i = 0; i < 5; i++) modem.send("\x00\x00\r\n");
    await flush();
    expect(noiseWarnings()).toHaveLength(1);
    clock.advance(10_000);
    modem.send(Uint8Array.from([0xff, 0x0d, 0x0a]));
    await flush();
    expect(noiseWarnings().map((e) => e.obj)).toEqual([
      { port: "test", suppressed: 0 },
      { port: "test", suppressed: 4 },
    ]);
  });
});
