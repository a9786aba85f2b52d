/**
 * Enumerates serial ports: serialport's list (udev data: VID/PID, serial number) merged with the
 * /dev/serial/by-id links, by-id ports first (zwave-js bindings/node.ts list()), each with the USB
 * interface number from sysfs, which tells a modem's AT port from its diag/NMEA ports.
 */
import { readdir, readFile, realpath } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { SerialPort } from "serialport";
import type { PortInfo } from "./types.js";

/** serialport's PortInfo fields that are read here. */
export interface RawPortInfo {
  readonly path: string;
  readonly manufacturer?: string | undefined;
  readonly serialNumber?: string | undefined;
  readonly vendorId?: string | undefined;
  readonly productId?: string | undefined;
}

export interface ListDeps {
  readonly listRaw?: () => Promise<readonly RawPortInfo[]>;
  /** Default /dev/serial/by-id. */
  readonly byIdDir?: string;
  /** Default /sys/class/tty. */
  readonly sysClassTty?: string;
}

export async function listPorts(deps: ListDeps = {}): Promise<PortInfo[]> {
  const listRaw = deps.listRaw ?? (() => SerialPort.list());
  const [raw, links] = await Promise.all([
    listRaw().catch(() => [] as RawPortInfo[]),
    readLinks(deps.byIdDir ?? "/dev/serial/by-id"),
  ]);
  const byPath = new Map<string, RawPortInfo>();
  for (const r of raw) byPath.set(r.path, r);
  // A by-id link whose target serialport did not report (no udev data) is still a port.
  for (const target of links.keys()) if (!byPath.has(target)) byPath.set(target, { path: target });
  const sys = deps.sysClassTty ?? "/sys/class/tty";
  const ports = await Promise.all(
    [...byPath.values()].map(async (r): Promise<PortInfo> => {
      const interfaceNumber = await readInterfaceNumber(sys, basename(r.path));
      const byId = links.get(r.path);
      return {
        path: r.path,
        ...(byId !== undefined ? { byId } : {}),
        ...(r.vendorId ? { vendorId: r.vendorId.toLowerCase() } : {}),
        ...(r.productId ? { productId: r.productId.toLowerCase() } : {}),
        ...(r.manufacturer ? { manufacturer: r.manufacturer } : {}),
        ...(r.serialNumber ? { serialNumber: r.serialNumber } : {}),
        ...(interfaceNumber !== undefined ? { interfaceNumber } : {}),
      };
    }),
  );
  return ports.sort(
    (a, b) =>
      Number(b.byId !== undefined) - Number(a.byId !== undefined) ||
      a.path.localeCompare(b.path, "en", { numeric: true }),
  );
}

/** by-id links → their targets; a missing directory (no USB serial device) is an empty map. */
async function readLinks(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const link = join(dir, name);
    try {
      const target = await realpath(link);
      if (!out.has(target)) out.set(target, link);
    } catch {
      // A dangling link (device just unplugged): skip it.
    }
  }
  return out;
}

/**
 * bInterfaceNumber is hex ("02"). For ttyUSB (usb-serial) `device` is the ttyUSBn node below the
 * interface, hence "../bInterfaceNumber"; for ttyACM (cdc-acm) `device` is the interface itself.
 */
async function readInterfaceNumber(sys: string, name: string): Promise<number | undefined> {
  let device: string;
  try {
    // Resolve the symlink first: a lexical "device/.." would just cancel out.
    device = await realpath(join(sys, name, "device"));
  } catch {
    return undefined; // not a device-backed tty (pty, console) or no sysfs
  }
  for (const file of [join(device, "bInterfaceNumber"), join(dirname(device), "bInterfaceNumber")]) {
    try {
      const n = Number.parseInt((await readFile(file, "utf8")).trim(), 16);
      if (Number.isInteger(n)) return n;
    } catch {
      // Not there at this level: try the parent, else leave it unknown.
    }
  }
  return undefined;
}
