import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listPorts } from "../../../src/transport/list.js";

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A fake /dev, /dev/serial/by-id and /sys/class/tty laid out like a Pi with a Huawei stick. */
function fakeMachine() {
  root = mkdtempSync(join(tmpdir(), "smsgw-list-"));
  const dev = join(root, "dev");
  const byId = join(root, "by-id");
  const sys = join(root, "sys");
  const usb = join(root, "usb");
  for (const d of [dev, byId, sys, usb]) mkdirSync(d);
  for (const n of ["ttyUSB0", "ttyUSB2", "ttyUSB10", "ttyACM0", "ttyS0"]) writeFileSync(join(dev, n), "");
  // usb-serial: device → …/1-1:1.2/ttyUSB2, the interface number is one level up.
  mkdirSync(join(usb, "1-1:1.2", "ttyUSB2"), { recursive: true });
  writeFileSync(join(usb, "1-1:1.2", "bInterfaceNumber"), "02\n");
  mkdirSync(join(sys, "ttyUSB2"));
  symlinkSync(join(usb, "1-1:1.2", "ttyUSB2"), join(sys, "ttyUSB2", "device"));
  // cdc-acm: device → the interface itself.
  mkdirSync(join(usb, "1-2:1.3"));
  writeFileSync(join(usb, "1-2:1.3", "bInterfaceNumber"), "0a\n");
  mkdirSync(join(sys, "ttyACM0"));
  symlinkSync(join(usb, "1-2:1.3"), join(sys, "ttyACM0", "device"));
  symlinkSync(join(dev, "ttyUSB2"), join(byId, "usb-HUAWEI_Mobile_HUAWEI_Mobile-if02-port0"));
  symlinkSync(join(dev, "ttyACM0"), join(byId, "usb-Quectel_EC25-if03"));
  symlinkSync(join(dev, "gone"), join(byId, "usb-unplugged-if00-port0"));
  return { dev, byId, sys };
}

describe("listPorts", () => {
  it("merges by-id links, puts them first, and reads VID/PID and the interface number", async () => {
    const { dev, byId, sys } = fakeMachine();
    const ports = await listPorts({
      byIdDir: byId,
      sysClassTty: sys,
      listRaw: async () => [
        { path: join(dev, "ttyUSB10") },
        {
          path: join(dev, "ttyUSB2"),
          vendorId: "12D1",
          productId: "1506",
          manufacturer: "HUAWEI",
          serialNumber: "0123",
        },
        { path: join(dev, "ttyUSB0"), vendorId: "1a86", productId: "7523" },
        { path: join(dev, "ttyS0") },
      ],
    });
    expect(ports).toEqual([
      { path: join(dev, "ttyACM0"), byId: join(byId, "usb-Quectel_EC25-if03"), interfaceNumber: 10 },
      {
        path: join(dev, "ttyUSB2"),
        byId: join(byId, "usb-HUAWEI_Mobile_HUAWEI_Mobile-if02-port0"),
        vendorId: "12d1",
        productId: "1506",
        manufacturer: "HUAWEI",
        serialNumber: "0123",
        interfaceNumber: 2,
      },
      { path: join(dev, "ttyS0") },
      { path: join(dev, "ttyUSB0"), vendorId: "1a86", productId: "7523" },
      { path: join(dev, "ttyUSB10") },
    ]);
  });

  it("returns an empty list when there is no by-id directory and no port", async () => {
    expect(await listPorts({ byIdDir: "/nonexistent/by-id", listRaw: async () => [] })).toEqual([]);
  });

  it("lists this machine's ports with the PortInfo shape (none is fine)", async () => {
    const ports = await listPorts();
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) {
      expect(typeof p.path).toBe("string");
      for (const k of Object.keys(p)) {
        expect([
          "path",
          "byId",
          "vendorId",
          "productId",
          "manufacturer",
          "serialNumber",
          "interfaceNumber",
        ]).toContain(k);
      }
      if (p.interfaceNumber !== undefined) expect(Number.isInteger(p.interfaceNumber)).toBe(true);
    }
    const firstPlain = ports.findIndex((p) => p.byId === undefined);
    if (firstPlain >= 0) expect(ports.slice(firstPlain).every((p) => p.byId === undefined)).toBe(true);
  });
});
