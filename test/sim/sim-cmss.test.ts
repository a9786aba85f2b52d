/**
 * Sending from storage: +CMGW with its <stat> (27.005 §3.5.3), then +CMSS (§3.5.2). Our driver
 * never sends these; Gammu does (`gammu sendsms … -save -folder 2` writes, then sends the stored
 * message), so the simulator must answer them as a modem would.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { servePty } from "../../src/sim/pty-server.js";
import { fastSim, type RawClient } from "./raw-client.js";

// 27.005 §3.5.1 textbook submit: to +46708251358, "hellohello", 23 TPDU octets.
const HELLO = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";

async function writePdu(client: RawClient, args: string): Promise<string> {
  client.take();
  await client.send(`AT+CMGW=${args}\r`);
  await client.waitFor("> ");
  client.take();
  await client.send(`${HELLO}\x1a`);
  await client.waitFor(/\r\n(OK|ERROR|\+CMS ERROR: \d+)\r\n$/);
  return client.take();
}

describe("+CMSS sends a stored message (27.005 §3.5.2)", () => {
  it("sends what +CMGW stored, answers +CMSS with the modem's MR and keeps the message stored", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    expect(await writePdu(client, "23")).toBe("\r\n+CMGW: 1\r\n\r\nOK\r\n");
    const r = await client.cmd("AT+CMSS=1");
    const mr = Number(/^\r\n\+CMSS: (\d+)\r\n\r\nOK\r\n$/.exec(r)?.[1]);
    expect(sim.network.log).toEqual([
      expect.objectContaining({ mr, to: "+46708251358", text: "hellohello", outcome: "accepted" }),
    ]);
    expect(sim.storage.get("SM", 1)).toMatchObject({ stat: 2, pdu: HELLO });
  });

  it("sends to <da> instead of the stored destination, international with <toda> 145", async () => {
    const { client, sim } = fastSim({ persona: "quectel" });
    await client.cmd("ATE0");
    expect(await writePdu(client, "23")).toBe("\r\n+CMGW: 0\r\n\r\nOK\r\n");
    expect(await client.cmd('AT+CMSS=0,"+33612345678"')).toMatch(/^\r\n\+CMSS: \d+\r\n\r\nOK\r\n$/);
    expect(await client.cmd('AT+CMSS=0,"33698765432",145')).toMatch(/^\r\n\+CMSS: \d+\r\n\r\nOK\r\n$/);
    expect(await client.cmd('AT+CMSS=0,"0612345678",129')).toMatch(/^\r\n\+CMSS: \d+\r\n\r\nOK\r\n$/);
    expect(sim.network.log.map((e) => [e.to, e.text])).toEqual([
      ["+33612345678", "hellohello"],
      ["+33698765432", "hellohello"],
      ["0612345678", "hellohello"],
    ]);
  });

  it("refuses an empty or invalid index (321) and a received message (302)", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0;+CMEE=1");
    expect(await client.cmd("AT+CMSS=3")).toBe("\r\n+CMS ERROR: 321\r\n");
    expect(await client.cmd("AT+CMSS=0")).toBe("\r\n+CMS ERROR: 321\r\n");
    sim.inject({ from: "+33699998888", text: "received" });
    await client.waitFor('+CMTI: "SM",1');
    expect(await client.cmd("AT+CMSS=1")).toBe("\r\n+CMS ERROR: 302\r\n");
    expect(await client.cmd('AT+CMSS=1,"not a number"')).toBe("\r\nERROR\r\n");
    expect(sim.network.log).toEqual([]);
  });

  it("goes through the same network checks as +CMGS: not registered is 331", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    await writePdu(client, "23");
    sim.modem.setRegistration(0);
    expect(await client.cmd("AT+CMSS=1")).toBe("\r\n+CMS ERROR: 331\r\n");
    expect(sim.network.log).toEqual([]);
  });
});

describe("+CMGW <stat> (27.005 §3.5.3)", () => {
  it("stores the given status, STO UNSENT when absent, and refuses one out of range", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0");
    expect(await writePdu(client, "23,3")).toBe("\r\n+CMGW: 1\r\n\r\nOK\r\n");
    expect(await writePdu(client, "23")).toBe("\r\n+CMGW: 2\r\n\r\nOK\r\n");
    expect(sim.storage.get("SM", 1)?.stat).toBe(3);
    expect(sim.storage.get("SM", 2)?.stat).toBe(2);
    expect(await client.cmd("AT+CMGW=23,7")).toBe("\r\n+CMS ERROR: 304\r\n");
    expect(await client.cmd("AT+CMGL=3")).toMatch(/^\r\n\+CMGL: 1,3,"",23\r\n/);
  });

  it("takes the text-mode <stat> by name", async () => {
    const { client, sim } = fastSim({ persona: "sim800" });
    await client.cmd("ATE0;+CMGF=1");
    await client.send('AT+CMGW="+33611112222",145,"STO SENT"\r');
    await client.waitFor("> ");
    client.take();
    await client.send("Bonjour\x1a");
    expect(await client.waitFor(/OK\r\n$/)).toBe("\r\n+CMGW: 1\r\n\r\nOK\r\n");
    expect(sim.storage.get("SM", 1)).toMatchObject({ stat: 3, meta: { address: "+33611112222" } });
    expect(await client.cmd('AT+CMGW="+33611112222",145,"SENT"')).toBe("\r\n+CMS ERROR: 305\r\n");
  });
});

describe("Gammu sends a saved message through +CMGW and +CMSS", () => {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-gammu-cmss-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("`gammu sendsms TEXT … -save -folder 2` reaches the network", async () => {
    const ptyPath = join(dir, "tty");
    const server = await servePty({ persona: "sim800", booted: true, ptyPath, timings: { submitMs: 50 } });
    try {
      const rc = join(dir, "gammurc");
      const log = join(dir, "gammu.log");
      writeFileSync(rc, `[gammu]\ndevice = ${ptyPath}\nconnection = at115200\nlogfile = ${log}\n`);
      const args = [
        "-c",
        rc,
        "sendsms",
        "TEXT",
        "+33612345678",
        "-save",
        "-folder",
        "2",
        "-text",
        "saved, then sent",
      ];
      const code = await new Promise<number | null>((resolve) => {
        const p = spawn("gammu", args, { stdio: "ignore", timeout: 30_000 });
        p.on("close", resolve);
      });
      const tail = () => readFileSync(log, "utf8").slice(-3000);
      expect(code, tail()).toBe(0);
      expect(server.sim.network.log, tail()).toEqual([
        expect.objectContaining({ to: "+33612345678", text: "saved, then sent", outcome: "accepted" }),
      ]);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
