/**
 * The message mix both peers benchmarks queue: 70 % short GSM-7, 20 % 2-part GSM-7, 10 % UCS-2,
 * each to its own recipient (so no per-contact rule or sticky routing groups them), and the
 * reading of a simulated network's log back into messages and parts.
 */
import type { NetworkLogEntry } from "../../src/sim/network.js";

export interface Msg {
  readonly to: string;
  readonly text: string;
  readonly unicode: boolean;
}

export function messageMix(n: number): Msg[] {
  return Array.from({ length: n }, (_, i) => {
    const to = `+3361${String(1_000_000 + i).padStart(7, "0")}`;
    if (i % 10 === 9) return { to, text: `Ünïcödé ${i} Ωλ 中文`, unicode: true };
    if (i % 10 >= 7)
      return { to, text: `bench ${i} ${"long message text ".repeat(14)}`.slice(0, 250), unicode: false };
    return { to, text: `bench ${i} short @{}`, unicode: false };
  });
}

/** Parts a message of the mix takes: the 250-character GSM-7 ones need two (153 septets each). */
export const partsOf = (m: Msg): number => (!m.unicode && m.text.length > 160 ? 2 : 1);

/** Complete messages in the network log and the time of the last accepted part. */
export function progress(log: readonly NetworkLogEntry[]): { done: number; parts: number; lastAt: number } {
  let done = 0;
  let lastAt = 0;
  const groups = new Map<string, number>();
  const ok = log.filter((e) => e.outcome === "accepted");
  for (const e of ok) {
    lastAt = Math.max(lastAt, e.at);
    if (!e.concat) done++;
    else {
      const k = `${e.to}/${e.concat.ref}`;
      const n = (groups.get(k) ?? 0) + 1;
      groups.set(k, n);
      if (n === e.concat.total) done++;
    }
  }
  return { done, parts: ok.length, lastAt };
}
