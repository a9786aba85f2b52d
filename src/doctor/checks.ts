/**
 * Pure checks: facts in, findings out, each with the exact fix. No I/O here (tests run them on
 * facts gathered from fixture trees).
 */
import { decodeThrottled, hexThrottled, POWER_SUPPLY_ADVICE } from "../platform/throttled.js";
import type { Facts, Finding, ProcessFact, SerialPortFact, UsbDeviceFact } from "./types.js";
import { BRLTTY_CLAIMED, HUAWEI_MODEM_MODE_MESSAGE, usbKind } from "./usb-ids.js";

export const UDEV_RULE_FIX =
  "sudo install -m 0644 /opt/smsgw/systemd/77-smsgw-modems.rules /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger --subsystem-match=tty --action=change";

const MIB = 1024 * 1024;

/** The running gateway: `node …/bin/smsgw start …` (or the built entry point). */
export function isDaemon(p: ProcessFact): boolean {
  return /\bsmsgw\b/.test(p.cmdline) && /\sstart(\s|$)/.test(p.cmdline);
}

export function holdersOf(facts: Facts, port: SerialPortFact): ProcessFact[] {
  return facts.processes.filter((p) => p.devices.includes(port.path));
}

function describeDevice(d: UsbDeviceFact): string {
  const name =
    usbKind(d.vendorId, d.productId)?.name ?? [d.manufacturer, d.product].filter(Boolean).join(" ");
  return `${name || "unknown device"} (${d.vendorId}:${d.productId}, usb ${d.sysName})`;
}

/** The tty names of a modem that carry AT commands, by the ModemManager port tables. */
export function atTtys(d: UsbDeviceFact): string[] {
  const k = usbKind(d.vendorId, d.productId);
  if (k?.kind !== "modem" || k.atInterface === null) return d.interfaces.flatMap((i) => i.ttys);
  if (k.atInterface === "huawei-pcui") {
    // Huawei vendor interfaces: class ff, protocol 02 = PCUI (ModemManager 77-mm-huawei-net-port-types.rules).
    const pcui = d.interfaces.filter((i) => i.class === "ff" && i.protocol === "02").flatMap((i) => i.ttys);
    return pcui.length > 0 ? pcui : d.interfaces.flatMap((i) => i.ttys);
  }
  return d.interfaces.filter((i) => i.number === k.atInterface).flatMap((i) => i.ttys);
}

function portName(facts: Facts, tty: string): string {
  const p = facts.ports.find((x) => x.name === tty);
  return p?.byId[0] ?? `/dev/${tty}`;
}

function usbFindings(facts: Facts): Finding[] {
  const out: Finding[] = [];
  for (const d of facts.usbDevices) {
    const k = usbKind(d.vendorId, d.productId);
    const ttys = d.interfaces.flatMap((i) => i.ttys);
    const subject = `usb ${d.sysName}`;
    if (k?.kind === "storage") {
      out.push({
        id: "huawei-storage-mode",
        severity: "error",
        subject,
        title: `${describeDevice(d)} shows up as a USB CD-ROM, not as a modem`,
        detail:
          "Huawei sticks start in storage mode; usb_modeswitch must switch them (Debian does it at plug-in once usb-modeswitch is installed).",
        fix: ["sudo apt-get install -y usb-modeswitch usb-modeswitch-data", k.switchCommand],
      });
    } else if (
      k?.kind === "hilink" ||
      (d.vendorId === "12d1" &&
        ttys.length === 0 &&
        d.interfaces.some((i) => /cdc_ether|rndis_host|cdc_ncm/.test(i.driver ?? "")))
    ) {
      const nets = d.interfaces.flatMap((i) => i.nets).join(", ") || "a network interface";
      out.push({
        id: "huawei-hilink",
        severity: "error",
        subject,
        title: `${describeDevice(d)} is in HiLink mode: a USB router (${nets}), with no AT port`,
        detail:
          "HiLink firmware exposes only a network interface and a web UI (http://192.168.8.1); no serial port appears, so smsgw cannot send SMS through it. Some models (E3531, E3131) switch to modem mode 12d1:1001 when asked at plug-in; the E3372h needs its 'stick' firmware.",
        fix: [
          `printf 'TargetVendor=0x12d1\\nTargetProduct=0x1f01\\nMessageContent="${HUAWEI_MODEM_MODE_MESSAGE}"\\n' | sudo tee /etc/usb_modeswitch.d/12d1:1f01`,
          "unplug and replug the stick, then run smsgw doctor again (expect 12d1:1001 with ttyUSB ports)",
          "if it comes back as HiLink, this model has no modem mode: use a stick-firmware model (E3372 12d1:1506) or another modem",
        ],
      });
    } else if (k?.kind === "modem") {
      const at = atTtys(d);
      if (ttys.length === 0) {
        out.push({
          id: "modem-no-tty",
          severity: "error",
          subject,
          title: `${describeDevice(d)} has no serial port`,
          detail: "No kernel driver is bound to its interfaces (option / qcserial for these modems).",
          fix: ["sudo modprobe option", "unplug and replug the modem"],
        });
      } else {
        out.push({
          id: "modem-found",
          severity: "ok",
          subject,
          title: `${describeDevice(d)}: AT port ${at.map((t) => portName(facts, t)).join(", ")}`,
          detail: `all ports: ${ttys.map((t) => `/dev/${t}`).join(", ")}`,
        });
      }
    } else if (k?.kind === "bridge") {
      const claimed = BRLTTY_CLAIMED.has(`${d.vendorId}:${d.productId}`);
      const stolen =
        ttys.length === 0 &&
        (facts.services.brltty === "active" || d.interfaces.some((i) => i.driver === "usbfs"));
      if (stolen && claimed) {
        out.push({
          id: "brltty-claims-adapter",
          severity: "error",
          subject,
          title: `${describeDevice(d)} has no serial port: brltty took it for a braille display`,
          fix: ["sudo apt-get remove -y brltty", "unplug and replug the adapter"],
        });
      } else {
        out.push({
          id: "serial-adapter",
          severity: "info",
          subject,
          title: `${describeDevice(d)}: ${ttys.map((t) => portName(facts, t)).join(", ") || "no port"}`,
          detail:
            "A USB-serial adapter reports its own ids, not the modem's: whether a SIM800 is attached is told by the AT probe below.",
        });
      }
    }
  }
  return out;
}

function processFindings(facts: Facts): Finding[] {
  const out: Finding[] = [];
  const mm = facts.services.modemManager === "active";
  const modemTtys = new Set(
    facts.usbDevices
      .filter((d) => usbKind(d.vendorId, d.productId)?.kind === "modem")
      .flatMap((d) => d.interfaces.flatMap((i) => i.ttys)),
  );
  for (const port of facts.ports) {
    for (const p of holdersOf(facts, port)) {
      if (p.comm === "ModemManager")
        out.push({
          id: "modemmanager-holds-port",
          severity: "error",
          subject: port.path,
          title: `ModemManager (pid ${p.pid}) has ${port.path} open`,
          detail:
            "It sends its own AT commands and reads and deletes incoming SMS: smsgw cannot share the modem with it.",
          fix: [
            "sudo systemctl disable --now ModemManager",
            `or keep ModemManager for other modems: ${UDEV_RULE_FIX}`,
          ],
        });
      else if (p.comm === "brltty")
        out.push({
          id: "brltty-holds-port",
          severity: "error",
          subject: port.path,
          title: `brltty (pid ${p.pid}) has ${port.path} open`,
          fix: ["sudo apt-get remove -y brltty"],
        });
      else if (!isDaemon(p))
        out.push({
          id: "port-in-use",
          severity: "warn",
          subject: port.path,
          title: `${port.path} is open in ${p.comm} (pid ${p.pid})`,
          detail: p.cmdline,
          fix: [`stop ${p.comm} (pid ${p.pid}) before smsgw uses this port`],
        });
    }
    if (
      mm &&
      modemTtys.has(port.name) &&
      port.mmIgnored !== true &&
      !holdersOf(facts, port).some((p) => p.comm === "ModemManager")
    )
      out.push({
        id: "modemmanager-may-grab",
        severity: "warn",
        subject: port.path,
        title: `ModemManager is running and ${port.path} is not marked ID_MM_DEVICE_IGNORE`,
        detail: "ModemManager probes modem ports when they appear and then keeps them.",
        fix: [UDEV_RULE_FIX, "or: sudo systemctl disable --now ModemManager"],
      });
  }
  if (mm && !out.some((f) => f.id.startsWith("modemmanager")))
    out.push({
      id: "modemmanager-running",
      severity: "info",
      title: "ModemManager is running; the modem ports are marked for it to ignore",
    });
  return out;
}

function userFindings(facts: Facts): Finding[] {
  const u = facts.user;
  if (!u || u.name === "root") return [];
  if (!u.exists)
    return [
      {
        id: "service-user-missing",
        severity: "info",
        title: `user ${u.name} does not exist (install.sh creates it)`,
      },
    ];
  if (u.inDialout) return [{ id: "dialout-ok", severity: "ok", title: `${u.name} is in the dialout group` }];
  return [
    {
      id: "dialout-missing",
      severity: "error",
      subject: u.name,
      title: `${u.name} is not in the dialout group: it cannot open the serial ports`,
      fix: u.isServiceUser
        ? [`sudo usermod -aG dialout ${u.name}`, "sudo systemctl restart smsgw"]
        : [`sudo usermod -aG dialout ${u.name}`, "log out and back in"],
    },
  ];
}

/** Raspberry Pi firmware get_throttled bits (raspberrypi/documentation: vcgencmd get_throttled). */
function powerFindings(facts: Facts): Finding[] {
  const t = facts.throttled;
  if (t === null) return [];
  const fix = POWER_SUPPLY_ADVICE;
  const hex = hexThrottled(t);
  const d = decodeThrottled(t);
  if (d.now.undervoltage)
    return [
      {
        id: "undervoltage-now",
        severity: "error",
        title: `under-voltage now (get_throttled=${hex}): USB modems reset under load`,
        fix,
      },
    ];
  if (d.sinceBoot.undervoltage)
    return [
      {
        id: "undervoltage-occurred",
        severity: "warn",
        title: `under-voltage occurred since boot (get_throttled=${hex})`,
        fix,
      },
    ];
  if (d.now.throttled || d.sinceBoot.throttled)
    return [
      {
        id: "throttled",
        severity: "warn",
        title: `the CPU was throttled since boot (get_throttled=${hex}): check cooling`,
      },
    ];
  return [{ id: "power-ok", severity: "ok", title: "no under-voltage since boot" }];
}

function diskFindings(facts: Facts): Finding[] {
  const d = facts.disk;
  if (!d) return [];
  const free = `${Math.floor(d.freeBytes / MIB)} MiB free of ${Math.floor(d.totalBytes / MIB)} MiB on ${d.path}`;
  const fix = ["sudo journalctl --vacuum-size=100M", "sudo apt-get clean"];
  if (d.freeBytes < 100 * MIB)
    return [{ id: "disk-full", severity: "error", title: `disk almost full: ${free}`, fix }];
  if (d.freeBytes < 500 * MIB || d.freeBytes < d.totalBytes * 0.05)
    return [{ id: "disk-low", severity: "warn", title: `disk space low: ${free}`, fix }];
  return [{ id: "disk-ok", severity: "ok", title: free }];
}

function configFindings(facts: Facts): Finding[] {
  return facts.configuredPorts
    .filter((p) => !p.exists)
    .map((p) => ({
      id: "configured-port-missing",
      severity: "error" as const,
      subject: p.port,
      title: `modem "${p.id}": ${p.port} does not exist`,
      fix: [
        "plug the modem in, or set the port to one listed above (prefer /dev/serial/by-id/… or /dev/smsgw/…)",
      ],
    }));
}

export function runChecks(facts: Facts): Finding[] {
  const out = [
    ...usbFindings(facts),
    ...processFindings(facts),
    ...userFindings(facts),
    ...powerFindings(facts),
    ...diskFindings(facts),
    ...configFindings(facts),
  ];
  if (facts.ports.length === 0)
    out.unshift({
      id: "no-serial-ports",
      severity: "warn",
      title: "no USB or UART serial port found",
      fix: ["plug the modem in (lsusb should list it), then run smsgw doctor again"],
    });
  return out;
}
