/**
 * The real serial path: our serial transport (serialport 13 + bindings-cpp) on one end of a socat
 * pty pair, a scripted modem opened with serialport on the other, AtChannel end to end; then socat
 * is killed, which is what a pulled USB modem looks like, and the transport must say "unplugged".
 */
import { realpathSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { AtChannel } from "../../src/at/channel.js";
import { AtError } from "../../src/at/errors.js";
import type { AtUrc } from "../../src/at/types.js";
import { openSerialTransport } from "../../src/transport/serial.js";
import type { Transport } from "../../src/transport/types.js";
import { assertSocatInstalled, createPtyPair, type PtyPair } from "../helpers/pty.js";

const PDU = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";

/** A tiny modem: answers by exact command line; everything in one write per answer. */
const SCRIPT: Record<string, string> = {
  "AT\r": "\r\nOK\r\n",
  "AT+CSQ\r": '\r\n+CSQ: 20,99\r\n\r\n+CMTI: "SM",3\r\n\r\nOK\r\n',
  "AT+CMGS=23\r": "\r\n> ",
  [`${PDU}\x1a`]: "\r\n+CMGS: 5\r\n\r\nOK\r\n",
};

/** The scripted modem end, opened through serialport as well (our transport wraps it). */
async function openModem(path: string): Promise<Transport> {
  const port = await openSerialTransport(path);
  let pending = "";
  port.onData((d) => {
    pending += Buffer.from(d).toString("latin1");
    for (let hit = true; hit; ) {
      hit = false;
      for (const [cmd, answer] of Object.entries(SCRIPT)) {
        if (pending.startsWith(cmd)) {
          pending = pending.slice(cmd.length);
          void port.write(Buffer.from(answer, "latin1")).catch(() => {});
          hit = true;
        }
      }
    }
  });
  return port;
}

let pty: PtyPair | undefined;
let modem: Transport | undefined;
afterEach(async () => {
  await modem?.close();
  await pty?.close();
  pty = undefined;
  modem = undefined;
});

describe("serial transport on a socat pty", () => {
  it("runs AT commands end to end, then reports the pulled device (EOF on the tty) as unplugged", async () => {
    pty = await createPtyPair();
    modem = await openModem(pty.b);
    const transport = await openSerialTransport(pty.a);
    expect(transport.description).toBe(`${pty.a} → ${realpathSync(pty.a)}`);
    const channel = new AtChannel(transport, { defaultTimeoutMs: 5000 });
    const urcs: AtUrc[] = [];
    channel.onUrc({ prefix: "+CMTI:", handler: (u) => urcs.push(u) });

    expect((await channel.command("AT")).final).toEqual({ kind: "ok" });
    const csq = await channel.command("AT+CSQ");
    expect(csq.lines).toEqual(["+CSQ: 20,99"]);
    expect(urcs.map((u) => u.line)).toEqual(['+CMTI: "SM",3']);
    const sms = await channel.commandWithPrompt("AT+CMGS=23", PDU);
    expect(sms).toEqual({ command: "AT+CMGS=23", lines: ["+CMGS: 5"], final: { kind: "ok" } });

    // Regression: a tty whose device went away reads EOF forever; serialport alone never closed
    // (node-serialport #2043) and this wait timed out. eof-binding.ts makes it "unplugged".
    await pty.unplug();
    const closed = await transport.closed;
    expect(closed.reason).toBe("unplugged");
    await channel.closed;
    const after = await channel.command("AT").catch((e: unknown) => e);
    expect(after).toBeInstanceOf(AtError);
    expect((after as AtError).kind).toBe("closed");
    await expect(transport.write(new Uint8Array([0x41]))).rejects.toThrow(/write after close/);
  });

  it("closing locally reports reason local", async () => {
    pty = await createPtyPair();
    const transport = await openSerialTransport(pty.a, { baudRate: 9600 });
    await transport.close();
    expect(await transport.closed).toEqual({ reason: "local" });
  });

  it("fails, naming the package to install, when socat is missing", () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      expect(() => assertSocatInstalled()).toThrow(/apt-get install socat/);
    } finally {
      process.env.PATH = path;
    }
  });
});
