/**
 * The outside world of the crash loop, hosted by the bench process so that it outlives every
 * SIGKILL of the daemon: two simulated modems with different personas (SIMCom SIM800: +CMT
 * acknowledged with +CNMA; Quectel EC25) on one virtual network, each served on a pseudo-terminal
 * (socat) that the daemon opens through node-serialport like a USB stick. The network's log of
 * accepted SMS-SUBMITs is the ground truth of what reached the network; it is decoded here with the
 * PDU codec and keyed by the token each message body carries ("#000123").
 */
import { decodePdu } from "../../src/pdu/index.js";
import type { SimControl } from "../../src/sim/index.js";
import { SimNetwork } from "../../src/sim/network.js";
import type { Persona } from "../../src/sim/personas.js";
import { type PtyServer, servePty } from "../../src/sim/pty-server.js";

/** Zero latency: what the run measures is the gateway's machinery and its crash behaviour. */
const ZERO = { bootMs: 0, smsReadyMs: 0, commandMs: 0, submitMs: 0, registerMs: 0, rebootMs: 0, noiseMs: 0 };

export const MODEMS: ReadonlyArray<{ id: string; persona: Persona["id"]; msisdn: string }> = [
  { id: "gsm0", persona: "sim800", msisdn: "+33639980001" },
  { id: "gsm1", persona: "quectel", msisdn: "+33639980002" },
];

export interface Sims {
  readonly ttys: readonly string[];
  readonly sims: readonly SimControl[];
  readonly network: SimNetwork;
  stop(): Promise<void>;
}

/** Serves both modems; `dir` must be under /dev (the config accepts serial ports there only). */
export async function serveSims(dir: string): Promise<Sims> {
  // Short network delays and a 1 s redelivery interval keep the end of the run short; a real SMSC
  // retries after tens of seconds, which changes how long, not what, the gateway stores.
  const network = new SimNetwork({ seed: 7, deliveryDelayMs: 20, statusReportDelayMs: 100, retryMs: 1000 });
  const servers: PtyServer[] = [];
  const ttys: string[] = [];
  for (const [i, m] of MODEMS.entries()) {
    const ptyPath = `${dir}/tty${i}`;
    servers.push(
      await servePty({
        persona: m.persona,
        seed: 11 + i,
        msisdn: m.msisdn,
        booted: true,
        network,
        ptyPath,
        timings: ZERO,
        notice: (l) => process.stderr.write(`sim ${m.id}: ${l}\n`),
      }),
    );
    ttys.push(ptyPath);
  }
  return {
    ttys,
    sims: servers.map((s) => s.sim),
    network,
    stop: async () => {
      for (const s of servers) await s.stop();
    },
  };
}

/** How many times each part of each token's message was accepted by the network. */
export interface NetworkTruth {
  /** token → per-part (index seq-1) submission counts. */
  readonly byToken: Map<string, number[]>;
  /**
   * Accepted parts of concatenated messages whose first part (the one with the token) never reached
   * the network; the tally attributes them through the gateway's stored PDUs.
   */
  readonly stray: readonly string[];
  readonly parts: number;
}

const TOKEN = /#(\d{6})/;

export function networkTruth(network: SimNetwork): NetworkTruth {
  const byToken = new Map<string, number[]>();
  // Parts of one concatenated message share (sender, recipient, reference); the token is in part 1.
  const groups = new Map<string, { total: number; seqs: number[]; pdus: string[]; token?: string }>();
  const stray: string[] = [];
  let parts = 0;
  for (const e of network.log) {
    if (e.outcome !== "accepted") continue;
    parts++;
    const d = decodePdu(e.pdu);
    if (d.type !== "submit") throw new Error(`network accepted a non-SUBMIT PDU: ${e.pdu}`);
    if (!d.concat) {
      const token = TOKEN.exec(d.text ?? "")?.[1];
      if (!token) stray.push(e.pdu.toUpperCase());
      else byToken.set(token, [(byToken.get(token)?.[0] ?? 0) + 1]);
      continue;
    }
    const key = `${e.modem}|${d.recipient.number}|${d.concat.ref}`;
    const g = groups.get(key) ?? { total: d.concat.total, seqs: [], pdus: [] };
    g.seqs.push(d.concat.seq);
    g.pdus.push(e.pdu.toUpperCase());
    if (d.concat.seq === 1) g.token = TOKEN.exec(d.text ?? "")?.[1];
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    if (!g.token) {
      stray.push(...g.pdus);
      continue;
    }
    const counts = byToken.get(g.token) ?? Array.from({ length: g.total }, () => 0);
    for (const s of g.seqs) counts[s - 1] = (counts[s - 1] ?? 0) + 1;
    byToken.set(g.token, counts);
  }
  return { byToken, stray, parts };
}

/** Inbound messages still held by the simulated side: unread in SIM storage, or not yet delivered. */
export function simBacklog(sims: readonly SimControl[]): { unread: number; pending: number } {
  let unread = 0;
  let pending = 0;
  for (const s of sims) {
    for (const mem of s.storage.names())
      unread += s.storage.list(mem, 0).filter(([, m]) => m.kind === "deliver").length;
    pending += s.modem.inbound.pending;
  }
  return { unread, pending };
}

/** Each modem's +CNMI routing as the simulated modem holds it (27.005 §3.4.1). */
export function simRouting(sims: readonly SimControl[]): string {
  return sims.map((s, i) => `${MODEMS[i]?.id} +CNMI=${s.state.cnmi.join(",")}`).join(", ");
}
