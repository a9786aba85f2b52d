/**
 * Raspberry Pi firmware `get_throttled`: the bits both `smsgw doctor` and the running daemon read.
 * Bit layout (Raspberry Pi documentation, "vcgencmd get_throttled"):
 *   0 under-voltage now        16 under-voltage has occurred since boot
 *   1 ARM frequency capped     17 frequency capping has occurred
 *   2 currently throttled      18 throttling has occurred
 *   3 soft temperature limit   19 soft temperature limit has occurred
 * USB GSM modems draw current peaks of about 2 A when they transmit; a supply that sags below
 * ~4.63 V sets bit 0 and may reset the USB bus, so the modems vanish and reappear.
 * Sources: the firmware driver's sysfs file (Raspberry Pi OS kernels), or `vcgencmd get_throttled`
 * where that file is absent. Nothing here throws.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Relative to a filesystem root ("/" normally, a fixture tree in tests). */
export const THROTTLED_SYSFS = "sys/devices/platform/soc/soc:firmware/get_throttled";

export interface ThrottleFlags {
  readonly undervoltage: boolean;
  readonly frequencyCapped: boolean;
  readonly throttled: boolean;
  readonly softTempLimit: boolean;
}

export interface DecodedThrottled {
  /** The raw bits, for display as get_throttled=0x… */
  readonly bits: number;
  /** Bits 0–3. */
  readonly now: ThrottleFlags;
  /** Bits 16–19 (sticky until reboot). */
  readonly sinceBoot: ThrottleFlags;
}

/** What an operator does about under-voltage; shared by doctor's findings and /health's output. */
export const POWER_SUPPLY_ADVICE = [
  "use the official Raspberry Pi power supply (5.1 V; 3 A for a Pi 4, 5 A for a Pi 5)",
  "power the modems from a powered USB hub: a GSM modem draws current peaks of about 2 A when it transmits",
] as const;

/** Pi firmware get_throttled: "0x50005" (vcgencmd) or "50005" (sysfs), hex either way. */
export function parseThrottled(text: string | null): number | null {
  const m = /^(?:throttled=)?(?:0x)?([0-9a-f]+)$/i.exec((text ?? "").trim());
  return m ? Number.parseInt(m[1] as string, 16) : null;
}

function flags(nibble: number): ThrottleFlags {
  return {
    undervoltage: (nibble & 0x1) !== 0,
    frequencyCapped: (nibble & 0x2) !== 0,
    throttled: (nibble & 0x4) !== 0,
    softTempLimit: (nibble & 0x8) !== 0,
  };
}

export function decodeThrottled(bits: number): DecodedThrottled {
  return { bits, now: flags(bits & 0xf), sinceBoot: flags((bits >>> 16) & 0xf) };
}

export function hexThrottled(bits: number): string {
  return `0x${bits.toString(16)}`;
}

/** The sysfs file's text, null when absent or unreadable (not a Pi, or a kernel without it). */
export function readThrottledSysfs(root: string): string | null {
  try {
    return readFileSync(join(root, THROTTLED_SYSFS), "utf8").trim();
  } catch {
    return null;
  }
}

/** `vcgencmd get_throttled` without blocking the event loop; null when absent or failing. */
export function vcgencmdThrottled(timeoutMs = 3000): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile("vcgencmd", ["get_throttled"], { encoding: "utf8", timeout: timeoutMs }, (err, stdout) =>
        resolve(err ? null : stdout.trim()),
      );
    } catch {
      resolve(null);
    }
  });
}
