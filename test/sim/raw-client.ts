/** A raw scripted client for the simulator: bytes in, bytes out, no AT channel in between. */

import { type CreateSimModemOptions, createSimModem } from "../../src/sim/index.js";
import type { Transport } from "../../src/transport/types.js";

export class RawClient {
  received = "";
  #waiters: Array<() => void> = [];

  constructor(readonly transport: Transport) {
    transport.onData((chunk) => {
      this.received += Buffer.from(chunk).toString("latin1");
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  send(text: string): Promise<void> {
    return this.transport.write(Buffer.from(text, "latin1"));
  }

  /** Clears what was received so far. */
  take(): string {
    const r = this.received;
    this.received = "";
    return r;
  }

  /** Resolves with everything received once `pattern` matches it; rejects after `ms` (real timers). */
  async waitFor(pattern: RegExp | string | (() => boolean), ms = 3000): Promise<string> {
    const hit = () =>
      typeof pattern === "function"
        ? pattern()
        : typeof pattern === "string"
          ? this.received.includes(pattern)
          : pattern.test(this.received);
    const deadline = Date.now() + ms;
    while (!hit()) {
      if (typeof pattern === "function") await new Promise((r) => setTimeout(r, 10));
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timeout waiting for ${String(pattern)}; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.received;
  }

  /** Sends a command line and returns the text up to and including its final result. */
  async cmd(line: string, ms = 3000): Promise<string> {
    this.take();
    await this.send(`${line}\r`);
    await this.waitFor(/\r\n(OK|ERROR|\+CM[ES] ERROR: [^\r]*|NO CARRIER)\r\n$/, ms);
    return this.take();
  }
}

/** Tiny latencies so that real-timer tests stay fast; boot behaviour keeps its order. */
export const FAST = {
  bootMs: 5,
  smsReadyMs: 20,
  commandMs: 1,
  submitMs: 5,
  registerMs: 10,
  rebootMs: 20,
  noiseMs: 0,
};

/** A booted simulator with fast timings and a raw client on its driver side. */
export function fastSim(o: CreateSimModemOptions = {}) {
  const { transport, sim } = createSimModem({ booted: true, ...o, timings: { ...FAST, ...o.timings } });
  return { client: new RawClient(transport), sim, transport };
}

/** AT+CMGS in PDU mode: waits for the "> " prompt, sends the PDU and Ctrl-Z, returns the answer. */
export async function sendPdu(client: RawClient, pdu: string, length: number, ms = 3000): Promise<string> {
  client.take();
  await client.send(`AT+CMGS=${length}\r`);
  await client.waitFor("> ", ms);
  client.take();
  await client.send(`${pdu}\x1a`);
  await client.waitFor(/\r\n(OK|ERROR|\+CMS ERROR: \d+)\r\n$/, ms);
  return client.take();
}
