/**
 * Child process of test/integration/engine-crash.test.ts: the engine with two simulated modems on
 * one DB file, fed by a fixed plan of outbound and inbound messages. The parent SIGKILLs it at
 * random instants and restarts it. Three append-only logs, each line fsync'ed, record what the
 * outside world saw:
 *   network.log  every submission the simulated SMSC accepted (written when the simulator records it)
 *   acked.log    every enqueue the "API" acknowledged (key, message id)
 *   inbound.log  every inbound PDU the modem was allowed to delete (the handler resolved)
 * Usage: node --import tsx engine-crash-child.ts <dir> [--finish]
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Engine } from "../../src/engine/engine.js";
import { SimNetwork } from "../../src/sim/index.js";
import type { NetworkLogEntry } from "../../src/sim/network.js";
import {
  INBOUND,
  inboundFrom,
  inboundPlan,
  OUTBOUND,
  outboundText,
  outboundTo,
} from "./engine-crash-plan.js";
import { startModem } from "./engine-sim.js";

function appendDurable(path: string, line: string): void {
  const fd = openSync(path, "a");
  writeSync(fd, `${line}\n`);
  fsyncSync(fd);
  closeSync(fd);
}

const readLines = (path: string) =>
  existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: engine-crash-child <dir> [--finish]");
  const finish = process.argv.includes("--finish");
  const network = new SimNetwork({ seed: 5, deliveryDelayMs: 10, statusReportDelayMs: 10, retryMs: 200 });
  // The simulated SMSC's record of each submission, made durable before the modem answers +CMGS.
  const push = network.log.push.bind(network.log);
  network.log.push = (...entries: NetworkLogEntry[]) => {
    for (const e of entries)
      if (e.outcome === "accepted")
        appendDurable(join(dir, "network.log"), JSON.stringify({ pdu: e.pdu, modem: e.modem }));
    return push(...entries);
  };
  const timings = { submitMs: 25 };
  const members = [await startModem(network, 0, { timings }), await startModem(network, 1, { timings })];
  const engine = new Engine({
    db: join(dir, "gateway.db"),
    config: { ratePerMinute: 60_000, rateBurst: 100, sweepIntervalMs: 100 },
  });
  for (const m of members) {
    engine.addModem(m.modem);
    const id = m.modem.id;
    // Replaces the engine's handler with one that also logs the permission to delete.
    m.modem.onIncoming(async (pdu) => {
      await engine.ingest(id, pdu);
      appendDurable(join(dir, "inbound.log"), pdu.pdu.toUpperCase());
    });
  }
  const recovered = engine.start();
  process.stdout.write(`READY ${JSON.stringify(recovered)}\n`);

  const done = new Set(readLines(join(dir, "inbound.log")));
  if (inboundPlan().length !== INBOUND) throw new Error("inbound plan out of sync");
  inboundPlan().forEach((p, k) => {
    for (const pdu of p.pdus) if (!done.has(pdu)) members[k % 2]!.sim.inject({ from: inboundFrom(k), pdu });
  });

  const acked = new Set(readLines(join(dir, "acked.log")).map((l) => l.split(" ")[0]));
  for (let i = 0; i < OUTBOUND; i++) {
    const key = `out-${i}`;
    if (acked.has(key)) continue;
    const r = engine.enqueue({
      to: outboundTo(i),
      text: outboundText(i),
      category: i % 3 ? "marketing" : "transactional",
      idempotencyKey: key,
      statusReport: true,
    });
    appendDurable(join(dir, "acked.log"), `${key} ${r.id}`);
    if (i % 4 === 3) await new Promise((r) => setTimeout(r, 5));
  }

  if (!finish) return; // runs until killed
  const inboundPdus = inboundPlan().flatMap((p) => p.pdus);
  for (;;) {
    const pending = engine.db
      .prepare("SELECT COUNT(*) AS n FROM parts WHERE status IN ('queued','scheduled','sending')")
      .get() as { n: number };
    const deleted = new Set(readLines(join(dir, "inbound.log")));
    if (pending.n === 0 && inboundPdus.every((p) => deleted.has(p))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await engine.stop();
  await Promise.all(members.map((m) => m.modem.stop()));
  process.stdout.write("DONE\n");
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
