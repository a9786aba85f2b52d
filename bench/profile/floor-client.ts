/**
 * The least a Node program can do per part on this path, without the gateway: the AT+CMGS exchange
 * of 27.005 §3.5.1 written by hand (command, wait for "> ", PDU + Ctrl-Z, wait for the final result),
 * and optionally one SQLite commit per part standing for the attempt mark that must be durable
 * before the PDU is handed over. No AT channel, no driver, no engine, no timers, no logging.
 * Prints "loaded", waits for a line on stdin, then one JSON line with its own CPU per part.
 * Usage: node --import tsx bench/profile/floor-client.ts <pty> <pdus.json> <tty|serialport> <none|FULL|NORMAL> <db>
 */
import { constants, openSync, readFileSync, writeSync } from "node:fs";
import { ReadStream, WriteStream } from "node:tty";
import Database from "better-sqlite3";
import { openSerialTransport } from "../../src/transport/serial.js";

const [pty, file, transport, mark, dbPath] = process.argv.slice(2);
if (!pty || !file || !transport || !mark || !dbPath) throw new Error("usage: see the header");
const pdus = JSON.parse(readFileSync(file, "utf8")) as Array<{ pdu: string; tpduLength: number }>;

let buffered = "";
let waiter: { until: string; resolve: () => void } | null = null;
function onData(b: Uint8Array): void {
  buffered += Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
  if (waiter && buffered.includes(waiter.until)) {
    const w = waiter;
    waiter = null;
    buffered = "";
    w.resolve();
  }
}
const until = (s: string) =>
  new Promise<void>((resolve) => {
    waiter = { until: s, resolve };
    onData(new Uint8Array(0));
  });

let write: (s: string) => void;
if (transport === "tty" || transport === "tty-writesync") {
  const flags = constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK;
  const input = new ReadStream(openSync(pty, flags));
  input.setRawMode(true);
  input.on("data", (b: Buffer) => onData(b));
  if (transport === "tty") {
    const output = new WriteStream(openSync(pty, flags));
    write = (s) => output.write(s, "latin1");
  } else {
    // A plain write(2) from the event loop: no stream, no libuv request (a pty never fills here).
    const fd = openSync(pty, constants.O_RDWR | constants.O_NOCTTY);
    write = (s) => void writeSync(fd, s, null, "latin1");
  }
} else {
  const t = await openSerialTransport(pty);
  t.onData(onData);
  write = (s) => void t.write(Buffer.from(s, "latin1"));
}

let commit: (i: number) => void = () => {};
if (mark !== "none") {
  const db = new Database(dbPath);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${mark}`);
  db.exec("CREATE TABLE IF NOT EXISTS parts (id INTEGER PRIMARY KEY, attempt INTEGER, mr INTEGER)");
  const ins = db.prepare("INSERT INTO parts (id, attempt) VALUES (?, 0)");
  db.transaction(() => {
    for (let i = 0; i < pdus.length; i++) ins.run(i);
  })();
  const upd = db.prepare("UPDATE parts SET attempt = attempt + 1 WHERE id = ?");
  const tx = db.transaction((i: number) => upd.run(i));
  commit = (i) => tx.immediate(i);
}

process.stdout.write("loaded\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const c0 = process.cpuUsage();
write("ATE0\r");
await until("OK\r\n");
write("AT+CMGF=0\r");
await until("OK\r\n");
for (let i = 0; i < pdus.length; i++) {
  const p = pdus[i] as { pdu: string; tpduLength: number };
  commit(i);
  write(`AT+CMGS=${p.tpduLength}\r`);
  await until("> ");
  write(`${p.pdu}\x1a`);
  await until("OK\r\n");
}
const c = process.cpuUsage(c0);
process.stdout.write(
  `${JSON.stringify({ parts: pdus.length, userMs: c.user / 1000, systemMs: c.system / 1000 })}\n`,
);
process.exit(0);
