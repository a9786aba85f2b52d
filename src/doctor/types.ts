/**
 * `smsgw doctor` works in two halves: gather.ts reads facts from the machine (sysfs, /dev, /proc,
 * /etc, systemctl), checks.ts turns facts into findings without any I/O. Tests feed checks with facts
 * gathered from fixture trees (fake /sys, /dev/serial/by-id, /proc).
 */

export interface UsbInterfaceFact {
  /** bInterfaceNumber, e.g. 2. */
  readonly number: number;
  /** bInterfaceClass/SubClass/Protocol as two-digit lower-case hex ("ff", "02"). */
  readonly class: string;
  readonly subclass: string;
  readonly protocol: string;
  /** Bound kernel driver ("option", "cdc_ether", "usb-storage", "usbfs"), null when none. */
  readonly driver: string | null;
  /** tty names under this interface ("ttyUSB2", "ttyACM0"). */
  readonly ttys: readonly string[];
  /** network interfaces under this interface ("eth1", "wwan0"). */
  readonly nets: readonly string[];
}

export interface UsbDeviceFact {
  /** sysfs name, e.g. "1-1.3" (bus 1, port path 1.3). */
  readonly sysName: string;
  /** Lower-case hex, "2c7c". */
  readonly vendorId: string;
  readonly productId: string;
  readonly manufacturer: string | null;
  readonly product: string | null;
  readonly serial: string | null;
  readonly interfaces: readonly UsbInterfaceFact[];
}

export interface SerialPortFact {
  /** "/dev/ttyUSB2". */
  readonly path: string;
  readonly name: string;
  /** /dev/serial/by-id links pointing at it. */
  readonly byId: readonly string[];
  readonly byPath: readonly string[];
  /** The USB device and interface it hangs off, when it is a USB port. */
  readonly usb: { readonly device: string; readonly interfaceNumber: number | null } | null;
  /** udev properties that matter here (from /run/udev/data), null when unknown. */
  readonly mmIgnored: boolean | null;
}

export interface ProcessFact {
  readonly pid: number;
  /** /proc/<pid>/comm. */
  readonly comm: string;
  readonly cmdline: string;
  /** Device paths among its open file descriptors ("/dev/ttyUSB2"). */
  readonly devices: readonly string[];
  /** false when /proc/<pid>/fd could not be read (another user's process, doctor not run as root):
   * `devices` is then unknown, not empty. */
  readonly fdsReadable: boolean;
}

export type ServiceState = "active" | "inactive" | "unknown";

export interface UserFact {
  readonly name: string;
  readonly exists: boolean;
  /** Whether the account belongs to dialout (primary or supplementary group). */
  readonly inDialout: boolean;
  /** true when this is the service user; false when doctor fell back to the invoking user. */
  readonly isServiceUser: boolean;
}

export interface DiskFact {
  readonly path: string;
  readonly freeBytes: number;
  readonly totalBytes: number;
}

export interface Facts {
  readonly ports: readonly SerialPortFact[];
  readonly usbDevices: readonly UsbDeviceFact[];
  readonly processes: readonly ProcessFact[];
  readonly services: { readonly modemManager: ServiceState; readonly brltty: ServiceState };
  readonly user: UserFact | null;
  /** Raspberry Pi firmware get_throttled bits, null when not a Pi (or unreadable). */
  readonly throttled: number | null;
  readonly disk: DiskFact | null;
  /** Ports named in the configuration, with whether the path exists. */
  readonly configuredPorts: readonly {
    readonly id: string;
    readonly port: string;
    readonly exists: boolean;
    /** The tty it resolves to ("/dev/ttyUSB2"), when it exists. */
    readonly device: string | null;
  }[];
}

export type Severity = "ok" | "info" | "warn" | "error";

export interface Finding {
  /** Stable id for scripts: "modemmanager-holds-port", "undervoltage-now", … */
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly detail?: string;
  /** Exact commands or steps that fix it, in order. */
  readonly fix?: readonly string[];
  /** Port or device concerned ("/dev/ttyUSB2", "usb 1-1.2"). */
  readonly subject?: string;
}

/** Result of the AT probe of one port. */
export type ProbeResult =
  | {
      readonly kind: "answered";
      readonly manufacturer: string | null;
      readonly model: string | null;
      readonly revision: string | null;
      /** Profile id from drivers/ that `profile = "auto"` would pick. */
      readonly profile: string;
    }
  | { readonly kind: "silent"; readonly detail: string }
  | { readonly kind: "open-failed"; readonly detail: string }
  | { readonly kind: "skipped"; readonly detail: string };
