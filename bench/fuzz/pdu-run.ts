/**
 * Runs chunks of PDU fuzz inputs through decodePdu and, for every decode that succeeds, the
 * re-encode of what was read (round-trip sanity). Each chunk has its own seed, so a finding is
 * reproduced from (seed, chunk, index) whatever the number of workers. Used in-process and from
 * the worker threads of bench/fuzz-pdu.ts.
 */
import { PduDecodeError, PduEncodeError } from "../../src/pdu/errors.js";
import { decodePdu, encodeSubmit } from "../../src/pdu/index.js";
import type { DecodedPdu } from "../../src/pdu/types.js";
import { mulberry32 } from "../../src/sim/prng.js";
import { buildCorpus } from "./pdu-corpus.js";
import { nextInput, type Seed, toSeeds } from "./pdu-mutate.js";

export const CHUNK = 10_000;
/** A decode at or over this is listed (the bound). */
export const SLOW_MS = 10;
/** A first timing over this is re-timed. */
const RETIME_MS = 1;

export interface Finding {
  readonly chunk: number;
  readonly index: number;
  readonly input: string;
  readonly smsc: boolean;
  readonly error: string;
}

export interface ChunkStats {
  inputs: number;
  random: number;
  mutated: number;
  ok: number;
  /** By message type of the successful decodes. */
  types: Record<string, number>;
  decodeErrors: number;
  /** Decode errors by top-level field ("tpdu.ud", "smsc", …). */
  fields: Record<string, number>;
  /** Any other exception: a crash. The first 50 are kept. */
  crashCount: number;
  crashes: Finding[];
  reencoded: number;
  /** The encoder refused what the decoder read (alphanumeric recipient, …): a PduEncodeError. */
  reencodeRefused: number;
  reencodeCrashCount: number;
  reencodeCrashes: Finding[];
  /** Encoder refusals by field. */
  refusedFields: Record<string, number>;
  /**
   * Cost of each decode in ms: its first timing, or, when that was over RETIME_MS, the best of three
   * re-timings, so that a GC pause or the shared machine preempting the thread is not charged to
   * the input.
   */
  times: Float64Array;
  /** First timings over RETIME_MS (how often the machine, not the input, was slow). */
  retimed: number;
  /** Highest best-of-three among the re-timed inputs: the slowest input that is slow by itself. */
  retimedMax: number;
  /** Inputs whose first timing was at or over SLOW_MS, with their re-timed cost. */
  slow: { finding: Finding; ms: number; retimedMs: number }[];
}

const show = (input: string | Uint8Array) =>
  typeof input === "string" ? JSON.stringify(input) : `bytes ${Buffer.from(input).toString("hex")}`;

/** Re-encodes the text or data a decode produced; STATUS-REPORTs carry nothing to send. */
function reencode(d: DecodedPdu): "ok" | PduEncodeError | "skipped" {
  if (d.type === "status-report") return "skipped";
  const to = d.type === "submit" ? d.recipient.number : d.originator.number;
  try {
    encodeSubmit({
      to,
      ...(d.coding === "8bit" ? { data: Buffer.from(d.dataHex ?? "", "hex") } : { text: d.text ?? "" }),
      concatRef: d.concat?.ref ?? 0,
      ...(d.type === "submit" ? { statusReport: d.statusReportRequest, mr: d.mr, pid: d.pid } : {}),
      ...(d.type === "submit" && d.validity ? { validity: d.validity } : {}),
      messageClass: d.messageClass,
    });
    return "ok";
  } catch (e) {
    if (e instanceof PduEncodeError) return e;
    throw e;
  }
}

export function newStats(n: number): ChunkStats {
  return {
    inputs: 0,
    random: 0,
    mutated: 0,
    ok: 0,
    types: {},
    decodeErrors: 0,
    fields: {},
    crashCount: 0,
    crashes: [],
    reencoded: 0,
    reencodeRefused: 0,
    reencodeCrashCount: 0,
    reencodeCrashes: [],
    refusedFields: {},
    times: new Float64Array(n),
    retimed: 0,
    retimedMax: 0,
    slow: [],
  };
}

let seeds: Seed[] | null = null;

/** Decodes a throw-away chunk first, so the timings measure compiled code, not the JIT warming up. */
export function warmUp(seed: number): void {
  runChunk(seed ^ 0x5eed, 1_000_000, 3000, newStats(3000));
}

/** Runs `count` inputs of chunk `chunk` (CHUNK per chunk) into `s` from position `s.inputs`. */
export function runChunk(seed: number, chunk: number, count: number, s: ChunkStats): void {
  seeds ??= toSeeds(buildCorpus());
  const rng = mulberry32((seed * 1_000_003 + chunk) >>> 0);
  for (let index = 0; index < count; index++) {
    const { input, smsc, kind } = nextInput(rng, seeds, index);
    s[kind]++;
    const finding = (error: unknown): Finding => ({
      chunk,
      index,
      input: show(input),
      smsc,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    let decoded: DecodedPdu | null = null;
    const t0 = performance.now();
    try {
      decoded = decodePdu(input, { smsc });
    } catch (e) {
      if (e instanceof PduDecodeError) {
        s.decodeErrors++;
        const top = e.field.split(".").slice(0, 2).join(".");
        s.fields[top] = (s.fields[top] ?? 0) + 1;
      } else if (s.crashCount++ < 50) s.crashes.push(finding(e));
    }
    const ms = performance.now() - t0;
    let cost = ms;
    if (ms > RETIME_MS) {
      s.retimed++;
      for (let k = 0; k < 3; k++) {
        const a = performance.now();
        try {
          decodePdu(input, { smsc });
        } catch {}
        cost = Math.min(cost, performance.now() - a);
      }
      s.retimedMax = Math.max(s.retimedMax, cost);
      if (ms >= SLOW_MS) s.slow.push({ finding: finding("slow"), ms, retimedMs: cost });
    }
    s.times[s.inputs++] = cost;
    if (!decoded) continue;
    s.ok++;
    s.types[decoded.type] = (s.types[decoded.type] ?? 0) + 1;
    try {
      const r = reencode(decoded);
      if (r === "ok") s.reencoded++;
      else if (r !== "skipped") {
        s.reencodeRefused++;
        s.refusedFields[r.field] = (s.refusedFields[r.field] ?? 0) + 1;
      }
    } catch (e) {
      if (s.reencodeCrashCount++ < 50) s.reencodeCrashes.push(finding(e));
    }
  }
}
