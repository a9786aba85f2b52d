/**
 * Everything HTTP-side wired on the real engine, for the composition root:
 *
 *   const http = createHttpStack({ engine, apiKeys, webhooks, listen: cfg.http.listen, ... });
 *   await http.start();   // webhook worker + socket
 *   await http.stop();    // stop accepting, wait in-flight requests and webhook attempts
 *
 * Tables it adds next to the engine's (IF NOT EXISTS): http_idempotency, webhook_deliveries,
 * webhook_endpoint_state, webhook_fanout.
 */
import { type Clock, systemClock } from "../clock.js";
import { createContactsService } from "../conversation/contacts-service.js";
import { createConversationsService, engineReplyPort } from "../conversation/conversations-service.js";
import type { Engine } from "../engine/index.js";
import type { EventBus, GatewayEvents } from "../events.js";
import { metricsEventsFromBus } from "../metrics/engine-events.js";
import { createMetrics, type Metrics } from "../metrics/metrics.js";
import { ModemOutcomeTap, mergeSources, type OutcomeEmitter } from "../metrics/modem-events.js";
import { segmentPreview } from "../pdu/index.js";
import type { PowerSource } from "../platform/power-probe.js";
import type { SimControl as SimDevice } from "../sim/index.js";
import { endpointsFromConfig, type GatewayWebhookEntry } from "../webhooks/config.js";
import { sqliteOutboxSource } from "../webhooks/sqlite-outbox.js";
import { WebhookStore } from "../webhooks/store.js";
import { WebhookWorker } from "../webhooks/worker.js";
import { engineHealth, engineMessages, engineModems, identityNames, type ModemControl } from "./adapters.js";
import { type App, type AppOptions, createApp } from "./app.js";
import { hashKeys, type Scope } from "./auth.js";
import { createSqliteIdempotencyStore } from "./idempotency-store.js";
import { type RunningServer, serveApp } from "./serve.js";
import { simControl } from "./sim-adapter.js";

export interface HttpStackOptions {
  readonly engine: Engine;
  /** Resolved (plain) keys from [api]; hashed here. */
  readonly apiKeys: readonly { name: string; key: string; scopes: readonly Scope[] }[];
  readonly webhooks?: readonly GatewayWebhookEntry[];
  /** "host:port" or "[v6]:port", default "127.0.0.1:8080". */
  readonly listen?: string;
  /** /livez, /readyz, /health and /metrics without a key (config http.public_health), default true. */
  readonly publicHealth?: boolean;
  readonly version?: string;
  readonly clock?: Clock;
  readonly modems?: ModemControl;
  /** Simulated modems by configured name: mounts /v1/sim. */
  readonly sims?: ReadonlyMap<string, SimDevice>;
  readonly onUnexpectedError?: AppOptions["onUnexpectedError"];
  readonly onRequest?: AppOptions["onRequest"];
  /**
   * Key of the GDPR erasure hashes ([privacy] pepper): mounts /v1/contacts. Without it the contacts
   * API is absent, since an erasure could not keep the opt-out it must keep (GDPR art. 21(3)).
   */
  readonly pepper?: Buffer;
  /** How long an Idempotency-Key answer is kept ([retention] idempotency_hours), default 24 h. */
  readonly idempotencyTtlMs?: number;
  /** Webhook worker errors (database unavailable…); it keeps running. */
  readonly onWebhookError?: (err: unknown) => void;
  /** The Pi's power state: a "host:power" check in /health (absent when not a Pi). */
  readonly power?: PowerSource;
}

export interface HttpStack {
  readonly app: App;
  readonly webhooks: WebhookWorker;
  readonly metrics: Metrics;
  /** Feed part-level metrics from a modem under its configured name; returns the detach function. */
  attachModem(name: string, modem: OutcomeEmitter): () => void;
  start(): Promise<RunningServer>;
  stop(): Promise<void>;
}

export function parseListen(listen: string): { hostname: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  if (!m) throw new TypeError(`listen must be host:port, got "${listen}"`);
  return { hostname: m[1] ?? m[2] ?? "127.0.0.1", port: Number(m[3]) };
}

export function createHttpStack(o: HttpStackOptions): HttpStack {
  const clock = o.clock ?? systemClock;
  const names = o.modems?.names ?? identityNames;
  const { engine } = o;
  // The worker reports outcomes to the metrics, which read the worker's endpoint health: tie the knot late.
  let onOutcome: Metrics["webhookOutcome"] = () => {};
  const webhooks = new WebhookWorker({
    store: new WebhookStore(engine.db),
    outbox: sqliteOutboxSource(engine.db),
    endpoints: endpointsFromConfig(o.webhooks ?? []),
    clock,
    onOutcome: (ep, outcome) => onOutcome(ep, outcome),
    ...(o.onWebhookError && { onError: o.onWebhookError }),
  });
  const modems = engineModems(engine, o.modems);
  const tap = new ModemOutcomeTap();
  const health = engineHealth(engine, names);
  const metrics = createMetrics({
    modems,
    health,
    webhooks,
    sendLatency: tap,
    events: mergeSources(metricsEventsFromBus(engine.bus as EventBus<GatewayEvents>, names.nameOf), tap),
  });
  onOutcome = metrics.webhookOutcome;
  const app = createApp(
    {
      messages: engineMessages(engine, names),
      modems,
      health,
      preview: segmentPreview,
      idempotency: createSqliteIdempotencyStore(
        engine.db,
        o.idempotencyTtlMs !== undefined ? { ttlMs: o.idempotencyTtlMs } : {},
      ),
      webhooks,
      metrics,
      ...(o.power && { power: o.power }),
      ...(o.sims && o.sims.size > 0 && { sim: simControl(o.sims, engine, names.idOf) }),
      conversations: createConversationsService({
        db: engine.db,
        bus: engine.bus as EventBus<GatewayEvents>,
        port: engineReplyPort(engine),
        clock,
        modemName: names.nameOf,
      }),
      ...(o.pepper && {
        contacts: createContactsService({
          db: engine.db,
          pepper: o.pepper,
          now: () => clock.now(),
          recipient: (n) => engine.recipient(n),
          bus: engine.bus as EventBus<GatewayEvents>,
        }),
      }),
    },
    {
      apiKeys: hashKeys(o.apiKeys),
      // One knob for the operational endpoints: metrics carry no numbers or bodies either.
      public: { health: o.publicHealth ?? true, metrics: o.publicHealth ?? true },
      now: () => clock.now(),
      ...(o.version !== undefined && { version: o.version }),
      ...(o.onUnexpectedError && { onUnexpectedError: o.onUnexpectedError }),
      ...(o.onRequest && { onRequest: o.onRequest }),
    },
  );
  // The worker polls the outbox every 30 s when idle; a commit that wrote a row wakes it at once, so a
  // webhook leaves within milliseconds of the SMS being stored instead of up to a poll later.
  const offWake = (engine.bus as EventBus<GatewayEvents>).on("outbox.written", () => webhooks.wake());
  let server: RunningServer | undefined;
  return {
    app,
    webhooks,
    metrics,
    attachModem: (name, modem) => tap.attach(name, modem),
    async start() {
      webhooks.start();
      server = await serveApp(app, parseListen(o.listen ?? "127.0.0.1:8080"));
      return server;
    },
    async stop() {
      await server?.close();
      offWake();
      await webhooks.stop();
      metrics.close();
    },
  };
}
