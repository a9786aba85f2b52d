/**
 * `npm run bench`: the quick version of every benchmark, one after the other, in under 5 minutes.
 * Quick runs print figures but do not rewrite bench/RESULTS.md; run a script without `--quick`
 * (e.g. `npx tsx bench/pdu.ts`) to measure properly and record the result.
 */
import { spawnSync } from "node:child_process";

const scripts = ["bench/pdu.ts", "bench/engine.ts", "bench/http.ts"];
let failed = 0;
for (const s of scripts) {
  process.stdout.write(`\n=== ${s} --quick\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", s, "--quick", "--no-write"], {
    stdio: "inherit",
  });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
