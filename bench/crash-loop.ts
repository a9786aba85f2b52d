/**
 * Crash loop (issue #8 item 3): the real daemon (bench/crash-loop/daemon.ts: src/gateway.ts on two
 * simulated modems served on pseudo-terminals) is SIGKILLed at seeded random instants while a client
 * enqueues N outbound messages through POST /v1/messages/batch (one Idempotency-Key per batch,
 * retried after every cut) and inbound SMS, some concatenated, arrive on both modems. After each
 * kill it is started again on the same data directory; after the last one it runs until every
 * message is final and every inbound one stored, then stops gracefully. The ground truth comes from
 * outside the gateway: the virtual network's record of every SUBMIT, and the list of what was
 * injected. Reported: lost, duplicated (recorded as unknown or not), unknown, inbound lost or
 * duplicated, what was left in the SIM storage; and how the retried requests were answered.
 * Run: `nice -n 10 npx tsx bench/crash-loop.ts [--quick] [--messages N] [--kills K] [--seed S] [--no-write]`
 */
import { execSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { mulberry32 } from "../src/sim/prng.js";
import { BatchClient } from "./crash-loop/client.js";
import {
  type DaemonLife,
  freePort,
  killDaemon,
  modemsReady,
  startDaemon,
  stopDaemon,
} from "./crash-loop/daemon-process.js";
import { describePlacedKills, placedKills } from "./crash-loop/placed-kills.js";
import { inboundPlan, outboundPlan } from "./crash-loop/plan.js";
import { type KillRecord, report } from "./crash-loop/report.js";
import { MODEMS, networkTruth, serveSims, simBacklog, simRouting } from "./crash-loop/sims.js";
import { tally } from "./crash-loop/tally.js";
import { writeSection } from "./lib/results.js";
import { machineInfo } from "./lib/timing.js";

const { values: opt } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    messages: { type: "string" },
    kills: { type: "string" },
    inbound: { type: "string" },
    seed: { type: "string", default: "20261126" },
    "batch-size": { type: "string", default: "50" },
    "mean-life-ms": { type: "string" },
    "no-write": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const quick = opt.quick;
const N = Number(opt.messages ?? (quick ? 500 : 5000));
const KILLS = Number(opt.kills ?? (quick ? 5 : 20));
const M = Number(opt.inbound ?? (quick ? 40 : 400));
const SEED = Number(opt.seed);
const BATCH = Number(opt["batch-size"]);
// Mean time from a start to its kill: the kills are spread over the busy part of the run.
const MEAN_LIFE_MS = Number(opt["mean-life-ms"] ?? (quick ? 2500 : 5000));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The daemon runs the working tree's sources, which several people edit: say which state was measured. */
function sourceState(): string {
  const sh = (c: string) => execSync(c, { cwd: join(import.meta.dirname, ".."), encoding: "utf8" }).trim();
  try {
    const dirty = sh("git status --porcelain -- src drivers") !== "";
    return `commit ${sh("git rev-parse --short HEAD")}${dirty ? ", with uncommitted changes in src/ or drivers/" : ""}`;
  } catch {
    return "commit unknown";
  }
}
async function until(ok: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await sleep(50);
}

const t0 = Date.now();
const work = mkdtempSync(join(tmpdir(), "smsgw-crash-loop-"));
// The configuration accepts serial ports under /dev only: the pty links live in /dev/shm.
const ptyDir = mkdtempSync("/dev/shm/smsgw-crash-loop-");
const sims = await serveSims(ptyDir);
const port = await freePort();
const apiKey = `cl_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
writeFileSync(join(work, "api-key"), `${apiKey}\n`, { mode: 0o600 });
mkdirSync(join(work, "data"));
const config = join(work, "smsgw.toml");
writeFileSync(
  config,
  [
    "version = 1",
    `data_dir = "${join(work, "data")}"`,
    `[http]\nlisten = "127.0.0.1:${port}"`,
    `[logging]\nlevel = "warn"`,
    `[business]\nname = "Crash Loop"\ndefault_country = "FR"`,
    `[api]\nkeys = [{ name = "bench", key = { file = "${join(work, "api-key")}" }, scopes = ["admin"] }]`,
    ...MODEMS.map((m, i) => `[[modems]]\nid = "${m.id}"\nport = "${sims.ttys[i]}"`),
  ].join("\n\n"),
);
const logFile = join(work, "daemon.log");
const dbPath = join(work, "data", "smsgw.db");

const plan = outboundPlan(N);
const inbound = inboundPlan(M);
// Posting is paced to last about half the kill phase (a start-up takes ~7 s here), so that kills
// also cut requests, not only submissions.
const paceMs = (0.5 * KILLS * (MEAN_LIFE_MS + 7000)) / Math.ceil(N / BATCH);
const client = new BatchClient(`http://127.0.0.1:${port}`, apiKey, plan, BATCH, paceMs);
const rng = mulberry32(SEED);
const kills: KillRecord[] = [];
const parts = () => sims.network.log.filter((e) => e.outcome === "accepted").length;

// Inbound arrives throughout the kill phase, alternating modems, whatever the daemon's state; it
// starts once the first life has set the modems up (see the report: a message that reaches the
// Quectel's default "SM" storage before the gateway ever configured it is never read).
const injecting = (async () => {
  await modemsReady(`http://127.0.0.1:${port}`, apiKey, MODEMS.length);
  const every = (0.8 * KILLS * (MEAN_LIFE_MS + 7000)) / Math.max(1, M);
  for (const p of inbound) {
    sims.sims[p.modem]?.inject({ from: p.from, text: p.text, ...(p.parts > 1 && { parts: p.parts }) });
    await sleep(every);
  }
})();

let life: DaemonLife = startDaemon(config, logFile, 0);
const enqueuing = client.run();
for (let k = 0; k < KILLS; k++) {
  const before = { parts: parts(), acked: client.ackedCount };
  // Kill instants, drawn from the seeded PRNG: one in six during start-up (recovery, modem init);
  // one in three aimed at a batch request in flight (a purely random instant rarely cuts one: the
  // request is short next to a life); the rest at a uniform instant after the API is up.
  const l = life;
  const kind = rng();
  if (kind < 1 / 6) await sleep(500 + rng() * 4500);
  else {
    await until(() => l.readyAt !== null || l.child.exitCode !== null, 60_000);
    if (kind < 1 / 2 && !client.finished) {
      await until(() => client.inFlight || client.finished, 30_000);
      await sleep(Math.round(rng() * 600));
    } else await sleep(Math.round(MEAN_LIFE_MS * 2 * rng()));
  }
  await killDaemon(life);
  kills.push({
    aimed: kind >= 1 / 6 && kind < 1 / 2,
    lifeMs: Date.now() - life.startedAt,
    ready: life.readyAt !== null,
    partsSent: parts() - before.parts,
    acked: client.ackedCount - before.acked,
    enqueuing: !client.finished,
  });
  process.stdout.write(`kill ${k + 1}/${KILLS}: ${JSON.stringify(kills.at(-1))}\n`);
  life = startDaemon(config, logFile, k + 1);
}

// Last life: run until everything is final, then stop gracefully.
await injecting;
await enqueuing;
const deadline = Date.now() + (quick ? 60_000 : 180_000);
let settled = false;
while (Date.now() < deadline) {
  await sleep(500);
  if (life.child.exitCode !== null) throw new Error(`daemon died: ${life.stderr()}`);
  let open = 0;
  let stored = 0;
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    open = (
      db
        .prepare("SELECT COUNT(*) AS n FROM messages WHERE status IN ('queued','scheduled','sending')")
        .get() as { n: number }
    ).n;
    stored = (db.prepare("SELECT COUNT(*) AS n FROM inbound_messages").get() as { n: number }).n;
    db.close();
  } catch {
    continue; // busy while the daemon checkpoints: look again
  }
  const backlog = simBacklog(sims.sims);
  if (open === 0 && stored >= M && backlog.unread === 0 && backlog.pending === 0) {
    settled = true;
    break;
  }
}
await sleep(1000); // status reports and acknowledgements still in flight
const exitCode = await stopDaemon(life);
const wallS = (Date.now() - t0) / 1000;

const t = tally({
  db: dbPath,
  plan,
  acked: client.acked,
  truth: networkTruth(sims.network),
  inbound,
  backlog: simBacklog(sims.sims),
});
const routing = simRouting(sims.sims);
await sims.stop();
// The placed kills run on their own modems after the loop (about 90 s); the quick run leaves them out.
const placed = quick ? "" : describePlacedKills(await placedKills());
const m = machineInfo();
const cmd = `nice -n 10 npx tsx bench/crash-loop.ts${quick ? " --quick" : ""}`;
const { table, body } = report({
  t,
  kills,
  client: client.stats,
  settled,
  routing,
  exitCode,
  wallS,
  n: N,
  m: M,
  seed: SEED,
  cmd,
  placed,
  source: sourceState(),
  machine: m,
});
process.stdout.write(`${table}\n`);
if (!opt["no-write"] && !quick) writeSection(join(import.meta.dirname, "RESULTS.md"), "Crash loop", body);
if (opt.keep) process.stdout.write(`kept ${work}\n`);
else rmSync(work, { recursive: true, force: true });
rmSync(ptyDir, { recursive: true, force: true });
const clean = t.lost === 0 && t.dupSilent === 0 && t.inLost === 0 && t.inDuplicated === 0 && settled;
process.exit(clean ? 0 : 1);
