/** A fake filesystem root holding the Pi firmware's get_throttled file, and a log that keeps its lines. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pino from "pino";
import type { Clock } from "../../../src/clock.js";
import { THROTTLED_SYSFS } from "../../../src/platform/throttled.js";

export function fakeRoot(throttled: string | null): {
  root: string;
  set(text: string): void;
  remove(): void;
} {
  const root = mkdtempSync(join(tmpdir(), "smsgw-power-"));
  const set = (text: string) => {
    mkdirSync(dirname(join(root, THROTTLED_SYSFS)), { recursive: true });
    // The firmware driver prints the bits in hex without 0x, followed by a newline.
    writeFileSync(join(root, THROTTLED_SYSFS), `${text}\n`);
  };
  if (throttled !== null) set(throttled);
  return { root, set, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export function captureLog() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const log = pino({ level: "debug" }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

/** Counts timers armed, so "no timer at all" is observable. */
export function countingClock(inner: Clock): Clock & { armed: number } {
  const c = {
    armed: 0,
    now: () => inner.now(),
    setTimeout(fn: () => void, ms: number) {
      c.armed++;
      return inner.setTimeout(fn, ms);
    },
  };
  return c;
}
