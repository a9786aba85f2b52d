/**
 * Gammu SMSD (files service) runs against `smsgw sim serve` on a pseudo-terminal, as it would
 * against /dev/ttyUSB0: it initialises, sends what gammu-smsd-inject queues and writes what the
 * simulated network delivers into its inbox. An independent, long-lived AT client is the proof
 * that the simulator behaves like a modem, not like what our own driver happens to expect.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Daemon,
  requireTool,
  runTool,
  type SimProcess,
  startSim,
  submittedTexts,
  tail,
  until,
} from "./interop-helpers.js";

const TO = "+33612345678";
const SHORT = "short @€{} [~] test";
const LONG = "Gammu long message, part text ".repeat(14).slice(0, 400); // 400 GSM-7 septets: 3 parts
const UNICODE = "héllo Ωλ 中文 😀";
const IN_SHORT = "hello @€{} inbox";
const IN_LONG = "inbound multi part ".repeat(18);

function smsdrc(dir: string, tty: string): string {
  // gammu-smsdrc(5): files service paths end with a slash; CheckSecurity/Battery off as
  // the simulated SIM has no PIN and no battery; ReceiveFrequency 1 s keeps the test short.
  return [
    "[gammu]",
    `device = ${tty}`,
    "connection = at115200",
    "[smsd]",
    "service = files",
    `logfile = ${join(dir, "smsd.log")}`,
    "debuglevel = 255",
    `inboxpath = ${join(dir, "inbox")}/`,
    `outboxpath = ${join(dir, "outbox")}/`,
    `sentsmspath = ${join(dir, "sent")}/`,
    `errorsmspath = ${join(dir, "error")}/`,
    "inboxformat = unicode",
    "checksecurity = 0",
    "checkbattery = 0",
    "receivefrequency = 1",
    "statusfrequency = 0",
    "loopsleep = 1",
    "commtimeout = 1",
    "sendtimeout = 30",
    "",
  ].join("\n");
}

/**
 * inboxformat = unicode: Gammu writes its internal UCS-2 big-endian string behind a FE FF byte
 * order mark and keeps the string's terminating NUL (seen in the files it writes).
 */
function readInbox(path: string): string {
  const b = Buffer.from(readFileSync(path));
  expect([b[0], b[1]]).toEqual([0xfe, 0xff]);
  return b.subarray(2).swap16().toString("utf16le").replace(/\0+$/, "");
}

// Concurrent: both personas at once, and on each the outbound and inbound traffic together, as a
// live gateway sees them; this also keeps the suite near half a minute per client.
describe.concurrent.each(["sim800", "quectel", "huawei"])("Gammu SMSD against the %s persona", (persona) => {
  let dir = "";
  let sim: SimProcess | undefined;
  let smsd: Daemon | undefined;
  let rc = "";
  let inject = "";

  beforeAll(async () => {
    const bin = requireTool("gammu-smsd", "gammu-smsd");
    inject = requireTool("gammu-smsd-inject", "gammu-smsd");
    dir = mkdtempSync(join(tmpdir(), `smsgw-gammu-smsd-${persona}-`));
    for (const d of ["inbox", "outbox", "sent", "error"]) mkdirSync(join(dir, d));
    sim = await startSim(dir, persona);
    rc = join(dir, "smsdrc");
    writeFileSync(rc, smsdrc(dir, sim.tty));
    // No -d: gammu-smsd stays in the foreground, so the test owns its process.
    smsd = new Daemon(bin, ["-c", rc, "-p", join(dir, "smsd.pid")], { ...process.env, LANG: "C.UTF-8" });
    await until(
      () => /\+CPMS: \d/.test(tail(join(dir, "smsd.log"))) || !smsd?.running,
      15_000,
      "gammu-smsd connected",
      () => tail(join(dir, "smsd.log")),
    );
    expect(smsd.running).toBe(true);
  }, 30_000);

  afterAll(async () => {
    await smsd?.stop();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("sends GSM-7 with escapes, a 3-part message and UCS-2 with an emoji, each decoded by the network", async () => {
    for (const args of [
      ["TEXT", TO, "-text", SHORT],
      ["TEXT", TO, "-len", String(LONG.length), "-text", LONG],
      ["TEXT", TO, "-unicode", "-text", UNICODE],
    ]) {
      const r = await runTool(inject, ["-c", rc, ...args]);
      expect(r.code, r.out).toBe(0);
    }
    const s = sim as SimProcess;
    await until(
      async () => (await s.log()).filter((e) => e.outcome === "accepted").length >= 5,
      45_000,
      "5 parts submitted",
      () => tail(join(dir, "smsd.log")),
    );
    const log = await s.log();
    expect(submittedTexts(log, TO).sort()).toEqual([LONG, SHORT, UNICODE].sort());
    expect(log.filter((e) => e.concat).map((e) => e.coding)).toEqual(["gsm7", "gsm7", "gsm7"]);
    expect(log.find((e) => e.text === UNICODE)?.coding).toBe("ucs2");
    await until(() => readdirSync(join(dir, "sent")).length === 3, 10_000, "3 files in sentsmspath");
    expect(readdirSync(join(dir, "error"))).toEqual([]);
  }, 60_000);

  it("writes a short and a 3-part inbound message into the inbox, one file per part", async () => {
    const s = sim as SimProcess;
    await s.inject("+33600000001", IN_SHORT);
    await s.inject("+33600000002", IN_LONG, 3);
    const inbox = () => readdirSync(join(dir, "inbox")).sort();
    await until(
      () => inbox().length === 4,
      20_000,
      "4 inbox files",
      () => tail(join(dir, "smsd.log")),
    );
    // Files service: IN<date>_<time>_<serial>_<number>_<part>.txt, each part of a concatenated
    // message in its own file (gammu-smsd-files(7), RECEIVING OF MESSAGES: <sequence> is the part).
    const files = inbox();
    for (const f of files) expect(f).toMatch(/^IN\d{8}_\d{6}_\d{2}_\+3360000000[12]_\d{2}\.txt$/);
    const short = files.filter((f) => f.includes("+33600000001"));
    expect(short).toHaveLength(1);
    expect(readInbox(join(dir, "inbox", short[0] ?? ""))).toBe(IN_SHORT);
    const long = files
      .filter((f) => f.includes("+33600000002"))
      .sort((a, b) => a.slice(-6).localeCompare(b.slice(-6)));
    expect(long.map((f) => f.slice(-6))).toEqual(["00.txt", "01.txt", "02.txt"]);
    expect(long.map((f) => readInbox(join(dir, "inbox", f))).join("")).toBe(IN_LONG);
  }, 30_000);
});
