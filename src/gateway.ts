/**
 * Composition root: config → store → engine → modems → HTTP (+ webhooks, metrics). Everything is
 * built here by constructor injection; nothing reads a global. The entry (cli/start.ts) owns the
 * process: signals, sd_notify, exit codes.
 *
 *   createGateway(config, host).start()   DB open, HTTP listening, supervisors opening modems,
 *                                          retention jobs scheduled ([retention])
 *   stop()                                 ordered, idempotent (the same promise on every call):
 *     1. HTTP stops accepting (grace period, then remaining connections are cut)
 *     2. retention jobs stop (a run in progress ends after its current batch)
 *     3. engine stops leasing; a submission already started finishes within its AT timeout
 *     4. supervisors stop the modems (URC handlers, channels, transports)
 *     5. webhook worker stops (attempts in flight finish), metrics unsubscribe
 *     6. WAL checkpoint, DB closed
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Clock } from "./clock.js";
import { type Config, ensureGeneratedApiKey, type GeneratedKey } from "./config/index.js";
import { inTxEnqueuer } from "./conversation/enqueue-in-tx.js";
import { createKeywordHook } from "./conversation/hook.js";
import { registerPepper } from "./conversation/pepper-hash.js";
import { Engine } from "./engine/index.js";
import {
  apiKeysFrom,
  complianceFrom,
  engineConfigFrom,
  keywordHookConfigFrom,
  pepperFrom,
  retentionPolicyFrom,
  simNumbers,
  webhooksFrom,
} from "./gateway-config.js";
import { createModemFleet, type FleetOptions, type ModemFleet } from "./gateway-modems.js";
import type { RunningServer } from "./http/serve.js";
import { createHttpStack, type HttpStack } from "./http/stack.js";
import type { Logger } from "./log.js";
import { registerHostPowerMetrics } from "./metrics/metrics.js";
import { PowerProbe } from "./platform/power-probe.js";
import { RetentionRunner } from "./retention/runner.js";
import { openDb } from "./store/db.js";

export interface GatewayHost {
  readonly clock: Clock;
  /** Root logger (created by the entry with the configured level and redaction). */
  readonly log: Logger;
  /** For secret references ({ env = … }, $CREDENTIALS_DIRECTORY). */
  readonly env: NodeJS.ProcessEnv;
  /** Reported by /health and the OpenAPI document. */
  readonly version?: string;
  /** Overrides the transport of a port URL (tests). */
  readonly transport?: FleetOptions["transport"];
}

export interface StartedGateway {
  /** "http://127.0.0.1:8080". */
  readonly url: string;
  /** The key generated into data_dir when [api] lists none; undefined otherwise. */
  readonly generatedKey: GeneratedKey | undefined;
}

export interface Gateway {
  readonly engine: Engine;
  readonly fleet: ModemFleet;
  readonly http: HttpStack;
  /** The retention jobs; undefined when `[retention] enabled = false`. */
  readonly retention: RetentionRunner | undefined;
  /** Key of the erasure hashes (`pepperFrom`), for the GDPR erasure service. Never log it. */
  readonly pepper: Buffer;
  start(signal?: AbortSignal): Promise<StartedGateway>;
  stop(): Promise<void>;
}

/** Builds every component; opens the DB and reads secrets (throws ConfigError/SecretError early). */
export function createGateway(config: Config, host: GatewayHost): Gateway {
  const log = host.log;
  mkdirSync(config.data_dir, { recursive: true, mode: 0o750 });
  const generatedKey = config.api.keys.length === 0 ? ensureGeneratedApiKey(config.data_dir) : undefined;
  const apiKeys = generatedKey
    ? [{ name: "generated", key: generatedKey.key, scopes: ["admin" as const] }]
    : apiKeysFrom(config, host.env);
  const webhooks = webhooksFrom(config, host.env);
  // Read (or generated) now: a missing pepper credential is a configuration error before READY, and
  // the generated one exists from the first start, before any hash depends on it.
  const pepper = pepperFrom(config, host.env);

  mkdirSync(dirname(config.database.path), { recursive: true, mode: 0o750 });
  const db = openDb({ path: config.database.path });
  // From the first statement on, the send policy honours opt-outs kept as hashes after an erasure
  // (GDPR art. 21(3)); the contacts service registers the same pepper when it is built.
  registerPepper(db, pepper);
  const engineConfig = engineConfigFrom(config);
  // STOP/START/HELP run inside the ingest transaction (architecture §2.3), so the hook is the
  // engine's, not a listener added after the fact.
  const keywordHook = createKeywordHook(keywordHookConfigFrom(config), {
    enqueueInTx: inTxEnqueuer({
      defaultCountry: config.business.default_country,
      virtualNumbers: simNumbers(config),
    }),
    wake: () => engine.wake(),
  });
  // The lease transaction re-checks every part against this policy, and the HTTP messages service
  // enqueues through CompliantSender with it (engine.compliance).
  const engine: Engine = new Engine({
    db,
    clock: host.clock,
    config: engineConfig,
    keywordHook,
    compliance: complianceFrom(config, host.clock),
  });
  const detachMetrics = new Map<string, () => void>();
  // Pi under-voltage resets the USB modems (src/platform/throttled.ts); no timer when not a Pi.
  const power = new PowerProbe({ clock: host.clock, log: log.child({ component: "power" }) });
  const fleet = createModemFleet({
    config,
    clock: host.clock,
    log,
    env: host.env,
    onModem: (modem, name, raw) => {
      const mc = config.modems.find((m) => m.id === name);
      if (mc)
        engine.setModemLimits(modem.id, {
          ratePerMinute: mc.max_per_minute,
          dailyCap: mc.max_per_day,
          distinctRecipientsCap: mc.max_distinct_recipients_30d,
        });
      engine.addModem(modem);
      // A recreated Modem replaces the previous one's metrics feed under the same name.
      detachMetrics.get(name)?.();
      detachMetrics.set(name, http.attachModem(name, raw));
    },
    ...(host.transport && { transport: host.transport }),
    downNote: () => power.logNote(),
  });
  const http = createHttpStack({
    engine,
    power,
    apiKeys,
    webhooks,
    listen: config.http.listen,
    publicHealth: config.http.public_health,
    clock: host.clock,
    pepper,
    idempotencyTtlMs: config.retention.idempotency_hours * 3_600_000,
    ...(host.version !== undefined && { version: host.version }),
    modems: {
      names: fleet.names,
      live: (id) => fleet.live(id),
      reset: (id) => fleet.reset(id),
      simulated: (id) => fleet.simulated(id),
    },
    sims: fleet.sims,
    onUnexpectedError: (err, info) => log.error({ err, ...info }, "unexpected error in an HTTP handler"),
  });

  // GDPR art. 5(1)(e): bodies, then rows, then housekeeping tables, on the engine's connection in
  // small transactions (src/retention/runner.ts).
  const retention = config.retention.enabled
    ? new RetentionRunner({
        db,
        clock: host.clock,
        policy: retentionPolicyFrom(config),
        intervalMs: config.retention.interval_minutes * 60_000,
        log: log.child({ component: "retention" }),
        bus: engine.bus,
        onReport: (r) => http.metrics.retentionRun(r),
      })
    : undefined;

  let server: RunningServer | undefined;
  let stopping: Promise<void> | undefined;

  async function stopAll(): Promise<void> {
    const step = async (name: string, fn: () => Promise<void> | void) => {
      const t0 = Date.now();
      try {
        await fn();
        log.debug({ step: name, ms: Date.now() - t0 }, "shutdown step done");
      } catch (err) {
        log.error({ err, step: name }, "shutdown step failed; continuing");
      }
    };
    await step("http", () => server?.close());
    await step("retention", () => retention?.stop());
    await step("engine", () => engine.stop());
    await step("modems", () => fleet.stop());
    power.stop();
    for (const detach of detachMetrics.values()) detach();
    await step("webhooks", () => http.stop());
    await step("database", () => {
      if (!db.open) return;
      // Fold the WAL into the main file so the DB is one self-contained file after a clean stop.
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.close();
    });
  }

  const gateway: Gateway = {
    engine,
    fleet,
    http,
    retention,
    pepper,
    async start(signal) {
      const recovered = engine.start();
      if (recovered.requeued > 0 || recovered.unknown > 0)
        log.warn(recovered, "recovered leases left by a previous process");
      server = await http.start();
      fleet.start();
      retention?.start();
      if (await power.start()) registerHostPowerMetrics(http.metrics.registry, power);
      signal?.addEventListener("abort", () => void gateway.stop(), { once: true });
      log.info({ url: server.url, modems: fleet.supervisors.size }, "gateway started");
      return { url: server.url, generatedKey };
    },
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
  return gateway;
}
