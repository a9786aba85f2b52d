import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SerialPort } from "serialport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/sim.js";

const CLI = ["--import", "tsx", join(import.meta.dirname, "run-cli.ts")];
const dir = mkdtempSync(join(tmpdir(), "smsgw-sim-"));
const tty = join(dir, "ttySIM0");
const ctl = join(dir, "ctl.sock");
let server: ChildProcess;
let out = "";

function present(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [...CLI, ...args], { encoding: "utf8", timeout: 15_000 });
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  server = spawn(
    process.execPath,
    [
      ...CLI,
      "sim",
      "serve",
      "--persona",
      "quectel",
      "--booted",
      "--pty",
      tty,
      "--control",
      ctl,
      "--msisdn",
      "+33611223344",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  server.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  await until(() => out.includes(`ready ${tty}`), 15_000, "server ready line");
}, 20_000);

afterAll(() => {
  if (server.exitCode === null) server.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("smsgw sim serve on a pseudo-terminal", () => {
  it("talks AT through node-serialport, receives an injected SMS, and cleans up on SIGTERM", async () => {
    const port = new SerialPort({ path: tty, baudRate: 115200 });
    await new Promise<void>((resolve, reject) => port.once("open", resolve).once("error", reject));
    let rx = "";
    port.on("data", (d: Buffer) => {
      rx += d.toString("latin1");
    });
    const ask = async (line: string, until_: string) => {
      rx = "";
      port.write(`${line}\r`);
      await until(() => rx.includes(until_), 5000, `${line} → ${until_}`);
      return rx;
    };
    expect(await ask("ATE0", "OK\r\n")).toBe("ATE0\r\r\nOK\r\n");
    expect(await ask("AT+CGMM", "OK\r\n")).toBe("\r\nEC25\r\n\r\nOK\r\n");

    rx = "";
    const inj = cli("sim", "inject", "--control", ctl, "--from", "+33600000001", "--text", "hello pty");
    expect(inj.status).toBe(0);
    await until(() => rx.includes("+CMTI"), 5000, "+CMTI");
    expect(rx).toBe('\r\n+CMTI: "SM",0\r\n');

    const sr = cli("sim", "inject", "--control", ctl, "--status-report", "--mr", "12", "--status", "failed");
    expect(sr.status).toBe(0);

    await new Promise<void>((resolve) => port.close(() => resolve()));
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(present(tty)).toBe(false);
    expect(existsSync(ctl)).toBe(false);
  }, 30_000);
});

/** Runs `smsgw sim …` in-process with captured output. */
async function runSim(args: string[]): Promise<{ status: number; stderr: string; stdout: string }> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c) },
    stdin: (async function* () {})(),
  };
  const status = await run(args, io);
  return { status, stdout, stderr };
}

describe("smsgw sim: bad input exits 2 with a clear message", () => {
  it.each([
    [["inject", "--control", "/nonexistent", "--text", "x"], /--from is required/],
    [["serve", "--pty", "/tmp/x", "--persona", "nokia"], /--persona must be one of/],
    [["serve", "--pty", "/tmp/x", "--fault", "explode"], /unknown fault 'explode'/],
    [["serve", "--pty", "/tmp/x", "--fault"], /--fault needs a value/],
    [["serve", "--pty", "/tmp/x", "--msisdn", "call-me"], /--msisdn must be a phone number/],
    [["inject", "--control", "/x", "--status-report", "--mr", "300"], /--mr must be between 0 and 255/],
    [["fault", "--control", "/x", "hang:soon"], /hang seconds must be a non-negative number/],
    [["frobnicate"], /unknown subcommand 'frobnicate'/],
  ])("%j", async (args, message) => {
    const r = await runSim(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("exits 1 when the control socket cannot be reached", async () => {
    const r = await runSim(["inject", "--control", join(dir, "nope.sock"), "--from", "+1", "--text", "x"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot reach control socket/);
  });
});

describe("drop on a pseudo-terminal", () => {
  it("removes the pty like an unplugged stick, then re-plugs a rebooted modem", async () => {
    const { servePty } = await import("../../src/sim/pty-server.js");
    const { readlinkSync } = await import("node:fs");
    const ptyPath = join(dir, "ttyDROP");
    const timings = {
      bootMs: 5,
      smsReadyMs: 20,
      commandMs: 1,
      submitMs: 5,
      registerMs: 10,
      rebootMs: 20,
      noiseMs: 0,
    };
    const server = await servePty({ persona: "generic", booted: true, ptyPath, replugMs: 100, timings });
    try {
      const target = readlinkSync(ptyPath);
      const port = new SerialPort({ path: ptyPath, baudRate: 115200 });
      port.on("error", () => {});
      await new Promise<void>((resolve, reject) => port.once("open", resolve).once("error", reject));
      const bootedBefore = server.sim.state.bootedAt;
      server.sim.setFault("drop");
      port.write("AT\r");
      await until(() => !present(ptyPath), 5000, "pty link removed");
      await new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
      await until(() => present(ptyPath), 5000, "pty link back");
      expect(readlinkSync(ptyPath)).not.toBe("");
      expect(server.sim.modem.faults).toEqual([]);
      // The link shows up before the modem has booted (as a tty enumerates before the firmware is up).
      const rebooted = () => server.sim.state.bootedAt > bootedBefore && server.sim.state.smsReady;
      await until(rebooted, 5000, "rebooted modem ready");
      const again = new SerialPort({ path: ptyPath, baudRate: 115200 });
      await new Promise<void>((resolve, reject) => again.once("open", resolve).once("error", reject));
      let rx = "";
      again.on("data", (d: Buffer) => {
        rx += d.toString("latin1");
      });
      again.write("AT\r");
      await until(() => rx.includes("OK\r\n"), 5000, "OK after re-plug");
      expect(rx.endsWith("AT\r\r\nOK\r\n")).toBe(true); // echo is on again after the reboot
      expect(target).toMatch(/^\/dev\/pts\//);
      await new Promise<void>((resolve) => again.close(() => resolve()));
    } finally {
      await server.stop();
    }
    expect(present(ptyPath)).toBe(false);
  }, 30_000);
});
