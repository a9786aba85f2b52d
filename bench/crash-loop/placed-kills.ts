/**
 * Kills placed on purpose, on their own modems and data directory, to show windows that random
 * kills only hit now and then. The API window is in api-window.ts. The +CNMA window: the daemon
 * is SIGKILLed right after the SIM800 wrote a +CMT (direct delivery, +CSMS=1) and before any
 * AT+CNMA. The modem's acknowledgement timer keeps running (15 s in the simulator; 27.005 §3.4.4:
 * on expiry the modem sets <mt> and <ds> to 0 and the network retries later). The next life is
 * started at once and sets +CNMI in its init; the question is whether messages arriving after the
 * timer fired are stored by that life.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { type ApiWindow, apiWindow, describeApiWindow } from "./api-window.js";
import { freePort, killDaemon, modemsReady, startDaemon, stopDaemon } from "./daemon-process.js";
import { MODEMS, serveSims, simBacklog, simRouting } from "./sims.js";

export interface CnmaWindow {
  readonly routingAfterRestart: string;
  readonly routingLater: string;
  /** Messages injected after the timer fired, and how many of them the gateway stored. */
  readonly injected: number;
  readonly stored: number;
  readonly unreadOnSim: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function placedKills(): Promise<{ cnma: CnmaWindow; api: ApiWindow }> {
  const work = mkdtempSync(join(tmpdir(), "smsgw-cnma-window-"));
  const ptyDir = mkdtempSync("/dev/shm/smsgw-cnma-window-");
  const sims = await serveSims(ptyDir);
  const port = await freePort();
  const key = `cl_${Math.random().toString(36).slice(2)}window`;
  writeFileSync(join(work, "api-key"), `${key}\n`, { mode: 0o600 });
  mkdirSync(join(work, "data"));
  const config = join(work, "smsgw.toml");
  writeFileSync(
    config,
    [
      "version = 1",
      `data_dir = "${join(work, "data")}"`,
      `[http]\nlisten = "127.0.0.1:${port}"`,
      `[logging]\nlevel = "warn"`,
      `[business]\nname = "Crash Loop"`,
      `[api]\nkeys = [{ name = "bench", key = { file = "${join(work, "api-key")}" }, scopes = ["admin"] }]`,
      ...MODEMS.map((m, i) => `[[modems]]\nid = "${m.id}"\nport = "${sims.ttys[i]}"`),
    ].join("\n\n"),
  );
  const url = `http://127.0.0.1:${port}`;
  const log = join(work, "daemon.log");
  const sim800 = sims.sims[0];
  if (!sim800) throw new Error("no SIM800");
  try {
    let life = startDaemon(config, log, 0);
    await modemsReady(url, key, MODEMS.length);
    const seen = sim800.modem.inbound.history.length;
    sim800.inject({ from: "+33651999001", text: "in#9001 before the kill" });
    while (sim800.modem.inbound.history.length === seen) await new Promise((r) => setImmediate(r));
    await killDaemon(life); // the +CMT is on the line, no AT+CNMA can follow
    const killedAt = Date.now();
    life = startDaemon(config, log, 1);
    await modemsReady(url, key, MODEMS.length);
    const routingAfterRestart = simRouting(sims.sims);
    await sleep(Math.max(0, 17_000 - (Date.now() - killedAt)));
    const routingLater = simRouting(sims.sims);
    const injected = 3;
    for (let k = 2; k < 2 + injected; k++)
      sim800.inject({ from: `+3365199900${k}`, text: `in#900${k} after the timer` });
    await sleep(5000);
    const db = new Database(join(work, "data", "smsgw.db"), { readonly: true });
    const stored = (
      db.prepare("SELECT COUNT(*) AS n FROM inbound_messages WHERE text LIKE '%after the timer'").get() as {
        n: number;
      }
    ).n;
    db.close();
    const unreadOnSim = simBacklog(sims.sims).unread;
    const api = await apiWindow({
      life,
      config,
      logFile: log,
      dbPath: join(work, "data", "smsgw.db"),
      url,
      apiKey: key,
    });
    await stopDaemon(api.life);
    return { cnma: { routingAfterRestart, routingLater, injected, stored, unreadOnSim }, api: api.result };
  } finally {
    await sims.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(ptyDir, { recursive: true, force: true });
  }
}

export function describePlacedKills(p: { cnma: CnmaWindow; api: ApiWindow }): string {
  return `${describeCnmaWindow(p.cnma)}\n\n${describeApiWindow(p.api)}`;
}

function describeCnmaWindow(w: CnmaWindow): string {
  return (
    "Placed kill (bench/crash-loop/placed-kills.ts): SIGKILL right after the SIM800 wrote a +CMT, before AT+CNMA; " +
    `restart at once. Routing once the next life was up: ${w.routingAfterRestart}; 17 s after the kill: ${w.routingLater}. ` +
    `Of ${w.injected} messages sent to the SIM800 after that, ${w.stored} were stored by the running gateway; ` +
    `${w.unreadOnSim} message(s) sat unread in SIM storage.`
  );
}
