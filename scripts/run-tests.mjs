#!/usr/bin/env node
// Runs the vitest suite and prints the closing line `N passed, N failed` that CI reads.
// vitest's own summary is for people; the JSON report gives exact counts, including skipped tests
// (which are never counted as passed).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

const out = ".vitest-results.json";
rmSync(out, { force: true });
const args = [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${out}`,
  ...process.argv.slice(2),
];
const r = spawnSync("npx", args, { stdio: "inherit" });
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(out)) {
  const j = JSON.parse(readFileSync(out, "utf8"));
  passed = j.numPassedTests ?? 0;
  failed = j.numFailedTests ?? 0;
  skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  // A test file that fails to load has no failed test but a failed suite: count it so it cannot hide.
  for (const s of j.testResults ?? [])
    if (s.status === "failed" && (s.assertionResults ?? []).length === 0) failed++;
} else {
  failed = 1;
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
