/**
 * Test doubles for the AT channel: the modem side of a memory pair (the test plays the modem), a
 * manual clock, and a log that records what the channel traced.
 */
import { expect } from "vitest";
import { AtChannel } from "../../../src/at/channel.js";
import { AtError } from "../../../src/at/errors.js";
import type { Clock } from "../../../src/clock.js";
import { createMemoryPair } from "../../../src/transport/memory.js";
import type { Transport } from "../../../src/transport/types.js";

const latin1 = new TextDecoder("latin1");

/** The far end of createMemoryPair: records what the channel wrote, sends what the modem says. */
export class ModemSide {
  #written = "";
  #cursor = 0;
  #waiters: Array<() => void> = [];

  constructor(readonly transport: Transport) {
    transport.onData((chunk) => {
      this.#written += latin1.decode(chunk);
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  /** Every byte the channel wrote so far, as latin1 text. */
  get written(): string {
    return this.#written;
  }

  /** Resolves once `text` was written after the previous match; consumes up to its end. */
  async expect(text: string): Promise<void> {
    for (;;) {
      const at = this.#written.indexOf(text, this.#cursor);
      if (at >= 0) {
        this.#cursor = at + text.length;
        return;
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Sends text (or bytes) as one chunk. */
  send(data: string | Uint8Array): void {
    void this.transport.write(typeof data === "string" ? new TextEncoder().encode(data) : data);
  }

  /** Sends a response line the way a V.250 modem frames it: CR LF text CR LF. */
  line(text: string): void {
    this.send(`\r\n${text}\r\n`);
  }
}

/** A clock whose time moves only when the test says so. */
export class ManualClock implements Clock {
  #now = 0;
  #timers: Array<{ at: number; fn: () => void; live: boolean }> = [];

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): { clear(): void } {
    const t = { at: this.#now + ms, fn, live: true };
    this.#timers.push(t);
    return {
      clear: () => {
        t.live = false;
      },
    };
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      this.#now = due.at;
      due.fn();
    }
    this.#now = end;
    this.#timers = this.#timers.filter((t) => t.live);
  }
}

export interface LogEntry {
  readonly level: "trace" | "warn";
  readonly obj: object;
  readonly msg: string;
}

export function recordingLog(): {
  entries: LogEntry[];
  trace(o: object, m: string): void;
  warn(o: object, m: string): void;
} {
  const entries: LogEntry[] = [];
  return {
    entries,
    trace: (obj, msg) => entries.push({ level: "trace", obj, msg }),
    warn: (obj, msg) => entries.push({ level: "warn", obj, msg }),
  };
}

/** Lets queued microtasks and I/O callbacks run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A channel on a memory pair with a manual clock and a recording log; the test plays the modem. */
export function setup(options: { escapeSettleMs?: number } = {}) {
  const [driver, device] = createMemoryPair("test");
  const clock = new ManualClock();
  const log = recordingLog();
  const channel = new AtChannel(driver, { clock, log, escapeSettleMs: options.escapeSettleMs ?? 100 });
  const modem = new ModemSide(device);
  const unsolicited: string[] = [];
  channel.onUnsolicited((l) => unsolicited.push(l));
  return { channel, modem, clock, log, unsolicited, driver, device };
}

export async function rejection(p: Promise<unknown>): Promise<AtError> {
  const e = await p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AtError);
  return e as AtError;
}

export const PDU = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";
