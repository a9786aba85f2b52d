import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { servePty } from "../../src/sim/pty-server.js";

const dir = mkdtempSync(join(tmpdir(), "smsgw-gammu-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gammu(device: string, log: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn("/usr/bin/python3", [join(import.meta.dirname, "gammu-client.py"), device, log]);
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    p.on("close", (code) => resolve({ code, out, err }));
  });
}

// Gammu is a long-lived, independent AT client: if it can init, read and send on every persona,
// the simulator behaves like a modem and not like what our own driver expects.
describe("Gammu drives each persona over a pseudo-terminal", () => {
  it.each([
    ["sim800", "SIMCOM_Ltd"],
    ["sim7600", "SIMCOM INCORPORATED"],
    ["quectel", "Quectel"],
    ["huawei", "Huawei"],
    ["generic", "Generic"],
  ] as const)(
    "%s",
    async (persona, manufacturer) => {
      const ptyPath = join(dir, `tty-${persona}`);
      const server = await servePty({
        persona,
        booted: true,
        ptyPath,
        msisdn: "+33611111111",
        timings: { submitMs: 200 },
      });
      try {
        server.sim.inject({ from: "+33600000001", text: "hello gammu" });
        const log = join(dir, `${persona}.log`);
        const r = await gammu(ptyPath, log);
        if (r.code !== 0)
          throw new Error(`gammu failed: ${r.err}\n${readFileSync(log, "utf8").slice(-3000)}`);
        const out = JSON.parse(r.out) as { manufacturer: string; imei: string; inbox: unknown[]; mr: number };
        expect(out.manufacturer).toBe(manufacturer);
        expect(out.imei).toBe(server.sim.modem.identity.imei);
        expect(out.inbox).toEqual([{ number: "+33600000001", text: "hello gammu" }]);
        expect(server.sim.network.log).toHaveLength(1);
        expect(server.sim.network.log[0]).toMatchObject({
          mr: out.mr,
          to: "+33622222222",
          text: "from gammu",
        });
      } finally {
        await server.stop();
      }
    },
    60_000,
  );
});
