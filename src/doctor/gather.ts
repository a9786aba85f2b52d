/**
 * Reads the facts doctor needs from a filesystem root ("/" normally, a fixture tree in tests):
 *   <root>/sys/bus/usb/devices/*       USB devices, their interfaces, drivers, ttys and net interfaces
 *   <root>/sys/class/tty/*             serial ports (only those with a `device`: real hardware)
 *   <root>/dev/serial/by-id|by-path    stable links
 *   <root>/run/udev/data/c<maj>:<min>  udev properties (ID_MM_DEVICE_IGNORE)
 *   <root>/proc/<pid>/{comm,cmdline,fd} processes and the devices they hold open
 *   <root>/etc/passwd, <root>/etc/group the service user and dialout
 *   <root>/sys/devices/platform/soc/soc:firmware/get_throttled   Pi under-voltage bits
 * Everything that cannot be read is left out rather than guessed; nothing here throws.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statfsSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { parseThrottled, readThrottledSysfs } from "../platform/throttled.js";
import type {
  DiskFact,
  Facts,
  ProcessFact,
  SerialPortFact,
  ServiceState,
  UsbDeviceFact,
  UsbInterfaceFact,
  UserFact,
} from "./types.js";

export interface GatherOptions {
  /** Filesystem root; default "/". */
  readonly root?: string;
  /** `systemctl is-active <unit>`; default: unknown (decided from the process list). */
  readonly serviceState?: (unit: string) => ServiceState;
  /** Service account to check for dialout; default "smsgw". */
  readonly serviceUser?: string;
  /** Fallback account when the service user does not exist (running from a checkout). */
  readonly currentUser?: string;
  /** Directory whose filesystem's free space matters (data_dir). */
  readonly dataDir?: string;
  readonly configuredPorts?: readonly { readonly id: string; readonly port: string }[];
  /** Used when the firmware's sysfs file is absent (older kernels): `vcgencmd get_throttled`. */
  readonly readThrottled?: () => string | null;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return null;
  }
}

function list(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function link(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

function real(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function hex2(v: string | null): string {
  return (v ?? "").toLowerCase().padStart(2, "0");
}

function gatherInterface(dir: string): UsbInterfaceFact {
  const children = list(dir);
  const ttyDir = list(join(dir, "tty"));
  const driverLink = link(join(dir, "driver"));
  return {
    number: Number.parseInt(read(join(dir, "bInterfaceNumber")) ?? "", 16),
    class: hex2(read(join(dir, "bInterfaceClass"))),
    subclass: hex2(read(join(dir, "bInterfaceSubClass"))),
    protocol: hex2(read(join(dir, "bInterfaceProtocol"))),
    driver: driverLink ? basename(driverLink) : null,
    // usb-serial drivers put ttyUSBn directly under the interface; cdc_acm puts tty/ttyACMn.
    ttys: [...children.filter((c) => /^tty(USB|ACM)\d+$/.test(c)), ...ttyDir].sort(),
    nets: list(join(dir, "net")).sort(),
  };
}

export function gatherUsb(root: string): UsbDeviceFact[] {
  const base = join(root, "sys/bus/usb/devices");
  const out: UsbDeviceFact[] = [];
  for (const name of list(base).sort()) {
    if (name.includes(":") || name.startsWith("usb")) continue;
    const dir = real(join(base, name)) ?? join(base, name);
    const vendorId = read(join(dir, "idVendor"));
    const productId = read(join(dir, "idProduct"));
    if (!vendorId || !productId) continue;
    const interfaces = list(dir)
      .filter((c) => c.startsWith(`${name}:`))
      .map((c) => gatherInterface(join(dir, c)))
      .sort((a, b) => a.number - b.number);
    out.push({
      sysName: name,
      vendorId: vendorId.toLowerCase(),
      productId: productId.toLowerCase(),
      manufacturer: read(join(dir, "manufacturer")),
      product: read(join(dir, "product")),
      serial: read(join(dir, "serial")),
      interfaces,
    });
  }
  return out;
}

function linksTo(dir: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const name of list(dir).sort()) {
    const target = link(join(dir, name));
    if (!target) continue;
    const tty = basename(target);
    m.set(tty, [...(m.get(tty) ?? []), join("/dev/serial", basename(dir), name)]);
  }
  return m;
}

function mmIgnored(root: string, tty: string): boolean | null {
  const dev = read(join(root, "sys/class/tty", tty, "dev"));
  if (!dev) return null;
  const data = read(join(root, "run/udev/data", `c${dev}`));
  if (data === null) return null;
  return /^E:ID_MM_DEVICE_IGNORE=1$/m.test(data);
}

export function gatherPorts(root: string, usb: readonly UsbDeviceFact[]): SerialPortFact[] {
  const byId = linksTo(join(root, "dev/serial/by-id"));
  const byPath = linksTo(join(root, "dev/serial/by-path"));
  // /dev/serial0 and serial1 name the Pi's GPIO-header UART (SIM800 HATs).
  const piUarts = new Set(
    ["serial0", "serial1"].map((l) => basename(link(join(root, "dev", l)) ?? "")).filter(Boolean),
  );
  const ttyToUsb = new Map<string, { device: string; interfaceNumber: number | null }>();
  for (const d of usb)
    for (const i of d.interfaces)
      for (const t of i.ttys) ttyToUsb.set(t, { device: d.sysName, interfaceNumber: i.number });
  const out: SerialPortFact[] = [];
  for (const name of list(join(root, "sys/class/tty")).sort()) {
    const isUsb = ttyToUsb.has(name);
    if (!isUsb && !piUarts.has(name) && !/^ttyAMA\d+$/.test(name)) continue;
    if (!isUsb && !existsSync(join(root, "sys/class/tty", name, "device"))) continue;
    out.push({
      path: `/dev/${name}`,
      name,
      byId: byId.get(name) ?? [],
      byPath: byPath.get(name) ?? [],
      usb: ttyToUsb.get(name) ?? null,
      mmIgnored: mmIgnored(root, name),
    });
  }
  return out;
}

export function gatherProcesses(root: string): ProcessFact[] {
  const out: ProcessFact[] = [];
  for (const pid of list(join(root, "proc")).filter((p) => /^\d+$/.test(p))) {
    const dir = join(root, "proc", pid);
    const comm = read(join(dir, "comm"));
    if (comm === null) continue;
    const cmdline = (read(join(dir, "cmdline")) ?? "").split("\0").join(" ").trim();
    let fds: string[];
    let fdsReadable = true;
    try {
      fds = readdirSync(join(dir, "fd"));
    } catch {
      fds = [];
      fdsReadable = false;
    }
    const devices = fds
      .map((fd) => link(join(dir, "fd", fd)))
      .filter((t): t is string => t?.startsWith("/dev/tty") === true);
    out.push({ pid: Number(pid), comm, cmdline, devices: [...new Set(devices)].sort(), fdsReadable });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

export function gatherUser(root: string, name: string, isServiceUser: boolean): UserFact {
  const passwd = read(join(root, "etc/passwd")) ?? "";
  const group = read(join(root, "etc/group")) ?? "";
  const entry = passwd.split("\n").find((l) => l.startsWith(`${name}:`));
  const dialout = group.split("\n").find((l) => l.startsWith("dialout:"));
  if (!entry) return { name, exists: false, inDialout: false, isServiceUser };
  const primaryGid = entry.split(":")[3];
  const [, , gid, members = ""] = (dialout ?? "").split(":");
  const inDialout = dialout !== undefined && (primaryGid === gid || members.split(",").includes(name));
  return { name, exists: true, inDialout, isServiceUser };
}

// Shared with the daemon's /health and /metrics (src/platform/throttled.ts).
export { parseThrottled };

function disk(path: string | undefined): DiskFact | null {
  if (!path) return null;
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    const s = statfsSync(dir);
    return { path, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return null;
  }
}

function serviceFromProcesses(processes: readonly ProcessFact[], comm: string): ServiceState {
  return processes.some((p) => p.comm === comm) ? "active" : "inactive";
}

export function gatherFacts(options: GatherOptions = {}): Facts {
  const root = options.root ?? "/";
  const usbDevices = gatherUsb(root);
  const processes = gatherProcesses(root);
  const state = (unit: string, comm: string): ServiceState => {
    const s = options.serviceState?.(unit) ?? "unknown";
    return s === "unknown" ? serviceFromProcesses(processes, comm) : s;
  };
  const serviceUser = options.serviceUser ?? "smsgw";
  let user: UserFact | null = gatherUser(root, serviceUser, true);
  if (!user.exists && options.currentUser) user = gatherUser(root, options.currentUser, false);
  return {
    ports: gatherPorts(root, usbDevices),
    usbDevices,
    processes,
    services: { modemManager: state("ModemManager", "ModemManager"), brltty: state("brltty", "brltty") },
    user,
    throttled: parseThrottled(readThrottledSysfs(root) ?? options.readThrottled?.() ?? null),
    disk: disk(options.dataDir),
    configuredPorts: (options.configuredPorts ?? [])
      .filter((p) => p.port.startsWith("/"))
      .map((p) => {
        const target = real(join(root, p.port));
        const device = target ? `/${relative(real(root) ?? root, target)}` : null;
        return { id: p.id, port: p.port, exists: target !== null, device };
      }),
  };
}
