import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AtChannelLike, AtResponse } from "../../../src/at/types.js";
import { type DoctorDeps, run } from "../../../src/cli/doctor.js";
import type { DoctorReport } from "../../../src/doctor/report.js";
import { buildPiSnapshot, type SnapshotOptions } from "../../fixtures/doctor/pi-snapshot.js";

/** A channel that answers like an EC25: AT → OK, +CGMI → Quectel, +CGMM → EC25. */
function ec25Channel(): AtChannelLike {
  const answers: Record<string, string[]> = {
    AT: [],
    "AT+CGMI": ["Quectel"],
    "AT+CGMM": ["EC25"],
    "AT+CGMR": ["EC25EFAR06A03M4G"],
  };
  return {
    command: async (c: string): Promise<AtResponse> => ({
      command: c,
      lines: answers[c] ?? [],
      final: { kind: "ok" },
    }),
    commandWithPrompt: () => Promise.reject(new Error("unused")),
    onUrc: () => () => {},
    onUnsolicited: () => {},
    escape: async () => {},
    close: async () => {},
    closed: new Promise<void>(() => {}),
  };
}

const EC25 = "/dev/serial/by-id/usb-Quectel_EC25_EC25-if02-port0";
const MISSING = "/dev/serial/by-id/usb-SIMCOM_SIM7600-if02-port0";

async function doctor(
  args: string[],
  snapshot: SnapshotOptions,
  extra: Partial<DoctorDeps> = {},
  ports = [EC25, MISSING],
) {
  const root = buildPiSnapshot(snapshot);
  const config = join(root, "smsgw.toml");
  writeFileSync(
    config,
    `data_dir = "${join(root, "data")}"\n${ports.map((p, i) => `[[modems]]\nid = "gsm${i}"\nport = "${p}"\n`).join("")}`,
  );
  let out = "";
  const opened: string[] = [];
  const code = await run([...args, "--config", config], {
    stdout: (s) => (out += s),
    stderr: () => {},
    env: {},
    root,
    serviceState: () => "inactive",
    openChannel: async (path) => {
      opened.push(path);
      if (path === "/dev/ttyUSB2") return ec25Channel();
      throw new Error(`cannot open ${path}: permission denied (is the user in the dialout group?)`);
    },
    ...extra,
  });
  return { code, out, opened };
}

describe("smsgw doctor", () => {
  it("--json lists ports and findings; errors give exit 1", async () => {
    const r = await doctor(["--json"], { smsgwInDialout: true });
    const report = JSON.parse(r.out) as DoctorReport;
    expect(report.ports.map((p) => p.path)).toContain("/dev/ttyUSB2");
    const ids = report.findings.map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "modem-found",
        "huawei-hilink",
        "huawei-storage-mode",
        "configured-port-missing",
        "at-ok",
        "at-permission",
      ]),
    );
    const at = report.findings.find((f) => f.id === "at-ok");
    expect(at?.title).toBe(
      '/dev/serial/by-id/usb-Quectel_EC25_EC25-if02-port0: Quectel EC25 answers AT (profile "quectel-ec25")',
    );
    expect(report.summary.error).toBeGreaterThan(0);
    expect(r.code).toBe(1);
    expect(r.opened).toEqual(["/dev/ttyUSB2", "/dev/ttyUSB4"]);
  });

  it("prints each problem with its exact fix in text mode", async () => {
    const r = await doctor(["--no-probe"], {});
    expect(r.opened).toEqual([]);
    expect(r.out).toContain(
      "  /dev/ttyUSB2 2c7c:0125 if02 Quectel EC25\n      /dev/serial/by-id/usb-Quectel_EC25_EC25-if02-port0",
    );
    expect(r.out).toContain(
      "✗ smsgw is not in the dialout group: it cannot open the serial ports\n      fix: sudo usermod -aG dialout smsgw",
    );
    expect(r.out).toContain("fix: sudo usb_modeswitch -v 12d1 -p 1f01 -J");
    expect(r.out).toContain('✗ modem "gsm1": /dev/serial/by-id/usb-SIMCOM_SIM7600-if02-port0 does not exist');
  });

  it("exits 0 on a healthy machine", async () => {
    const healthy = { smsgwInDialout: true, withHilink: false, withStorageStick: false };
    const r = await doctor(["--json"], healthy, { openChannel: async () => ec25Channel() }, [EC25]);
    const report = JSON.parse(r.out) as DoctorReport;
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(r.code).toBe(0);
  });

  it("exits 2 on an unknown option", async () => {
    expect((await doctor(["--bogus"], {})).code).toBe(2);
  });
});
