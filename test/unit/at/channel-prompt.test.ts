/** Prompt commands (AT+CMGS): "> ", payload + Ctrl-Z, ESC on a missing prompt, payloadWritten. */
import { describe, expect, it } from "vitest";
import type { AtUrc } from "../../../src/at/types.js";
import { flush, PDU, rejection, setup } from "./helpers.js";

describe("AtChannel prompt commands", () => {
  it('writes the payload and Ctrl-Z after a "> " split across chunks', async () => {
    const { channel, modem } = setup();
    const r = channel.commandWithPrompt("AT+CMGS=23", PDU);
    await modem.expect("AT+CMGS=23\r");
    modem.send("\r\n>");
    await flush();
    expect(modem.written).toBe("AT+CMGS=23\r");
    modem.send(" ");
    await modem.expect(`${PDU}\x1a`);
    modem.line("+CMGS: 7");
    modem.line("OK");
    expect(await r).toEqual({ command: "AT+CMGS=23", lines: ["+CMGS: 7"], final: { kind: "ok" } });
  });

  it('accepts a prompt sent as a ">" line', async () => {
    const { channel, modem } = setup();
    const r = channel.commandWithPrompt("AT+CMGS=23", PDU);
    await modem.expect("AT+CMGS=23\r");
    modem.line(">");
    await modem.expect(`${PDU}\x1a`);
    modem.line("+CMGS: 8");
    modem.line("OK");
    expect((await r).lines).toEqual(["+CMGS: 8"]);
  });

  it("no prompt: writes ESC and rejects with no-prompt and payloadWritten false", async () => {
    const { channel, modem, clock } = setup();
    const r = rejection(channel.commandWithPrompt("AT+CMGS=23", PDU, { promptTimeoutMs: 3000 }));
    await modem.expect("AT+CMGS=23\r");
    clock.advance(3000);
    const e = await r;
    expect(e.kind).toBe("no-prompt");
    expect(e.payloadWritten).toBe(false);
    expect(e.message).toBe('AT+CMGS=23: no "> " prompt within 3000 ms');
    await modem.expect("\x1b");
    expect(modem.written).toBe("AT+CMGS=23\r\x1b");
  });

  it("a late answer to an escaped AT+CMGS is not taken for the next command", async () => {
    const { channel, modem, clock, log } = setup({ escapeSettleMs: 100 });
    const sms = rejection(channel.commandWithPrompt("AT+CMGS=23", PDU, { promptTimeoutMs: 3000 }));
    const next = channel.command("AT+CSQ");
    await modem.expect("AT+CMGS=23\r");
    clock.advance(3000);
    await sms;
    await modem.expect("\x1b");
    modem.line("+CMS ERROR: 304");
    await flush();
    expect(modem.written).not.toContain("AT+CSQ");
    clock.advance(100);
    await modem.expect("AT+CSQ\r");
    modem.line("+CSQ: 14,99");
    modem.line("OK");
    expect(await next).toEqual({ command: "AT+CSQ", lines: ["+CSQ: 14,99"], final: { kind: "ok" } });
    expect(log.entries.some((e) => e.level === "warn" && e.msg.includes("no command in flight"))).toBe(true);
  });

  it("a timeout after the payload went out rejects with payloadWritten true and no ESC", async () => {
    const { channel, modem, clock } = setup();
    const r = rejection(channel.commandWithPrompt("AT+CMGS=23", PDU, { timeoutMs: 60_000 }));
    await modem.expect("AT+CMGS=23\r");
    modem.send("\r\n> ");
    await modem.expect(`${PDU}\x1a`);
    clock.advance(60_000);
    const e = await r;
    expect(e.kind).toBe("timeout");
    expect(e.payloadWritten).toBe(true);
    expect(modem.written).not.toContain("\x1b");
  });

  it("an error before the prompt resolves with it and never writes the payload", async () => {
    const { channel, modem } = setup();
    const r = channel.commandWithPrompt("AT+CMGS=23", PDU);
    await modem.expect("AT+CMGS=23\r");
    modem.line("+CMS ERROR: 302");
    expect((await r).final).toEqual({ kind: "cms", code: 302, text: "302" });
    await flush();
    expect(modem.written).toBe("AT+CMGS=23\r");
  });

  it("an abort while waiting for the prompt writes ESC", async () => {
    const { channel, modem } = setup();
    const ac = new AbortController();
    const r = rejection(channel.commandWithPrompt("AT+CMGS=23", PDU, { signal: ac.signal }));
    await modem.expect("AT+CMGS=23\r");
    ac.abort();
    expect((await r).payloadWritten).toBe(false);
    await modem.expect("\x1b");
  });

  it("escape() writes ESC", async () => {
    const { channel, modem, clock } = setup();
    const done = channel.escape();
    await modem.expect("\x1b");
    clock.advance(100);
    await done;
  });
});

describe("AtChannel input checks and the idle prompt", () => {
  it("rejects a command or payload that would break the framing, writing nothing", async () => {
    const { channel, modem } = setup();
    await expect(channel.command("AT+CSQ\rAT+CFUN=0")).rejects.toThrow(RangeError);
    await expect(channel.command("+CSQ")).rejects.toThrow(/starting with AT/);
    await expect(channel.commandWithPrompt("AT+CMGS=23", `${PDU}\x1a`)).rejects.toThrow(/payload/);
    await expect(channel.commandWithPrompt("AT+CMGS=23", "")).rejects.toThrow(/payload/);
    await expect(channel.command("AT", { timeoutMs: 0 })).rejects.toThrow(/invalid timeout 0 ms/);
    await flush();
    expect(modem.written).toBe("");
  });

  it('takes a lone ">" followed by silence as the prompt', async () => {
    const { channel, modem, clock } = setup();
    const r = channel.commandWithPrompt("AT+CMGS=23", PDU);
    await modem.expect("AT+CMGS=23\r");
    modem.send("\r\n>");
    await flush();
    clock.advance(199);
    await flush();
    expect(modem.written).toBe("AT+CMGS=23\r");
    clock.advance(1);
    await modem.expect(`${PDU}\x1a`);
    modem.line("+CMGS: 3");
    modem.line("OK");
    expect((await r).lines).toEqual(["+CMGS: 3"]);
  });
});

describe("AtChannel regressions", () => {
  it("a +CMT header whose PDU line got lost does not swallow the next command's OK", async () => {
    const { channel, modem, log } = setup();
    const urcs: AtUrc[] = [];
    channel.onUrc({ prefix: "+CMT:", handler: (u) => urcs.push(u) });
    modem.line("+CMT: ,30");
    await flush();
    const r = channel.command("AT");
    await modem.expect("AT\r");
    modem.line("OK");
    expect((await r).final.kind).toBe("ok");
    expect(urcs).toEqual([]);
    expect(log.entries.some((e) => e.msg === "URC trailing line missing; URC dropped")).toBe(true);
  });

  it("sends twice in a row (serialport-gsm #74: only the first send worked, then timeouts)", async () => {
    const { channel, modem } = setup();
    for (const mr of [1, 2]) {
      const r = channel.commandWithPrompt("AT+CMGS=23", PDU);
      await modem.expect("AT+CMGS=23\r");
      modem.send("\r\n> ");
      await modem.expect(`${PDU}\x1a`);
      modem.line(`+CMGS: ${mr}`);
      modem.line("OK");
      expect((await r).lines).toEqual([`+CMGS: ${mr}`]);
    }
  });
});
