/**
 * Real AtChannel + Modem on the simulator (src/sim), on one VirtualClock shared by both sides: every
 * timing (boot, SMS ready, submit round trip, timeouts, backoff) keeps its order and proportions, at
 * most 100× faster than the wall clock.
 */
import { AtChannel } from "../../../src/at/channel.js";
import type { Clock } from "../../../src/clock.js";
import { Modem, type ModemOptions } from "../../../src/modem/modem.js";
import { type CreateSimModemOptions, createSimModem, SimNetwork } from "../../../src/sim/index.js";
import type { Transport } from "../../../src/transport/types.js";
import { testClock } from "./replay.js";

export interface RigOptions extends Omit<CreateSimModemOptions, "clock" | "network"> {
  readonly modem?: Partial<Omit<ModemOptions, "channel" | "clock">>;
  readonly clock?: Clock;
  readonly network?: SimNetwork;
}

/**
 * Delays each write by one macrotask. Works around a simulator race (src/sim/sim-modem.ts #kick):
 * bytes that arrive between the end of its input loop and its `finally` are left in the buffer
 * unprocessed, which loses a PDU written immediately after the "> " prompt, as a fast driver does.
 * Real modems buffer their UART input; this only changes when the simulator sees the bytes.
 */
export function deferWrites(t: Transport, clock: Clock): Transport {
  return {
    description: t.description,
    closed: t.closed,
    onData: (l) => t.onData(l),
    write: async (b) => {
      await new Promise<void>((r) => clock.setTimeout(r, 0));
      await t.write(b);
    },
    close: () => t.close(),
  };
}

export function simRig(o: RigOptions = {}) {
  const clock = o.clock ?? testClock(100);
  const network = o.network ?? new SimNetwork({ clock, seed: 7 });
  const { modem: modemOpts, ...simOpts } = o;
  const { transport, sim } = createSimModem({ seed: 1, ...simOpts, clock, network });
  const commands: string[] = [];
  sim.defineBehavior({
    onCommand: (_s, line) => {
      commands.push(line);
      return false;
    },
  });
  const channel = new AtChannel(deferWrites(transport, clock), { clock });
  const modem = new Modem({ channel, clock, configuredId: "sim", healthIntervalMs: 0, ...modemOpts });
  return { clock, network, sim, transport, channel, modem, commands };
}

/** Polls `cond` on the wall clock until it holds, or fails after `ms`. */
export async function until(cond: () => boolean, ms = 5_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** SMS-SUBMIT to +33612345678, "hello" in GSM 7-bit, no SMSC field (00): 18 TPDU octets.
 * First octet 0x01 (TP-MTI SUBMIT); 0x21 also sets TP-SRR (status report requested, 23.040 §9.2.3.5). */
export function submitPdu(statusReport = false): { pdu: string; length: number } {
  return { pdu: `00${statusReport ? "21" : "01"}000B913316325476F8000005E8329BFD06`, length: 18 };
}
