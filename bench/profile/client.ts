/**
 * The gateway's send path alone, as bench/peers/smsgw-client.ts drives it (serial transport on a
 * pty, AT channel, Modem driver, Engine on a SQLite file with synchronous=FULL), with the CPU of each
 * phase measured in-process (process.cpuUsage: every thread of this process, which is the whole
 * tree here). Meant to run compiled (dist), as the daemon does in production; see ./run.ts.
 * Prints "loaded", waits for a line on stdin, then one JSON line with the figures.
 * Usage: node <dist>/bench/profile/client.js <pty> <db> <messages.json>
 */
import { readdirSync, readFileSync } from "node:fs";
import { openSerialTransport } from "../../src/transport/serial.js";
import { benchSendStack } from "../lib/send-stack.js";
import { installSqlMeter, resetSqlMeter, sqlFigures } from "./sql-meter.js";
import { openTtyTransport } from "./tty-transport.js";

if (process.env.PROFILE_SQL) installSqlMeter();

const [pty, db, file] = process.argv.slice(2);
if (!pty || !db || !file) throw new Error("usage: client.js <pty> <db> <messages.json>");
const messages = JSON.parse(readFileSync(file, "utf8")) as Array<{ to: string; text: string }>;
process.stdout.write("loaded\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));

/** CPU ms of the main thread and of the others: V8 compiler and GC helpers, libuv pool (proc(5) task stat). */
function threads(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const tid of readdirSync("/proc/self/task")) {
    const s = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    const name = Number(tid) === process.pid ? "main" : "other";
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) * 10;
  }
  return out;
}
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const sys0 = process.cpuUsage().system;
const th0 = threads();
const c0 = cpu();
const transport =
  process.env.PROFILE_TRANSPORT === "tty" ? openTtyTransport(pty) : await openSerialTransport(pty);
const { modem, engine } = await benchSendStack(transport, db);
// Diagnosis only (never in production): how much of the figure is the commit's sync.
if (process.env.PROFILE_SYNCHRONOUS) engine.db.pragma(`synchronous = ${process.env.PROFILE_SYNCHRONOUS}`);
// Trying a connection setting before proposing it: PROFILE_PRAGMAS="temp_store = MEMORY;cache_size = -8000".
for (const p of (process.env.PROFILE_PRAGMAS ?? "").split(";").filter(Boolean)) engine.db.pragma(p);
engine.addModem(modem);
resetSqlMeter();
const c1 = cpu();
if (process.env.PROFILE_MODEM_ONLY) {
  // Diagnosis: the same parts straight to Modem.sendPart, without the engine (AT + serial cost).
  const { encodeSubmit } = await import("../../src/pdu/index.js");
  const parts = messages.flatMap(
    (m, i) => encodeSubmit({ to: m.to, text: m.text, concatRef: i & 255 }).parts,
  );
  const c = cpu();
  const t = Date.now();
  for (const p of parts) await modem.sendPart(p.pdu, p.tpduLength);
  process.stdout.write(
    `${JSON.stringify({ parts: parts.length, messages: messages.length, startMs: c1 - c0, enqueueMs: 0, sendMs: cpu() - c, sendWallMs: Date.now() - t, sysMs: 0 })}\n`,
  );
  process.exit(0);
}
let parts = 0;
if (process.env.PROFILE_ENQUEUE === "many") {
  // As POST /v1/messages/batch does: the whole backlog in one transaction (one commit).
  for (const r of engine.enqueueMany(
    messages.map((m) => ({ to: m.to, text: m.text, category: "transactional" })),
  ))
    if (r.ok) parts += r.result.parts;
} else {
  // As bench/peers/smsgw-client.ts does: one transaction (one fsync'ed commit) per message.
  for (const m of messages)
    parts += engine.enqueue({ to: m.to, text: m.text, category: "transactional" }).parts;
}
const c2 = cpu();
const t2 = Date.now();
engine.start();
const pending = engine.db.prepare("SELECT COUNT(*) AS n FROM parts WHERE status IN ('queued','sending')");
while ((pending.get() as { n: number }).n > 0) await new Promise((r) => setTimeout(r, 20));
const c3 = cpu();
const t3 = Date.now();
await engine.stop();
await transport.close();
function diff(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]));
}
process.stdout.write(
  `${JSON.stringify({ parts, messages: messages.length, startMs: c1 - c0, enqueueMs: c2 - c1, sendMs: c3 - c2, sendWallMs: t3 - t2, sysMs: (process.cpuUsage().system - sys0) / 1000, threads: diff(threads(), th0) })}\n`,
);
if (process.env.PROFILE_SQL)
  for (const f of sqlFigures())
    process.stderr.write(`${f.ms.toFixed(1).padStart(8)} ms ${String(f.calls).padStart(6)}×  ${f.sql}\n`);
process.exit(0);
