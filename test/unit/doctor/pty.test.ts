import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../../src/cli/doctor.js";
import type { DoctorReport } from "../../../src/doctor/report.js";

const root = join(import.meta.dirname, "../../..");
const ENTRY = `import { main } from ${JSON.stringify(join(root, "src/cli/main.ts"))}; process.exitCode = await main(process.argv.slice(1));`;

// The real serial path of the probe (serialport on a tty, AT channel) against `smsgw sim serve --pty`,
// a simulated SIM7600 on a pseudo-terminal in its own process.
describe("smsgw doctor --port against smsgw sim serve --pty", () => {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-pty-"));
  const pty = join(dir, "ttySIM0");
  let server: ChildProcess;

  beforeAll(async () => {
    server = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        ENTRY,
        "sim",
        "serve",
        "--pty",
        pty,
        "--persona",
        "sim7600",
        "--seed",
        "3",
        "--booted",
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    server.stderr?.on("data", (b: Buffer) => (err += b.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sim serve not ready: ${err}`)), 15_000);
      server.stdout?.on("data", (b: Buffer) => {
        out += b.toString();
        if (out.includes(`ready ${pty}`)) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.on("exit", (code) => reject(new Error(`sim serve exited ${code}: ${err}`)));
    });
  });

  afterAll(() => {
    server?.kill("SIGTERM");
  });

  it("probes the port, identifies the modem and its profile, and exits 0", async () => {
    let out = "";
    const code = await run(["--json", "--port", pty, "--config", join(dir, "none.toml")], {
      stdout: (s) => (out += s),
      stderr: () => {},
      env: {},
      root: dir,
      serviceState: () => "inactive",
    });
    const report = JSON.parse(out) as DoctorReport;
    const at = report.findings.find((f) => f.subject === pty);
    expect(at?.id).toBe("at-ok");
    expect(at?.title).toMatch(/answers AT \(profile "simcom-sim7600"\)$/);
    expect(code).toBe(0);
  });
});
