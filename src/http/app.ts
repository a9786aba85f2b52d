/**
 * createApp(deps, options): the whole HTTP API as a Hono app, without a socket (serve.ts opens
 * one). Tests call `app.request()`.
 *
 *   request ─► requestId ─► refuse dot segments (400) ─► bodyLimit
 *     ├► public: /livez /readyz /health /metrics /openapi.json /docs
 *     └► /v1/*: authenticate ─► idempotency ─► routes (scope checks)
 *   any throw ─► onError ─► RFC 9457 problem (ProblemError / ServiceError) or logged 500
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import type { ContactsService } from "../conversation/contacts-service.js";
import type { ConversationsService } from "../conversation/conversations-service.js";
import type { Metrics } from "../metrics/metrics.js";
import type { PowerSource } from "../platform/power-probe.js";
import { type ApiKeyConfig, type AuthVariables, authenticate, createKeyVerifier } from "./auth.js";
import { bodyLimit } from "./body-limit.js";
import type {
  HealthSource,
  MessagesService,
  ModemsService,
  SegmentPreviewFn,
  SimControl,
  WebhooksAdmin,
} from "./deps.js";
import { DOCS_HTML } from "./docs-page.js";
import { type DotSegmentVariables, refuseDotSegments } from "./dot-segments.js";
import { notFound, onError } from "./errors.js";
import { type IdempotencyStore, type IdempotencyVariables, idempotency } from "./idempotency.js";
import { accessLogPath, redactPath } from "./log-path.js";
import { buildOpenApi } from "./openapi.js";
import { contactsRoutes } from "./routes/contacts.js";
import { conversationsRoutes } from "./routes/conversations.js";
import { encodingRoutes } from "./routes/encoding.js";
import { healthRoutes } from "./routes/health.js";
import { messagesRoutes } from "./routes/messages.js";
import { modemsRoutes } from "./routes/modems.js";
import { simRoutes } from "./routes/sim.js";
import { webhooksRoutes } from "./routes/webhooks.js";

export interface AppDeps {
  /** The Pi's power state for /health's "host:power" check (src/platform/power-probe.ts). */
  readonly power?: PowerSource;
  readonly messages: MessagesService;
  readonly modems: ModemsService;
  readonly health: HealthSource;
  readonly preview: SegmentPreviewFn;
  readonly idempotency: IdempotencyStore;
  readonly sim?: SimControl;
  readonly webhooks?: WebhooksAdmin;
  readonly metrics?: Metrics;
  /** Mounts /v1/conversations (the agents' inbox). */
  readonly conversations?: ConversationsService;
  /** Mounts /v1/contacts (contacts, consent ledger, GDPR export and erasure). */
  readonly contacts?: ContactsService;
}

export interface AppOptions {
  readonly apiKeys: readonly ApiKeyConfig[];
  /** Which operational endpoints answer without a token; each defaults to true. */
  readonly public?: { readonly health?: boolean; readonly metrics?: boolean; readonly docs?: boolean };
  /** Request body limit in bytes, default 1 MiB (larger → 413). */
  readonly maxBodyBytes?: number;
  readonly version?: string;
  readonly now?: () => number;
  /** Called for errors that became a 500 (a bug, never bad input). */
  readonly onUnexpectedError?: (
    err: unknown,
    info: { method: string; path: string; requestId: string },
  ) => void;
  /**
   * One call per request, after the response. The path is given without its query string, which
   * may carry a phone number (`?contact=`); message ids in the path are not personal data.
   */
  readonly onRequest?: (entry: AccessLogEntry) => void;
}

export interface AccessLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly requestId: string;
  /** API key name, undefined for public endpoints and failed authentication. */
  readonly key: string | undefined;
}

type Env = {
  Variables: AuthVariables & IdempotencyVariables & DotSegmentVariables & { requestId: string };
};

export function createApp(deps: AppDeps, options: AppOptions) {
  const now = options.now ?? Date.now;
  const pub = { health: true, metrics: true, docs: true, ...options.public };
  const version = options.version ?? "0.0.0";
  // Env extends the auth variables, so the narrower middleware type is safe here.
  const auth = authenticate({
    verify: createKeyVerifier(options.apiKeys),
  }) as unknown as MiddlewareHandler<Env>;
  const authUnless = (isPublic: boolean): MiddlewareHandler<Env> => (isPublic ? (_c, next) => next() : auth);

  const app = new Hono<Env>();
  app.onError(
    onError((err, c: Context<Env>) =>
      options.onUnexpectedError?.(err, {
        method: c.req.method,
        path: redactPath(c.req.path),
        requestId: c.get("requestId"),
      }),
    ),
  );
  app.notFound(notFound);
  app.use("*", requestId());
  const onRequest = options.onRequest;
  if (onRequest) {
    app.use("*", async function accessLog(c, next) {
      const t0 = performance.now();
      await next();
      onRequest({
        method: c.req.method,
        path: c.get("logPath") ?? accessLogPath(c),
        status: c.res.status,
        durationMs: Math.round((performance.now() - t0) * 10) / 10,
        requestId: c.get("requestId"),
        key: c.get("principal")?.name,
      });
    });
  }
  // Before authentication and routing: the route hono chose is the resolved path's (dot-segments.ts).
  app.use("*", refuseDotSegments());
  app.use("*", bodyLimit({ maxBytes: options.maxBodyBytes ?? 1024 * 1024 }));

  for (const p of ["/livez", "/readyz", "/health"]) app.use(p, authUnless(pub.health));
  app.route(
    "/",
    healthRoutes({
      health: deps.health,
      modems: deps.modems,
      version,
      now,
      ...(deps.power && { power: deps.power }),
    }),
  );

  const metrics = deps.metrics;
  if (metrics) {
    app.get("/metrics", authUnless(pub.metrics), async (c) =>
      c.body(await metrics.render(), 200, { "content-type": metrics.contentType }),
    );
  }
  const doc = buildOpenApi({
    version,
    sim: deps.sim !== undefined,
    webhooks: deps.webhooks !== undefined,
    metrics: deps.metrics !== undefined,
    publicHealth: pub.health,
    conversations: deps.conversations !== undefined,
    contacts: deps.contacts !== undefined,
  });
  app.get("/openapi.json", authUnless(pub.docs), (c) => c.json(doc));
  app.get("/docs", authUnless(pub.docs), (c) => c.html(DOCS_HTML));

  const v1 = new Hono<Env>();
  v1.use("*", auth, idempotency({ store: deps.idempotency, now }));
  v1.route("/messages", messagesRoutes(deps.messages));
  v1.route("/modems", modemsRoutes(deps.modems));
  v1.route("/encoding", encodingRoutes(deps.preview));
  if (deps.sim) v1.route("/sim", simRoutes(deps.sim));
  if (deps.webhooks) v1.route("/", webhooksRoutes(deps.webhooks));
  if (deps.conversations) v1.route("/conversations", conversationsRoutes(deps.conversations));
  if (deps.contacts) v1.route("/contacts", contactsRoutes(deps.contacts));
  app.route("/v1", v1);
  return app;
}

export { redactPath };

export type App = ReturnType<typeof createApp>;
