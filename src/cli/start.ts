/**
 * `smsgw start [--config FILE]`: the daemon. Owns the process: config → root logger → gateway →
 * sd_notify READY → signals → ordered stop → exit code (docs/exit-codes.md).
 *
 * Human output (where the API is, the generated key, a curl example) goes to stderr; stdout carries
 * the JSON log lines only, so journald and `| jq` see nothing else there.
 */

import { systemClock } from "../clock.js";
import { ConfigError, loadConfig, resolveConfigPath, SecretError } from "../config/index.js";
import { createGateway, type Gateway } from "../gateway.js";
import { createLogger, type Logger } from "../log.js";
import { SdNotify } from "../platform/sd-notify.js";
import { startWatchdog } from "../platform/watchdog.js";
import { type CliIo, type CommandSpec, processIo, runCommand } from "./args.js";
import { banner, tryIt } from "./start-banner.js";
import { packageVersion } from "./version.js";

export const EXIT = { ok: 0, fatal: 1, usage: 2, forced: 130, config: ConfigError.EXIT_CODE } as const;

/** Longest a graceful stop may take before the process exits 1 anyway: below TimeoutStopSec=45 of
 * systemd/smsgw.service, so the exit is ours (logged, flushed) rather than systemd's SIGKILL. */
const SHUTDOWN_DEADLINE_MS = 40_000;

const spec: CommandSpec = {
  command: "smsgw start",
  synopsis: ["[--config FILE]"],
  summary:
    "Run the gateway. Without --config: $SMSGW_CONFIG, else /etc/smsgw/smsgw.toml, else the bundled " +
    "config/default.toml (two simulated modems, data in ./data, API on 127.0.0.1:8080).",
  options: {
    config: { type: "string", short: "c", value: "FILE", description: "configuration file (TOML)" },
  },
  notes: [
    "Stops gracefully on SIGTERM or SIGINT; a second SIGINT exits at once (130).",
    "Exit status: 0 clean stop, 1 runtime or startup failure, 2 usage, 78 configuration error.",
  ],
};

export async function run(args: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand(spec, args, io, async (p) => {
    if (p.positionals.length > 0) {
      io.stderr.write(`smsgw start: unexpected argument '${p.positionals[0]}'\n`);
      return EXIT.usage;
    }
    return daemon(resolveConfigPath(p.string("config"), process.env), io);
  });
}

async function daemon(path: string, io: CliIo): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(path, { env: process.env });
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr.write(`smsgw start: ${e.message}\n`);
      return EXIT.config;
    }
    throw e;
  }
  const log = createLogger({
    level: config.logging.level,
    includeContent: config.logging.include_content,
  });
  const notify = new SdNotify({ log: log.child({ mod: "sd-notify" }) });
  let gateway: Gateway;
  try {
    gateway = createGateway(config, {
      clock: systemClock,
      log,
      env: process.env,
      version: packageVersion(),
    });
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SecretError) {
      io.stderr.write(`smsgw start: ${path}: ${e.message}\n`);
      return EXIT.config;
    }
    log.fatal({ err: e }, "cannot start");
    io.stderr.write(`smsgw start: cannot start: ${(e as Error).message}\n`);
    return EXIT.fatal;
  }
  return supervise(gateway, { path, log, notify, io, modems: config.modems.length });
}

interface SuperviseOptions {
  readonly path: string;
  readonly log: Logger;
  readonly notify: SdNotify;
  readonly io: CliIo;
  readonly modems: number;
}

/** Runs the started gateway until a signal or a fatal error; resolves with the exit code. */
function supervise(gateway: Gateway, o: SuperviseOptions): Promise<number> {
  const { log, notify } = o;
  return new Promise<number>((resolveExit) => {
    let exiting = false;
    let stopWatchdog = () => {};
    const detach: (() => void)[] = [];
    // biome-ignore lint/suspicious/noExplicitAny: process.on's listener types differ per event.
    const on = (event: string, fn: (...a: any[]) => void) => {
      process.on(event as "SIGTERM", fn);
      detach.push(() => process.off(event as "SIGTERM", fn));
    };
    const finish = async (code: number) => {
      stopWatchdog();
      for (const d of detach) d();
      log.flush();
      await notify.flush();
      resolveExit(code);
    };
    const shutdown = (why: string, code: number) => {
      if (exiting) return;
      exiting = true;
      log.info({ why }, "stopping");
      void notify.stopping();
      void notify.status(`stopping (${why})`);
      const deadline = setTimeout(() => {
        log.fatal({ deadlineMs: SHUTDOWN_DEADLINE_MS }, "shutdown did not finish in time; exiting");
        log.flush();
        process.exit(EXIT.fatal);
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      void gateway.stop().then(() => {
        clearTimeout(deadline);
        log.info({ code }, "stopped");
        return finish(code);
      });
    };
    const fatal = (what: string) => (err: unknown) => {
      log.fatal({ err }, what);
      o.io.stderr.write(`smsgw: ${what}: ${(err as Error)?.stack ?? String(err)}\n`);
      // The process state is unknown after an uncaught error: stop what can be stopped, exit 1.
      if (exiting) {
        log.flush();
        process.exit(EXIT.fatal);
      }
      shutdown(what, EXIT.fatal);
    };
    on("SIGTERM", () => shutdown("SIGTERM", EXIT.ok));
    on("SIGINT", () => {
      if (exiting) {
        // Second Ctrl-C (zwave-js-server): the operator does not want to wait.
        log.warn("second SIGINT: exiting without waiting for the graceful stop");
        log.flush();
        process.exit(EXIT.forced);
      }
      shutdown("SIGINT", EXIT.ok);
    });
    on("uncaughtException", fatal("uncaught exception"));
    on("unhandledRejection", fatal("unhandled promise rejection"));

    gateway.start().then(
      (started) => {
        const info = {
          url: started.url,
          configPath: o.path,
          generatedKey: started.generatedKey,
          sims: [...gateway.fleet.sims].map(([name, s]) => ({ name, msisdn: s.msisdn })),
        };
        o.io.stderr.write(banner(info));
        const waiting = new Set(gateway.fleet.sims.keys());
        for (const name of waiting)
          gateway.fleet.supervisors.get(name)?.once("modem", () => {
            waiting.delete(name);
            if (waiting.size === 0 && !exiting) o.io.stderr.write(tryIt(info));
          });
        void notify.ready(`API on ${started.url}; waiting for ${o.modems} modem(s)`);
        stopWatchdog = startWatchdog(notify, { log });
        const ready = new Set<string>();
        const off = gateway.engine.bus.on("modem.state", (e) => {
          if (e.state === "ready") ready.add(e.id);
          else ready.delete(e.id);
          void notify.status(`${ready.size}/${o.modems} modem(s) ready; API on ${started.url}`);
        });
        detach.push(off);
      },
      (err: unknown) => {
        log.fatal({ err }, "cannot start");
        o.io.stderr.write(`smsgw start: cannot start: ${(err as Error).message}\n`);
        exiting = true;
        void gateway.stop().then(() => finish(EXIT.fatal));
      },
    );
  });
}
