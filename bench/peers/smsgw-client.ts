/**
 * smsgw's side of bench/peers/run.ts, in its own process so that its CPU and RSS are measured like
 * the peer daemons': serial transport on the pty, AT channel, Modem driver, Engine with a SQLite
 * queue (synchronous=FULL, as in production). Prints "loaded" once modules are in (the runner
 * subtracts the CPU spent until then: tsx compiling TypeScript is not part of sending), then
 * enqueues every message at once and exits when the queue has drained.
 * Usage: node --import tsx bench/peers/smsgw-client.ts <pty> <db> <messages.json>
 */
import { readFileSync } from "node:fs";
import { AtChannel } from "../../src/at/channel.js";
import { systemClock } from "../../src/clock.js";
import { Engine } from "../../src/engine/engine.js";
import { Modem } from "../../src/modem/modem.js";
import { mulberry32 } from "../../src/sim/prng.js";
import { openSerialTransport } from "../../src/transport/serial.js";

const [pty, db, file] = process.argv.slice(2);
if (!pty || !db || !file) throw new Error("usage: smsgw-client.ts <pty> <db> <messages.json>");
const messages = JSON.parse(readFileSync(file, "utf8")) as Array<{ to: string; text: string }>;
process.stdout.write("loaded\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));

const transport = await openSerialTransport(pty);
const modem = new Modem({
  channel: new AtChannel(transport, { clock: systemClock }),
  clock: systemClock,
  configuredId: "bench",
});
if ((await modem.start()) !== "ready") throw new Error("modem not ready");
// No rate limit: the bench compares sending machinery, not carrier pacing.
const engine = new Engine({
  db,
  random: mulberry32(1),
  config: { ratePerMinute: 1_000_000, rateBurst: 1000, dailyCapPerModem: 0, distinctRecipientsCap: 0 },
});
engine.addModem(modem);
for (const m of messages) engine.enqueue({ to: m.to, text: m.text, category: "transactional" });
engine.start();
const pending = () =>
  (
    engine.db.prepare("SELECT COUNT(*) AS n FROM parts WHERE status IN ('queued','sending')").get() as {
      n: number;
    }
  ).n;
while (pending() > 0) await new Promise((r) => setTimeout(r, 20));
await engine.stop();
await transport.close();
process.stdout.write("drained\n");
process.exit(0);
