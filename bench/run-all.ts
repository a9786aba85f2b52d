/**
 * `npm run bench`: the quick version of every benchmark, one after the other, in under 5 minutes.
 * Quick runs print figures but do not rewrite bench/RESULTS.md; run a script without `--quick`
 * (e.g. `npx tsx bench/pdu.ts`) to measure properly and record the result.
 */
import { spawnSync } from "node:child_process";

const scripts = [
  "bench/pdu.ts",
  "bench/engine.ts",
  "bench/http.ts",
  "bench/fuzz-pdu.ts",
  "bench/fuzz-api.ts",
  "bench/fault-matrix.ts",
  // Needs socat (pseudo-terminals), like the interop tests.
  "bench/crash-loop.ts",
  // Needs socat: the idle daemon with 1 and 4 simulated modems, 20 s windows.
  "bench/idle.ts",
  // Needs gammu-smsd and smstools (scripts/test.sh installs them).
  "bench/peers/run.ts",
];
const summary: string[] = [];
const t0 = performance.now();
for (const s of scripts) {
  process.stdout.write(`\n=== ${s} --quick\n`);
  const t = performance.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", s, "--quick", "--no-write"], {
    stdio: "inherit",
  });
  summary.push(
    `${r.status === 0 ? "ok  " : "FAIL"} ${((performance.now() - t) / 1000).toFixed(1).padStart(6)} s  ${s}`,
  );
}
process.stdout.write(`\n${summary.join("\n")}\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
process.exit(summary.every((l) => l.startsWith("ok")) ? 0 : 1);
