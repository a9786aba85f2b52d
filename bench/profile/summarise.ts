/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and prints the heaviest functions by self time and by
 * inclusive time, with their file, so that a profile of bench/profile/run.ts reads in a terminal.
 * Run: `npx tsx bench/profile/summarise.ts <file.cpuprofile> [--top 40] [--filter text] [--under fn]`
 * --under keeps only the samples taken inside a function whose label contains the text.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: "string", default: "40" }, filter: { type: "string" }, under: { type: "string" } },
});
const file = positionals[0];
if (!file) throw new Error("usage: summarise.ts <file.cpuprofile>");
const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map<number, number>();
p.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
});

const label = (n: Node) => {
  const url = n.callFrame.url.replace(/^.*\/(node_modules\/|src\/|bench\/)/, "$1");
  return `${n.callFrame.functionName || "(anon)"} ${url}:${n.callFrame.lineNumber + 1}`;
};
const self = new Map<string, number>();
const incl = new Map<string, number>();
let total = 0;
const inside = (id: number) => {
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const c = byId.get(cur);
    if (c && label(c).includes(opt.under as string)) return true;
  }
  return false;
};
for (const [id, us] of selfUs) {
  const n = byId.get(id);
  if (!n) continue;
  if (opt.under && !inside(id)) continue;
  total += us;
  self.set(label(n), (self.get(label(n)) ?? 0) + us);
  // Inclusive: each distinct label on the stack once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const c = byId.get(cur);
    if (!c) break;
    const l = label(c);
    if (seen.has(l)) continue;
    seen.add(l);
    incl.set(l, (incl.get(l) ?? 0) + us);
  }
}
const top = Number(opt.top);
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (total ${(total / 1000).toFixed(0)} ms sampled)`);
  [...m]
    .filter(([l]) => !opt.filter || l.includes(opt.filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([l, us]) => {
      console.log(
        `${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${l}`,
      );
    });
};
show("self", self);
show("inclusive", incl);
