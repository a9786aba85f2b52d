/**
 * smsgw's side of bench/peers/run.ts, in its own process so that its CPU and RSS are measured like
 * the peer daemons': serial transport on the pty, AT channel, Modem driver, Engine with a SQLite
 * queue (synchronous=FULL, as in production). Prints "loaded" once modules are in (the runner
 * subtracts the CPU spent until then: tsx compiling TypeScript is not part of sending), then
 * enqueues every message at once in one transaction (as POST /v1/messages/batch does) and exits
 * when every message has left the queue.
 * Usage: node --import tsx bench/peers/smsgw-client.ts <pty> <db> <messages.json>
 */
import { readFileSync } from "node:fs";
import { openSerialTransport } from "../../src/transport/serial.js";
import { benchSendStack } from "../lib/send-stack.js";

const [pty, db, file] = process.argv.slice(2);
if (!pty || !db || !file) throw new Error("usage: smsgw-client.ts <pty> <db> <messages.json>");
const messages = JSON.parse(readFileSync(file, "utf8")) as Array<{ to: string; text: string }>;
process.stdout.write("loaded\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));

const transport = await openSerialTransport(pty);
const { modem, engine } = await benchSendStack(transport, db);
engine.addModem(modem);
// Settled = left the queue: the client waits on the engine's own status events (no polling of its
// own, which an earlier version did every 20 ms and which showed in the figure).
const settled = new Set(["sent", "delivered", "undelivered", "failed", "unknown", "canceled", "expired"]);
let left = messages.length;
const drained = new Promise<void>((resolve) =>
  engine.bus.on("message.status", (e) => {
    if (e.direction === "outbound" && settled.has(e.to) && !settled.has(e.from ?? "") && --left === 0)
      resolve();
  }),
);
// One transaction for the whole backlog, as POST /v1/messages/batch does (a commit per message
// would price 500 fsyncs into "sending").
engine.enqueueMany(messages.map((m) => ({ to: m.to, text: m.text, category: "transactional" as const })));
engine.start();
await drained;
await engine.stop();
await transport.close();
process.stdout.write("drained\n");
process.exit(0);
