/**
 * OpenAPI 3.1 document. Component schemas come from `z.toJSONSchema(apiRegistry)`, i.e. from the
 * very zod objects that validate requests; OpenAPI 3.1 uses JSON Schema 2020-12, which is what
 * zod emits. Paths are listed here once, with their scope and problem responses.
 */
import { z } from "zod";
import { CONTACT_OPS } from "./openapi-contacts.js";
import { CONVERSATION_OPS } from "./openapi-conversations.js";
import { PROBLEM_BASE, PROBLEM_TYPES } from "./problems.js";
import { apiRegistry, ListMessagesQuery } from "./schemas.js";
import { ListDeliveriesQuery } from "./schemas-admin.js";

export interface Op {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  tag: string;
  scope?: "send" | "read" | "admin" | "any";
  body?: string;
  /** The body may be omitted (POST /v1/conversations/{id}/resolve). */
  bodyOptional?: boolean;
  ok: { status: number; schema?: string; description?: string; contentType?: string };
  query?: z.ZodObject;
  problems?: number[];
}

const OPS: Op[] = [
  {
    method: "post",
    path: "/v1/messages",
    summary: "Send one message",
    tag: "messages",
    scope: "send",
    body: "SendMessageRequest",
    ok: { status: 202, schema: "AcceptedMessage" },
    problems: [403, 422, 503],
  },
  {
    method: "post",
    path: "/v1/messages/batch",
    summary: "Send up to 1000 messages, with a result per item",
    tag: "messages",
    scope: "send",
    body: "BatchRequest",
    ok: { status: 202, schema: "BatchResult" },
    problems: [422],
  },
  {
    method: "get",
    path: "/v1/messages",
    summary: "List messages (cursor pagination)",
    tag: "messages",
    scope: "read",
    query: ListMessagesQuery,
    ok: { status: 200, schema: "MessageList" },
  },
  {
    method: "get",
    path: "/v1/messages/{id}",
    summary: "Message with parts and events; `waiting` while a SIM's cap holds it",
    tag: "messages",
    scope: "read",
    ok: { status: 200, schema: "Message" },
    problems: [404],
  },
  {
    method: "post",
    path: "/v1/messages/{id}/cancel",
    summary: "Cancel a scheduled or queued message",
    tag: "messages",
    scope: "send",
    ok: { status: 200, schema: "Message" },
    problems: [404, 409],
  },
  {
    method: "post",
    path: "/v1/messages/{id}/resend",
    summary: "Send again a message whose outcome is unknown or failed",
    tag: "messages",
    scope: "send",
    ok: { status: 202, schema: "AcceptedMessage" },
    problems: [404, 409],
  },
  {
    method: "post",
    path: "/v1/encoding/preview",
    summary: "Coding and number of parts for a text",
    tag: "encoding",
    scope: "any",
    body: "PreviewRequest",
    ok: { status: 200, schema: "PreviewResult" },
  },
  {
    method: "get",
    path: "/v1/modems",
    summary: "Modems with state, SIM, registration, signal",
    tag: "modems",
    scope: "read",
    ok: { status: 200, schema: "ModemList" },
  },
  {
    method: "get",
    path: "/v1/modems/{id}",
    summary: "One modem",
    tag: "modems",
    scope: "read",
    ok: { status: 200, schema: "Modem" },
    problems: [404],
  },
  ...(["enable", "disable", "reset"] as const).map(
    (a): Op => ({
      method: "post",
      path: `/v1/modems/{id}/${a}`,
      summary: `${a[0]?.toUpperCase()}${a.slice(1)} a modem`,
      tag: "modems",
      scope: "admin",
      ok: { status: 200, schema: "Modem" },
      problems: [404, 409],
    }),
  ),
  {
    method: "post",
    path: "/v1/sim/{modem}/inject",
    summary: "Inject an inbound SMS or a status report into a simulated modem (only with sim:// modems)",
    tag: "sim",
    scope: "admin",
    body: "InjectRequest",
    ok: { status: 202, description: "Injected" },
    problems: [404],
  },
  {
    method: "get",
    path: "/v1/webhooks",
    summary: "Webhook endpoints with delivery health",
    tag: "webhooks",
    scope: "admin",
    ok: { status: 200, schema: "WebhookEndpointList" },
  },
  {
    method: "post",
    path: "/v1/webhooks/{id}/replay",
    summary: "Replay every dead-lettered delivery of an endpoint",
    tag: "webhooks",
    scope: "admin",
    ok: { status: 200, schema: "ReplayResult" },
    problems: [404],
  },
  {
    method: "post",
    path: "/v1/webhooks/{id}/enable",
    summary: "Re-enable an endpoint disabled after 410 Gone",
    tag: "webhooks",
    scope: "admin",
    ok: { status: 200, schema: "WebhookEndpoint" },
    problems: [404],
  },
  {
    method: "get",
    path: "/v1/webhook-deliveries",
    summary: "Recent deliveries (filter state=dead for the dead letters)",
    tag: "webhooks",
    scope: "admin",
    query: ListDeliveriesQuery,
    ok: { status: 200, schema: "WebhookDeliveryList" },
  },
  {
    method: "post",
    path: "/v1/webhook-deliveries/{id}/replay",
    summary: "Replay one dead-lettered delivery",
    tag: "webhooks",
    scope: "admin",
    ok: { status: 200, schema: "ReplayResult" },
    problems: [404, 409],
  },
  {
    method: "get",
    path: "/livez",
    summary: "Liveness",
    tag: "health",
    ok: { status: 200, description: "Process is up" },
  },
  {
    method: "get",
    path: "/readyz",
    summary: "Readiness: database usable and a modem ready",
    tag: "health",
    ok: { status: 200, description: "Ready" },
    problems: [503],
  },
  {
    method: "get",
    path: "/health",
    summary: "Per-modem health (draft-inadarei-api-health-check)",
    tag: "health",
    ok: {
      status: 200,
      description:
        'pass or warn. A modem check is "warn" while one of its caps is reached and parts it would send wait: `caps` lists them (cap, limit, used, until) and `output` says when they free.',
      contentType: "application/health+json",
    },
    problems: [503],
  },
  {
    method: "get",
    path: "/metrics",
    summary: "Prometheus metrics",
    tag: "health",
    ok: { status: 200, description: "Prometheus text format", contentType: "text/plain" },
  },
];

const isoDateTime = z.iso.datetime({ offset: true });
const CapName = z
  .enum(["daily-cap", "global-daily-cap", "distinct-recipients-cap"])
  .describe(
    "daily-cap: the SIM's parts per UTC day ([[modems]] max_per_day); global-daily-cap: the gateway's parts per UTC day; distinct-recipients-cap: the SIM's distinct recipients over 30 days (max_distinct_recipients_30d), new recipients only",
  );

/**
 * `Message.waiting` (src/http/views.ts waitingJson). Added to the Message component here rather than
 * in schemas.ts: it is a response-only field that no request validates.
 */
const MessageWaiting = z
  .object({
    reason: CapName.describe("The cap of the SIM that frees first"),
    until: isoDateTime
      .nullable()
      .describe(
        "The earliest time one of the SIMs frees a slot (next UTC midnight for the daily caps; for the distinct-recipient cap, when the oldest counted recipient leaves the 30 days); other waiting messages may take it first",
      ),
    modems: z
      .array(
        z.object({
          modem: z.string(),
          cap: CapName,
          limit: z.number().int(),
          until: isoDateTime.nullable(),
        }),
      )
      .describe("Every SIM that could send the message, each with the cap that holds it, earliest first"),
  })
  .describe(
    "Present only while every SIM that could send the message has reached a cap (a wait for the per-minute rate is not reported); absent otherwise. The message stays queued and goes when a cap frees; 0 turns a SIM's cap off.",
  );

/** Conventions that are not visible in the schemas. */
const GUIDE = [
  "Authentication: `Authorization: Bearer smsgw_…`; scopes send, read, admin (admin implies all).",
  "Idempotency: every POST accepts `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header-07): the same key and body replay the first response for 24 h; the same key while the first request runs → 409; with another body → 422. Keys are per API key.",
  "Paths: every operation refuses a request path with a `.` or `..` segment (also written `%2e`, or with `%2f` as the separator) with 400 `dot-segment`, before authentication: send the path it stands for.",
  "Pagination: `GET /v1/messages` returns `next` (also as a `Link: rel=next` header); follow it unchanged, a cursor is valid only with the filters it was issued for.",
  "Webhooks (Standard Webhooks): each delivery is a POST of `{type, timestamp, data}` with `webhook-id` (stable across retries: deduplicate on it), `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>` keyed by the whsec_ secret. A 2xx within the timeout is success; anything else is retried after 5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h (about 3 days, ±20 % jitter), then dead-lettered for replay. Events of one contact arrive in order. 410 Gone disables the endpoint (events are kept) until `POST /v1/webhooks/{id}/enable`.",
].join("\n\n");

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const problemRef = { "application/problem+json": { schema: ref("Problem") } };

function queryParams(schema: z.ZodObject) {
  const js = z.toJSONSchema(schema, { io: "input" }) as { properties?: Record<string, unknown> };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: false,
    schema: s,
  }));
}

function operation(op: Op, publicHealth: boolean) {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const isPublic = op.scope === undefined && publicHealth;
  const responses: Record<string, unknown> = {
    [op.ok.status]: {
      description: op.ok.description ?? "OK",
      ...(op.ok.schema && { content: { "application/json": { schema: ref(op.ok.schema) } } }),
      ...(op.ok.contentType && { content: { [op.ok.contentType]: {} } }),
    },
  };
  const problems = [
    ...(op.body ? [400, 413, 415, 422] : []),
    ...(isPublic ? [] : [401, 403]),
    ...(op.problems ?? []),
  ];
  for (const s of new Set(problems)) responses[s] = { description: `Problem (${s})`, content: problemRef };
  return {
    summary: op.summary,
    tags: [op.tag],
    operationId: `${op.method}${op.path.replace(/[{}]/g, "").replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
    ...(isPublic
      ? { security: [] }
      : op.scope && op.scope !== "any"
        ? { description: `Requires scope \`${op.scope}\` (admin implies all).` }
        : {}),
    parameters: [
      ...params,
      ...(op.query ? queryParams(op.query) : []),
      ...(op.method === "post"
        ? [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              schema: { type: "string", maxLength: 255 },
              description: "draft-ietf-httpapi-idempotency-key-header-07",
            },
          ]
        : []),
    ],
    ...(op.body && {
      requestBody: { required: !op.bodyOptional, content: { "application/json": { schema: ref(op.body) } } },
    }),
    responses,
  };
}

export function buildOpenApi(opts: {
  version: string;
  sim: boolean;
  webhooks: boolean;
  metrics: boolean;
  publicHealth: boolean;
  /** /v1/conversations is mounted (AppDeps.conversations); default true. */
  conversations?: boolean;
  /** /v1/contacts is mounted (AppDeps.contacts); default true. */
  contacts?: boolean;
}) {
  const { schemas } = z.toJSONSchema(apiRegistry, {
    uri: (id) => `#/components/schemas/${id}`,
    io: "input",
  }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  schemas.MessageWaiting = z.toJSONSchema(MessageWaiting, { io: "input" }) as Record<string, unknown>;
  for (const s of Object.values(schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  const message = schemas.Message?.properties as Record<string, unknown> | undefined;
  if (message) message.waiting = ref("MessageWaiting");
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...OPS, ...CONVERSATION_OPS, ...CONTACT_OPS]) {
    if ((op.tag === "sim" && !opts.sim) || (op.tag === "webhooks" && !opts.webhooks)) continue;
    if (op.path === "/metrics" && !opts.metrics) continue;
    if (op.tag === "conversations" && opts.conversations === false) continue;
    if (op.tag === "contacts" && opts.contacts === false) continue;
    paths[op.path] = { ...paths[op.path], [op.method]: operation(op, opts.publicHealth) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "smsgw API",
      version: opts.version,
      description: `Errors are RFC 9457 problem documents. Problem types: ${Object.keys(PROBLEM_TYPES)
        .map((t) => PROBLEM_BASE + t)
        .join(", ")}.\n\n${GUIDE}`,
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "smsgw_… API key" } },
      schemas,
    },
    paths,
  };
}
