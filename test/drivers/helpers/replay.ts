/**
 * Builds the real AtChannel and Modem on a ScriptedPort, on a VirtualClock (a 5 s prompt timeout
 * takes at most 50 ms of wall time, and never fires before an answer that is already on its way).
 */
import { AtChannel } from "../../../src/at/channel.js";
import type { Clock } from "../../../src/clock.js";
import { Modem, type ModemOptions } from "../../../src/modem/modem.js";
import { loadTranscript, ScriptedPort } from "./scripted-port.js";
import { VirtualClock } from "./virtual-clock.js";

export function testClock(factor = 100): Clock {
  return new VirtualClock(factor);
}

export function replay(profile: string, name: string, extra: Partial<ModemOptions> = {}) {
  const port = new ScriptedPort(loadTranscript(profile, name));
  const clock = testClock();
  const channel = new AtChannel(port, { escapeSettleMs: 100, clock });
  const modem = new Modem({ channel, clock, configuredId: "test", healthIntervalMs: 0, ...extra });
  return { port, channel, modem };
}

/** Waits until the script is fully consumed; fails with what it still expected. */
export async function untilDone(port: ScriptedPort, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!port.done) {
    if (port.errors.length > 0) throw new Error(port.errors.join("\n"));
    if (Date.now() > end) throw new Error(`script not finished; expecting ${port.remaining}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  // Let trailing microtasks write anything unexpected before the caller asserts.
  await new Promise((r) => setTimeout(r, 20));
  if (port.errors.length > 0) throw new Error(port.errors.join("\n"));
}
