/**
 * The daemon the crash loop kills: the gateway exactly as `smsgw start` composes it
 * (src/gateway.ts: store, engine, modem supervisors on the serial ports, HTTP API), with one change:
 * each SIM's rate and caps are lifted far above what the configuration schema allows (at most
 * 60 messages a minute per SIM), so that thousands of messages cross two simulated modems in minutes
 * rather than hours. Nothing in the crash-safety path (leases, attempt mark, recovery, ingest,
 * acknowledgement) depends on those limits.
 * Prints "READY <url>" on stderr once the API listens; SIGTERM stops it gracefully (exit 0).
 * Usage: node --import tsx bench/crash-loop/daemon.ts <config.toml>
 */
import { systemClock } from "../../src/clock.js";
import { loadConfig } from "../../src/config/index.js";
import { createGateway } from "../../src/gateway.js";
import { createLogger } from "../../src/log.js";

const path = process.argv[2];
if (!path) throw new Error("usage: daemon.ts <config.toml>");
const loaded = loadConfig(path, { env: process.env });
const LIFTED = 1_000_000;
const config = {
  ...loaded,
  modems: loaded.modems.map((m) => ({
    ...m,
    max_per_minute: LIFTED,
    max_per_day: LIFTED,
    max_distinct_recipients_30d: LIFTED,
  })),
};
const log = createLogger({ level: config.logging.level, includeContent: false });
const gateway = createGateway(config, { clock: systemClock, log, env: process.env });
process.once("SIGTERM", () => {
  void gateway.stop().then(() => {
    log.flush();
    process.exit(0);
  });
});
const started = await gateway.start();
process.stderr.write(`READY ${started.url}\n`);
