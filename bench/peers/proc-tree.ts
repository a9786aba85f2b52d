/**
 * CPU and memory of a process tree from /proc (proc(5)): utime+stime (fields 14, 15, in clock
 * ticks) and VmRSS of the root and every descendant. Children that exit between samples (smsd's
 * modem handler on shutdown) keep their last sampled CPU.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SEC = 100; // sysconf(_SC_CLK_TCK) on Linux

function stat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export class TreeMeter {
  readonly #cpu = new Map<number, number>();
  peakRssKb = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly root: number,
    everyMs = 100,
  ) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    const parents = new Map<number, number[]>();
    for (const name of readdirSync("/proc")) {
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      const s = stat(pid);
      if (!s) continue;
      parents.set(s.ppid, [...(parents.get(s.ppid) ?? []), pid]);
    }
    const tree: number[] = [];
    for (const todo = [this.root]; todo.length; ) {
      const pid = todo.pop() as number;
      tree.push(pid);
      todo.push(...(parents.get(pid) ?? []));
    }
    let rss = 0;
    for (const pid of tree) {
      const s = stat(pid);
      if (s) this.#cpu.set(pid, s.ticks);
      rss += rssKb(pid);
    }
    this.peakRssKb = Math.max(this.peakRssKb, rss);
  }

  /** CPU seconds of the tree so far. */
  cpuSeconds(): number {
    let t = 0;
    for (const v of this.#cpu.values()) t += v;
    return t / TICKS_PER_SEC;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
