/**
 * CPU of one SQLite commit of one small row, WAL mode, per `synchronous` setting: the floor under
 * the send path's one commit per part (the attempt mark must be durable before AT+CMGS).
 * Run: `npx tsx bench/profile/commit-cost.ts [--commits 1000]`
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";

const { values: opt } = parseArgs({ options: { commits: { type: "string", default: "1000" } } });
const n = Number(opt.commits);
for (const sync of ["FULL", "NORMAL", "OFF"]) {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-commit-"));
  const db = new Database(join(dir, "c.db"));
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${sync}`);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  const ins = db.prepare("INSERT INTO t (v) VALUES (?)");
  const tx = db.transaction((v: string) => ins.run(v));
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tx.immediate("x".repeat(200));
  const u = process.cpuUsage(u0);
  const per = (us: number) => (us / 1000 / n).toFixed(3);
  console.log(
    `synchronous=${sync}: user ${per(u.user)} + system ${per(u.system)} ms CPU per commit, wall ${((performance.now() - t0) / n).toFixed(3)} ms`,
  );
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
