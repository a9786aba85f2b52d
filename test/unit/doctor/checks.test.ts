import { describe, expect, it } from "vitest";
import { runChecks, UDEV_RULE_FIX } from "../../../src/doctor/checks.js";
import { gatherFacts } from "../../../src/doctor/gather.js";
import type { Finding } from "../../../src/doctor/types.js";
import { buildPiSnapshot, type SnapshotOptions } from "../../fixtures/doctor/pi-snapshot.js";

function check(
  options: SnapshotOptions,
  mm: "active" | "inactive" = "inactive",
  brltty: "active" | "inactive" = "inactive",
): Finding[] {
  const root = buildPiSnapshot(options);
  return runChecks(gatherFacts({ root, serviceState: (u) => (u === "ModemManager" ? mm : brltty) }));
}

const byId = (fs: Finding[], id: string) => fs.filter((f) => f.id === id);

describe("doctor checks", () => {
  it("finds the EC25 and names its AT port (interface 2) by its by-id link", () => {
    const [f] = byId(check({}), "modem-found");
    expect(f?.title).toBe(
      "Quectel EC25/EG25 (2c7c:0125, usb 1-1.1): AT port /dev/serial/by-id/usb-Quectel_EC25_EC25-if02-port0",
    );
  });

  it("ModemManager holding a port: error with the exact fixes", () => {
    const fs = check(
      { processes: { 512: ["ModemManager", "/usr/sbin/ModemManager", ["/dev/ttyUSB2"]] } },
      "active",
    );
    const [f] = byId(fs, "modemmanager-holds-port");
    expect(f).toMatchObject({ severity: "error", subject: "/dev/ttyUSB2" });
    expect(f?.fix).toEqual([
      "sudo systemctl disable --now ModemManager",
      `or keep ModemManager for other modems: ${UDEV_RULE_FIX}`,
    ]);
  });

  it("ModemManager running: warns for each modem port not tagged ID_MM_DEVICE_IGNORE, not for tagged ones", () => {
    const fs = check({ mmIgnored: ["ttyUSB0", "ttyUSB1", "ttyUSB2"] }, "active");
    expect(byId(fs, "modemmanager-may-grab").map((f) => f.subject)).toEqual(["/dev/ttyUSB3"]);
    expect(byId(fs, "modemmanager-may-grab")[0]?.fix?.[0]).toBe(UDEV_RULE_FIX);
    const all = check({ mmIgnored: ["ttyUSB0", "ttyUSB1", "ttyUSB2", "ttyUSB3"] }, "active");
    expect(byId(all, "modemmanager-may-grab")).toEqual([]);
    expect(byId(all, "modemmanager-running")).toHaveLength(1);
  });

  it("brltty that took the CH340: error with apt-get remove brltty", () => {
    const [f] = byId(check({ brlttyStoleCh340: true }, "inactive", "active"), "brltty-claims-adapter");
    expect(f?.severity).toBe("error");
    expect(f?.fix).toEqual(["sudo apt-get remove -y brltty", "unplug and replug the adapter"]);
  });

  it("a CH340 with its tty is reported as an adapter to probe, not as a modem", () => {
    const [f] = byId(check({}), "serial-adapter");
    expect(f?.title).toBe(
      "CH340 USB-serial adapter (1a86:7523, usb 1-1.2): /dev/serial/by-id/usb-1a86_USB_Serial-if00-port0",
    );
  });

  it("a Huawei stick in HiLink mode: error explaining there is no AT port, with the modeswitch config", () => {
    const [f] = byId(check({}), "huawei-hilink");
    expect(f?.title).toContain("HiLink mode: a USB router (eth1), with no AT port");
    expect(f?.fix?.[0]).toContain("sudo tee /etc/usb_modeswitch.d/12d1:1f01");
    expect(f?.fix?.[0]).toContain(
      'MessageContent="55534243123456780000000000000011062000000100000000000000000000"',
    );
  });

  it("a Huawei stick in storage mode: usb_modeswitch -v 12d1 -p 1f01 -J", () => {
    const [f] = byId(check({}), "huawei-storage-mode");
    expect(f?.fix).toEqual([
      "sudo apt-get install -y usb-modeswitch usb-modeswitch-data",
      "sudo usb_modeswitch -v 12d1 -p 1f01 -J",
    ]);
  });

  it("the service user outside dialout: sudo usermod -aG dialout smsgw", () => {
    const [f] = byId(check({}), "dialout-missing");
    expect(f?.fix).toEqual(["sudo usermod -aG dialout smsgw", "sudo systemctl restart smsgw"]);
    expect(byId(check({ smsgwInDialout: true }), "dialout-ok")).toHaveLength(1);
  });

  it("under-voltage now is an error, since boot a warning, and nothing on a machine that is not a Pi", () => {
    expect(byId(check({ throttled: "50005" }), "undervoltage-now")[0]?.title).toContain(
      "get_throttled=0x50005",
    );
    expect(byId(check({ throttled: "50000" }), "undervoltage-occurred")[0]?.severity).toBe("warn");
    expect(byId(check({ throttled: "0" }), "power-ok")).toHaveLength(1);
    expect(
      check({ throttled: null }).some((f) => f.id.startsWith("undervoltage") || f.id === "power-ok"),
    ).toBe(false);
  });

  it("another program holding a port is a warning naming it; the running gateway is not a problem", () => {
    const fs = check({
      processes: {
        77: ["minicom", "minicom -D /dev/ttyUSB4", ["/dev/ttyUSB4"]],
        801: ["node", "/usr/bin/node /opt/smsgw/bin/smsgw start", ["/dev/ttyUSB2"]],
      },
    });
    expect(byId(fs, "port-in-use").map((f) => f.title)).toEqual(["/dev/ttyUSB4 is open in minicom (pid 77)"]);
  });

  it("no serial port at all is reported first", () => {
    const root = buildPiSnapshot({ withHilink: false, withStorageStick: false });
    const facts = gatherFacts({ root });
    const empty = { ...facts, ports: [], usbDevices: [] };
    expect(runChecks(empty)[0]?.id).toBe("no-serial-ports");
  });

  it("low disk space is a warning, almost full an error", () => {
    const facts = gatherFacts({ root: buildPiSnapshot({}) });
    const MiB = 1024 * 1024;
    const at = (free: number) =>
      runChecks({
        ...facts,
        disk: { path: "/var/lib/smsgw", freeBytes: free * MiB, totalBytes: 30_000 * MiB },
      });
    expect(byId(at(50), "disk-full")).toHaveLength(1);
    expect(byId(at(400), "disk-low")).toHaveLength(1);
    expect(byId(at(20_000), "disk-ok")[0]?.title).toBe("20000 MiB free of 30000 MiB on /var/lib/smsgw");
  });
});
