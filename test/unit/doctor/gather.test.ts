import { describe, expect, it } from "vitest";
import { gatherFacts, parseThrottled } from "../../../src/doctor/gather.js";
import { buildPiSnapshot } from "../../fixtures/doctor/pi-snapshot.js";

describe("gatherFacts on a Pi snapshot", () => {
  const root = buildPiSnapshot({
    processes: {
      1: ["systemd", "/sbin/init", []],
      512: ["ModemManager", "/usr/sbin/ModemManager", ["/dev/ttyUSB3"]],
      801: [
        "node",
        "/usr/bin/node /opt/smsgw/bin/smsgw start --config /etc/smsgw/smsgw.toml",
        ["/dev/ttyUSB2"],
      ],
    },
    mmIgnored: ["ttyUSB2"],
    throttled: "50005",
  });
  const facts = gatherFacts({ root, serviceState: () => "unknown" });

  it("lists USB serial ports with their by-id links, not virtual consoles or 8250 placeholders", () => {
    expect(facts.ports.map((p) => p.path)).toEqual([
      "/dev/ttyUSB0",
      "/dev/ttyUSB1",
      "/dev/ttyUSB2",
      "/dev/ttyUSB3",
      "/dev/ttyUSB4",
    ]);
    const at = facts.ports.find((p) => p.name === "ttyUSB2");
    expect(at).toMatchObject({
      byId: ["/dev/serial/by-id/usb-Quectel_EC25_EC25-if02-port0"],
      byPath: ["/dev/serial/by-path/platform-fd500000.pcie-pci-0000:01:00.0-usb-0:1.1:1.2-port0"],
      usb: { device: "1-1.1", interfaceNumber: 2 },
      mmIgnored: true,
    });
    expect(facts.ports.find((p) => p.name === "ttyUSB0")?.mmIgnored).toBe(false);
    expect(facts.ports.find((p) => p.name === "ttyUSB1")?.mmIgnored).toBeNull();
  });

  it("reads USB ids, interfaces, drivers, ttys and network interfaces", () => {
    const ec25 = facts.usbDevices.find((d) => d.sysName === "1-1.1");
    expect(ec25).toMatchObject({
      vendorId: "2c7c",
      productId: "0125",
      manufacturer: "Quectel",
      product: "EC25",
    });
    expect(ec25?.interfaces.map((i) => [i.number, i.driver, i.ttys, i.nets])).toEqual([
      [0, "option", ["ttyUSB0"], []],
      [1, "option", ["ttyUSB1"], []],
      [2, "option", ["ttyUSB2"], []],
      [3, "option", ["ttyUSB3"], []],
      [4, "qmi_wwan", [], ["wwan0"]],
    ]);
    const hilink = facts.usbDevices.find((d) => d.productId === "14dc");
    expect(hilink?.interfaces[0]).toMatchObject({
      class: "02",
      subclass: "06",
      driver: "cdc_ether",
      nets: ["eth1"],
      ttys: [],
    });
  });

  it("finds the processes holding ttys, and services from the process list when systemctl is unknown", () => {
    expect(facts.processes.find((p) => p.comm === "ModemManager")?.devices).toEqual(["/dev/ttyUSB3"]);
    expect(facts.processes.find((p) => p.pid === 801)?.cmdline).toContain("smsgw start");
    expect(facts.services).toEqual({ modemManager: "active", brltty: "inactive" });
  });

  it("reads the service user's dialout membership and the throttled bits", () => {
    expect(facts.user).toEqual({ name: "smsgw", exists: true, inDialout: false, isServiceUser: true });
    expect(facts.throttled).toBe(0x50005);
    const inGroup = gatherFacts({ root: buildPiSnapshot({ smsgwInDialout: true }) });
    expect(inGroup.user?.inDialout).toBe(true);
  });

  it("falls back to the invoking user when the service user does not exist", () => {
    const f = gatherFacts({ root: buildPiSnapshot({ smsgwExists: false }), currentUser: "pi" });
    expect(f.user).toEqual({ name: "pi", exists: false, inDialout: false, isServiceUser: false });
  });

  it("checks configured ports against the tree", () => {
    const f = gatherFacts({
      root,
      configuredPorts: [
        { id: "gsm0", port: "/dev/serial/by-id/usb-Quectel_EC25_EC25-if02-port0" },
        { id: "gsm1", port: "/dev/serial/by-id/usb-SIMCOM_SIM7600-if02-port0" },
        { id: "sim", port: "sim://sim800" },
      ],
    });
    expect(f.configuredPorts).toEqual([
      {
        id: "gsm0",
        port: "/dev/serial/by-id/usb-Quectel_EC25_EC25-if02-port0",
        exists: true,
        device: "/dev/ttyUSB2",
      },
      { id: "gsm1", port: "/dev/serial/by-id/usb-SIMCOM_SIM7600-if02-port0", exists: false, device: null },
    ]);
  });
});

describe("under-voltage source", () => {
  it("falls back to vcgencmd's answer when the sysfs file is absent", () => {
    const root = buildPiSnapshot({ throttled: null });
    expect(gatherFacts({ root }).throttled).toBeNull();
    expect(gatherFacts({ root, readThrottled: () => "throttled=0x50000" }).throttled).toBe(0x50000);
  });
});

describe("parseThrottled", () => {
  it("reads sysfs and vcgencmd forms as hex", () => {
    expect(parseThrottled("50005")).toBe(0x50005);
    expect(parseThrottled("throttled=0x50000")).toBe(0x50000);
    expect(parseThrottled("0")).toBe(0);
    expect(parseThrottled(null)).toBeNull();
    expect(parseThrottled("garbage!")).toBeNull();
  });
});
