import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../../src/cli/doctor.js";
import type { DoctorReport } from "../../../src/doctor/report.js";
import { createSimModem } from "../../../src/sim/index.js";
import { openSerialTransport } from "../../../src/transport/serial.js";
import type { Transport } from "../../../src/transport/types.js";

// The real serial path of the probe (serialport on a tty, AT channel) against the simulated modem
// behind a socat pseudo-terminal pair: doctor opens one end, the simulator answers on the other.
// (`smsgw sim serve --pty` would do the same from the command line; it is not in this build yet.)
describe("smsgw doctor --port on a pty served by the simulator", () => {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-pty-"));
  const doctorEnd = join(dir, "modem");
  const simEnd = join(dir, "sim");
  let socat: ChildProcess;
  let simSide: Transport;

  beforeAll(async () => {
    socat = spawn("socat", [`pty,raw,echo=0,link=${doctorEnd}`, `pty,raw,echo=0,link=${simEnd}`]);
    const until = Date.now() + 5000;
    while (!(existsSync(doctorEnd) && existsSync(simEnd))) {
      if (Date.now() > until) throw new Error("socat did not create the pty pair (apt-get install socat)");
      await new Promise((r) => setTimeout(r, 25));
    }
    const { transport: sim } = createSimModem({ persona: "sim7600", seed: 3, booted: true });
    simSide = await openSerialTransport(simEnd);
    simSide.onData((b) => void sim.write(b));
    sim.onData((b) => void simSide.write(b));
  });

  afterAll(async () => {
    await simSide?.close();
    socat?.kill();
  });

  it("probes the port and identifies the modem and its profile", async () => {
    let out = "";
    const code = await run(["--json", "--port", doctorEnd, "--config", join(dir, "none.toml")], {
      stdout: (s) => (out += s),
      stderr: () => {},
      env: {},
      root: dir,
      serviceState: () => "inactive",
    });
    const report = JSON.parse(out) as DoctorReport;
    const at = report.findings.find((f) => f.subject === doctorEnd);
    expect(at?.id).toBe("at-ok");
    expect(at?.title).toMatch(/answers AT \(profile "simcom-sim7600"\)$/);
    expect(code).toBe(0);
  });
});
