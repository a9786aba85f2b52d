/**
 * How each peer is set up and fed, for one modem or several, the way their manuals describe it.
 *
 * - Gammu SMSD drives one phone per daemon. Its documented multi-modem setup ("Multiple modems" in
 *   the SMSD manual) is several daemons on one SQL database, routed by PhoneID/SenderID; the files
 *   backend has no such thing: every daemon sends the alphabetically first `OUT*` file of its
 *   outbox and renames it afterwards, with no claim in between, so daemons sharing an outbox
 *   would send the same file. A files-backend user therefore gives each daemon its own spool and
 *   splits the backlog when injecting: here round-robin, `gammu-smsd-inject -c <daemon k's config>`.
 * - Gammu SMSD's own multi-modem recipe is the SQL backend: the daemons share one database, each
 *   with its PhoneID, and a message injected without a SenderID goes to whichever daemon takes it
 *   first (the daemon marks it with `SendingTimeOut` before sending, so the others skip it —
 *   gammu-smsd-sql(7), `find_outbox_sms_id` and `update_outbox`). Here: SQLite through libdbi
 *   (Debian's libdbd-sqlite3), the schema Gammu ships in its examples.
 * - smstools3 takes several devices in one smsd.conf (`devices = GSM1,GSM2,…`); one spool feeds
 *   them all, each modem process claiming a file with a lock before sending it.
 *
 * Each peer's configuration is tuned for throughput (no sleeps between polls), its best case.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Msg } from "./mix.js";

export interface Launch {
  readonly cmd: string;
  readonly args: string[];
}

/** A daemon's smsdrc in dir; its spool is spool/{inbox,outbox,sent,error} (spool = dir unless shared). */
function gammuConfig(dir: string, tty: string, spool = dir): string {
  const paths = ["inbox", "outbox", "sent", "error"].map((d) => join(spool, d));
  for (const p of [dir, ...paths]) mkdirSync(p, { recursive: true });
  const rc = join(dir, "smsdrc");
  writeFileSync(
    rc,
    `[gammu]\ndevice = ${tty}\nconnection = at115200\n[smsd]\nservice = files\nlogfile = ${join(dir, "smsd.log")}\n` +
      `inboxpath = ${paths[0]}/\noutboxpath = ${paths[1]}/\nsentsmspath = ${paths[2]}/\nerrorsmspath = ${paths[3]}/\n` +
      "checksecurity = 0\ncheckbattery = 0\ncheckSignal = 0\nreceivefrequency = 0\nstatusfrequency = 0\nloopsleep = 0\ncommtimeout = 0\n",
  );
  return rc;
}

function inject(rc: string, m: Msg): void {
  const args = ["-c", rc, "TEXT", m.to, "-len", String(m.text.length)];
  if (m.unicode) args.push("-unicode");
  const r = spawnSync("gammu-smsd-inject", [...args, "-text", m.text], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gammu-smsd-inject: ${r.stderr}${r.stdout}`);
}

/**
 * One Gammu SMSD per tty, each with its own spool under dir/gammu<k>; message i goes to daemon
 * i mod n. `sharedOutbox` points every daemon at one spool instead, to show what that does.
 * Several daemons run under one `sh` so that the process tree (and its CPU) is one.
 */
export function gammuSmsd(
  dir: string,
  ttys: readonly string[],
  messages: readonly Msg[],
  sharedOutbox = false,
): Launch {
  const rcs = ttys.map((tty, k) =>
    ttys.length === 1
      ? gammuConfig(dir, tty)
      : gammuConfig(join(dir, `gammu${k}`), tty, sharedOutbox ? dir : undefined),
  );
  messages.forEach((m, i) => {
    inject(rcs[sharedOutbox ? 0 : i % rcs.length] as string, m);
  });
  if (rcs.length === 1) return { cmd: "gammu-smsd", args: ["-c", rcs[0] as string] };
  const script = `${rcs.map((rc) => `gammu-smsd -c '${rc}' &`).join(" ")} wait`;
  return { cmd: "sh", args: ["-c", script] };
}

/** Gammu's SQLite schema, as Debian ships it (gammu-smsd's examples). */
const GAMMU_SQLITE_SCHEMA = "/usr/share/doc/gammu-smsd/examples/sqlite.sql";

/** Why Gammu's SQL backend cannot run here (null when it can): it needs libdbi's SQLite driver. */
export function gammuSqlMissing(): string | null {
  if (!existsSync(GAMMU_SQLITE_SCHEMA)) return `${GAMMU_SQLITE_SCHEMA} missing (package gammu-smsd)`;
  const driver = spawnSync("sh", ["-c", "ls /usr/lib/*/dbd/libdbdsqlite3.so"], { encoding: "utf8" });
  return driver.status === 0 ? null : "libdbi's SQLite driver missing (package libdbd-sqlite3)";
}

/**
 * One Gammu SMSD per tty on one shared SQL database (dir/smsd.db), PhoneID gsm<k>; every message
 * injected once, without a SenderID, so that any daemon may send it.
 */
export function gammuSmsdSql(dir: string, ttys: readonly string[], messages: readonly Msg[]): Launch {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, "smsd.db"));
  db.exec(readFileSync(GAMMU_SQLITE_SCHEMA, "utf8"));
  db.close();
  const backend = `service = sql\ndriver = sqlite3\nsql = sqlite\ndbdir = ${dir}/\ndatabase = smsd.db\n`;
  const tuned =
    "checksecurity = 0\ncheckbattery = 0\ncheckSignal = 0\nreceivefrequency = 0\nstatusfrequency = 0\nloopsleep = 0\ncommtimeout = 0\n";
  const injectRc = join(dir, "inject-smsdrc");
  // gammu-smsd-inject refuses a config without a [gammu] section, though it opens no device.
  writeFileSync(
    injectRc,
    `[gammu]\ndevice = ${ttys[0]}\n[smsd]\n${backend}logfile = ${join(dir, "inject.log")}\n`,
  );
  for (const m of messages) inject(injectRc, m);
  const rcs = ttys.map((tty, k) => {
    const rc = join(dir, `smsdrc${k}`);
    writeFileSync(
      rc,
      `[gammu]\ndevice = ${tty}\nconnection = at115200\n[smsd]\n${backend}phoneid = gsm${k}\n` +
        `logfile = ${join(dir, `smsd${k}.log`)}\n${tuned}`,
    );
    return rc;
  });
  return { cmd: "sh", args: ["-c", `${rcs.map((rc) => `gammu-smsd -c '${rc}' &`).join(" ")} wait`] };
}

/** One smsd with a device section per tty; every message dropped (write, then rename) into one spool. */
export function smstools(dir: string, ttys: readonly string[], messages: readonly Msg[]): Launch {
  const p = (d: string) => join(dir, d);
  for (const d of ["outgoing", "checked", "incoming", "failed", "sent"]) mkdirSync(p(d), { recursive: true });
  const names = ttys.map((_, k) => `GSM${k + 1}`);
  const conf = p("smsd.conf");
  writeFileSync(
    conf,
    `devices = ${names.join(",")}\noutgoing = ${p("outgoing")}\nchecked = ${p("checked")}\nincoming = ${p("incoming")}\n` +
      `failed = ${p("failed")}\nsent = ${p("sent")}\nlogfile = ${p("smsd.log")}\nloglevel = 5\ninfofile = ${p("smsd.working")}\n` +
      `pidfile = ${p("smsd.pid")}\nstats =\nautosplit = 3\ndelaytime = 1\ndelaytime_mainprocess = 1\nblocktime = 1\n` +
      names.map((n, k) => `\n[${n}]\ndevice = ${ttys[k]}\nincoming = no\nbaudrate = 115200\n`).join(""),
  );
  messages.forEach((m, i) => {
    writeFileSync(p(`m${i}.tmp`), `To: ${m.to.slice(1)}\nAlphabet: UTF-8\n\n${m.text}`);
    renameSync(p(`m${i}.tmp`), join(p("outgoing"), `m${i}`));
  });
  return { cmd: "/usr/sbin/smsd", args: ["-c", conf, "-t"] };
}
