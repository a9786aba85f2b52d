/**
 * Small timing helpers for the benchmarks under bench/: warm-up, several timed rounds, median.
 * Each round runs the body in batches until the round's time is spent, so fast and slow bodies get
 * comparable sample sizes; the median of the rounds is what the reports quote.
 */
import { availableParallelism, cpus, loadavg } from "node:os";

export interface RoundsResult {
  /** Operations per second, one per round. */
  readonly rounds: readonly number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface MeasureOptions {
  readonly warmupMs?: number;
  readonly rounds?: number;
  readonly roundMs?: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Process CPU time in milliseconds (user + system, all threads). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Runs `body` (which performs `opsPerCall` operations) and returns ops per second per round.
 * Seconds are CPU seconds of this process, not wall time: on a shared machine other processes
 * steal the cores, and wall time would measure them as much as us.
 */
export function measure(body: () => void, opsPerCall: number, opts: MeasureOptions = {}): RoundsResult {
  const { warmupMs = 500, rounds = 7, roundMs = 400 } = opts;
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) body();
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    const cpu0 = cpuMs();
    while (performance.now() - start < roundMs || cpuMs() - cpu0 < roundMs / 4) {
      body();
      calls++;
    }
    results.push((calls * opsPerCall * 1000) / (cpuMs() - cpu0));
  }
  return { rounds: results, median: median(results), min: Math.min(...results), max: Math.max(...results) };
}

/**
 * Measures two bodies with their rounds interleaved (A, B, A, B, …), so that load from other
 * processes on a shared machine hits both sides alike and the ratio of medians stays meaningful.
 */
export function compare(
  a: () => void,
  b: () => void,
  opsPerCall: number,
  opts: MeasureOptions = {},
): { a: RoundsResult; b: RoundsResult } {
  const { warmupMs = 500, rounds = 7, roundMs = 400 } = opts;
  const ra: number[] = [];
  const rb: number[] = [];
  for (const body of [a, b]) {
    const warmEnd = performance.now() + warmupMs / 2;
    while (performance.now() < warmEnd) body();
  }
  for (let r = 0; r < rounds; r++) {
    ra.push(measure(a, opsPerCall, { warmupMs: 0, rounds: 1, roundMs }).median);
    rb.push(measure(b, opsPerCall, { warmupMs: 0, rounds: 1, roundMs }).median);
  }
  const summary = (xs: number[]): RoundsResult => ({
    rounds: xs,
    median: median(xs),
    min: Math.min(...xs),
    max: Math.max(...xs),
  });
  return { a: summary(ra), b: summary(rb) };
}

export interface MachineInfo {
  readonly date: string;
  readonly nproc: number;
  readonly cpu: string;
  readonly node: string;
  /** 1-minute load average when measured: other processes on the machine. */
  readonly load: number;
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    load: loadavg()[0] ?? 0,
  };
}

export function formatOps(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M/s`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k/s`;
  return `${n.toFixed(0)} /s`;
}
