/**
 * smstools3 (`smsd`) runs against `smsgw sim serve` on a pseudo-terminal: it initialises the
 * modem, sends the files dropped into its outgoing spool and writes inbound messages (joined when
 * concatenated) into its incoming spool. Like the Gammu SMSD test, this proves the simulator
 * against a long-lived client that was written against real modems, not against our driver.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Daemon,
  requireTool,
  type SimProcess,
  startSim,
  submittedTexts,
  tail,
  until,
} from "./interop-helpers.js";

const TO = "+33612345678";
const SHORT = "short @€{} [~] smsd";
const LONG = "smstools long message text ".repeat(15).slice(0, 400); // 3 GSM-7 parts
// smstools3 3.1.21 converts UTF-8 to UCS-2 only within the BMP: text after an emoji is dropped by
// smsd itself (docs/interop.md), so the UCS-2 case stays in the BMP.
const UNICODE = "héllo Ωλ 中文 ünïcode";
const IN_SHORT = "hello @€{} spool";
const IN_LONG = "inbound multi part ".repeat(18);
const IN_UNICODE = "Ωλ 中文 ü";

function smsdConf(dir: string, tty: string): string {
  // smsd.conf(5): every path (spools, log, infofile, pidfile) in the temporary directory so that
  // nothing is written under /var; incoming_utf8 and decode_unicode_text make the incoming spool
  // UTF-8 whatever the message alphabet; autosplit 3 sends concatenated parts with a UDH.
  return [
    "devices = GSM1",
    `outgoing = ${join(dir, "outgoing")}`,
    `checked = ${join(dir, "checked")}`,
    `incoming = ${join(dir, "incoming")}`,
    `failed = ${join(dir, "failed")}`,
    `sent = ${join(dir, "sent")}`,
    `logfile = ${join(dir, "smsd.log")}`,
    "loglevel = 7",
    `infofile = ${join(dir, "smsd.working")}`,
    `pidfile = ${join(dir, "smsd.pid")}`,
    "stats =",
    "autosplit = 3",
    "incoming_utf8 = yes",
    "decode_unicode_text = yes",
    "delaytime = 1",
    "delaytime_mainprocess = 1",
    "blocktime = 1",
    "",
    "[GSM1]",
    `device = ${tty}`,
    "incoming = yes",
    "baudrate = 115200",
    "",
  ].join("\n");
}

/** Spool files are `Header: value` lines, a blank line, then the text. */
function readSpool(path: string): { headers: Record<string, string>; text: string } {
  const raw = readFileSync(path, "utf8");
  const blank = raw.indexOf("\n\n");
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, blank).split("\n")) {
    const c = line.indexOf(":");
    if (c > 0) headers[line.slice(0, c)] = line.slice(c + 1).trim();
  }
  return { headers, text: raw.slice(blank + 2) };
}

// Concurrent: both personas at once, and on each the outbound and inbound traffic together, as a
// live gateway sees them; this also keeps the suite near half a minute per client.
describe.concurrent.each(["sim800", "quectel", "huawei"])("smstools3 against the %s persona", (persona) => {
  let dir = "";
  let sim: SimProcess | undefined;
  let smsd: Daemon | undefined;

  beforeAll(async () => {
    const bin = requireTool("smsd", "smstools");
    dir = mkdtempSync(join(tmpdir(), `smsgw-smstools-${persona}-`));
    for (const d of ["outgoing", "checked", "incoming", "failed", "sent"]) mkdirSync(join(dir, d));
    sim = await startSim(dir, persona);
    const conf = join(dir, "smsd.conf");
    writeFileSync(conf, smsdConf(dir, sim.tty));
    // -t: stay in the terminal (foreground) so that the test owns the process group.
    smsd = new Daemon(bin, ["-c", conf, "-t"]);
    await until(
      () => /Used memory is \d+ of \d+/.test(tail(join(dir, "smsd.log"))) || !smsd?.running,
      15_000,
      "smsd initialised the modem",
      () => `${smsd?.out}\n${tail(join(dir, "smsd.log"))}`,
    );
    expect(smsd.running).toBe(true);
  }, 30_000);

  afterAll(async () => {
    await smsd?.stop();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("sends GSM-7 with escapes, an autosplit 3-part message and UCS-2, each decoded by the network", async () => {
    const drop = (name: string, text: string) => {
      // Written aside then renamed: smsd must never pick up a half-written file.
      const tmp = join(dir, `${name}.tmp`);
      writeFileSync(tmp, `To: ${TO.slice(1)}\nAlphabet: UTF-8\n\n${text}`);
      renameSync(tmp, join(dir, "outgoing", name));
    };
    drop("short", SHORT);
    drop("long", LONG);
    drop("unicode", UNICODE);
    const s = sim as SimProcess;
    await until(
      async () => (await s.log()).filter((e) => e.outcome === "accepted").length >= 5,
      45_000,
      "5 parts submitted",
      () => tail(join(dir, "smsd.log")),
    );
    const log = await s.log();
    expect(submittedTexts(log, TO).sort()).toEqual([LONG, SHORT, UNICODE].sort());
    expect(log.find((e) => e.text === UNICODE)?.coding).toBe("ucs2");
    expect(log.find((e) => e.text === SHORT)?.coding).toBe("gsm7");
    await until(() => readdirSync(join(dir, "sent")).length === 3, 10_000, "3 files in the sent spool");
    expect(readdirSync(join(dir, "failed"))).toEqual([]);
  }, 60_000);

  it("writes short, 3-part (joined) and UCS-2 inbound messages into the incoming spool", async () => {
    const s = sim as SimProcess;
    await s.inject("+33600000001", IN_SHORT);
    await s.inject("+33600000002", IN_LONG, 3);
    await s.inject("+33600000003", IN_UNICODE);
    // smsd's own helper scripts (smsd_script.*) live in the incoming directory too.
    const spool = () => readdirSync(join(dir, "incoming")).filter((f) => f.startsWith("GSM1."));
    await until(
      () => spool().length === 3,
      25_000,
      "3 incoming files",
      () => tail(join(dir, "smsd.log")),
    );
    const byFrom = new Map(
      spool().map((f) => {
        const m = readSpool(join(dir, "incoming", f));
        return [m.headers["From"], m] as const;
      }),
    );
    expect(byFrom.get("33600000001")?.text).toBe(IN_SHORT);
    expect(byFrom.get("33600000002")?.text).toBe(IN_LONG);
    expect(byFrom.get("33600000003")?.text).toBe(IN_UNICODE);
    // decode_unicode_text: smsd converts the UCS-2 message and labels the file UTF-8 (smsd.conf(5)).
    expect(byFrom.get("33600000003")?.headers["Alphabet"]).toBe("UTF-8");
    expect(byFrom.get("33600000001")?.headers["IMEI"]).toMatch(/^\d{15}$/);
  }, 40_000);
});
