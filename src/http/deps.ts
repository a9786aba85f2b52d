/**
 * The narrow interfaces the HTTP layer needs from the rest of the gateway. The composition root
 * adapts the real engine to these (src/http/adapters.ts); tests use in-memory fakes. Nothing here
 * imports the engine, so the API can be built and tested on its own.
 */
import type { MessageStatus } from "../events.js";
import type { Coding, SegmentPreview } from "../pdu/types.js";

export type Direction = "outbound" | "inbound";

/** Aggregate status of a message, derived by the engine from its parts (one list, in events.ts). */
export type { MessageStatus };

export interface NewMessage {
  readonly to: string;
  readonly text: string;
  readonly category?: string;
  /** Configured modem name to pin the message to; absent = engine chooses. */
  readonly modem?: string;
  /** ms since epoch. */
  readonly sendAt?: number;
  /** ms since epoch: the engine gives up (status "expired") after this. */
  readonly validUntil?: number;
  readonly statusReport?: boolean;
  /** Replace look-alike punctuation that would force UCS-2 (23.038 default alphabet). */
  readonly smart?: boolean;
  /** Who set the category: `api-key:<name>`, or `default` when the request omitted it (issue #7). */
  readonly categorySource?: string;
  /**
   * Engine idempotency key derived from the request's Idempotency-Key (per item for a batch): the
   * message and its key commit together, so a retry never enqueues it twice.
   */
  readonly idempotencyKey?: string;
}

export interface EnqueuedMessage {
  readonly id: string;
  readonly status: MessageStatus;
  readonly coding: Coding;
  readonly parts: number;
}

export type BatchItem =
  | { readonly ok: true; readonly message: EnqueuedMessage }
  | { readonly ok: false; readonly error: unknown };

export interface MessagePartView {
  readonly seq: number;
  readonly modem: string | null;
  /** TP-MR returned by +CMGS, null until submitted. */
  readonly mr: number | null;
  readonly status: string;
  readonly error: string | null;
}

export interface MessageEventView {
  /** ms since epoch. */
  readonly at: number;
  readonly type: string;
  readonly detail?: string | null;
}

export interface MessageView {
  readonly id: string;
  readonly direction: Direction;
  /** The other party: recipient for outbound, originator for inbound. */
  readonly contact: string;
  readonly text: string | null;
  readonly status: MessageStatus;
  readonly coding: Coding | null;
  readonly category: string | null;
  /** Who set the category (issue #7); null when not recorded. */
  readonly categorySource?: string | null;
  readonly modem: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly sendAt?: number | null;
  readonly validUntil?: number | null;
  readonly parts: readonly MessagePartView[];
  readonly events?: readonly MessageEventView[];
  /** Set only while a SIM's cap holds the message (engine.getMessage().waiting); absent, nothing
   * is rendered, so a service that knows no caps (a test fake) keeps its answers unchanged. */
  readonly waiting?: WaitingView;
}

export interface MessageFilter {
  readonly direction?: Direction;
  readonly status?: MessageStatus;
  readonly contact?: string;
  readonly modem?: string;
  /** Inclusive lower bound on createdAt, ms. */
  readonly since?: number;
  /** Exclusive upper bound on createdAt, ms. */
  readonly until?: number;
}

export interface MessagePage {
  readonly items: readonly MessageView[];
  /** Opaque to the HTTP layer; undefined when there is no further page. */
  readonly next?: string;
}

/** The engine's refusal, mapped to a problem type by src/http/errors.ts. */
export type ServiceErrorCode = "not_found" | "conflict" | "invalid" | "opted_out" | "unavailable";

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  /** Request field the error is about (for `invalid`), e.g. "to". */
  readonly field: string | undefined;
  constructor(code: ServiceErrorCode, message: string, field?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ServiceError";
    this.code = code;
    this.field = field;
  }
}

export interface MessagesService {
  /** Throws ServiceError("invalid" | "opted_out" | "unavailable"). */
  enqueue(msg: NewMessage): Promise<EnqueuedMessage>;
  /**
   * A batch in one commit; results by index, a refused item as `{ ok: false, error }` with the
   * error `enqueue` would have thrown. Optional: without it the batch route enqueues item by item.
   */
  enqueueMany?(msgs: readonly NewMessage[]): Promise<BatchItem[]>;
  get(id: string): Promise<MessageView | undefined>;
  list(filter: MessageFilter, page: { limit: number; after?: string }): Promise<MessagePage>;
  /** Only scheduled/queued messages; ServiceError("conflict") otherwise, ("not_found"). */
  cancel(id: string): Promise<MessageView>;
  /** Only unknown/failed messages (a fresh send of the same text); ServiceError("conflict") otherwise. */
  resend(id: string): Promise<EnqueuedMessage>;
}

export type ModemStateView =
  | "starting"
  | "ready"
  | "degraded"
  | "recovering"
  | "pin-required"
  | "puk-required"
  | "failed"
  | "stopped"
  | "disabled";

export interface ModemView {
  /** Configured name: the only modem label used in metrics. */
  readonly name: string;
  /** Stable id ("imei:…") once known. */
  readonly id: string;
  readonly enabled: boolean;
  readonly simulated: boolean;
  readonly state: ModemStateView;
  readonly identity: {
    readonly manufacturer?: string;
    readonly model?: string;
    readonly revision?: string;
    readonly imei?: string;
    readonly profile?: string;
  } | null;
  readonly sim: {
    readonly state: "ready" | "pin-required" | "puk-required" | "absent" | "unknown";
    readonly iccid?: string;
    readonly imsi?: string;
  };
  readonly registration: "home" | "roaming" | "searching" | "denied" | "not-registered" | "unknown";
  readonly operator: string | null;
  readonly signalDbm: number | null;
  readonly storage: { readonly used: number; readonly total: number } | null;
  readonly counters: { readonly sent: number; readonly failed: number; readonly received: number };
  readonly queueDepth: number;
  readonly lastSuccessAt: number | null;
  readonly lastError: string | null;
  /** The caps set on this SIM (engine.capStatus()); absent when the service knows none. */
  readonly caps?: readonly ModemCapView[];
}

export interface ModemsService {
  list(): Promise<readonly ModemView[]>;
  /** By configured name or stable id. */
  get(idOrName: string): Promise<ModemView | undefined>;
  enable(idOrName: string): Promise<ModemView>;
  disable(idOrName: string): Promise<ModemView>;
  /** Asks the supervisor to recreate the connection (recovery ladder's last rung). */
  reset(idOrName: string): Promise<ModemView>;
}

export interface QueueStats {
  /** Outbound parts waiting (queued or leased), total and per configured modem name ("" = unassigned). */
  readonly depth: number;
  /** Age in seconds of the oldest waiting part, 0 when empty. */
  readonly oldestAgeSeconds: number;
  readonly perModem: Readonly<Record<string, { readonly depth: number; readonly oldestAgeSeconds: number }>>;
}

export interface HealthSource {
  /** A cheap query against the database (e.g. SELECT 1). */
  database(): { ok: true } | { ok: false; error: string };
  queue(): QueueStats;
}

export type InjectRequest =
  | { readonly kind: "inbound"; readonly from: string; readonly text: string; readonly parts?: number }
  | {
      readonly kind: "status-report";
      /** Outbound message whose parts get reports, or a raw TP-MR. */
      readonly messageId?: string;
      readonly mr?: number;
      readonly status: "delivered" | "failed" | "pending";
    };

/** Present only when simulated modems are configured (ARCHITECTURE §2.5, routes/sim). */
export interface SimControl {
  /** Configured names of simulated modems. */
  modems(): readonly string[];
  inject(modem: string, req: InjectRequest): Promise<{ readonly injected: number }>;
}

/** `segmentPreview` from src/pdu/index.ts, injected so the API does not depend on codec internals. */
export type SegmentPreviewFn = (
  text: string,
  opts: { smart?: boolean; coding?: "auto" | "gsm7" | "ucs2"; footer?: string },
) => SegmentPreview;

/** Events the metrics module consumes; the engine's bus is adapted to this shape. */
export interface MetricsEvents {
  /** `latencySeconds` (AT+CMGS → +CMGS answer) when the source can measure it. */
  "part.sent": { modem: string; latencySeconds?: number };
  "part.failed": { modem: string; reason: "rejected" | "not-sent" | "unknown" | "expired" };
  "inbound.stored": { modem: string; parts?: number };
  /** A message reached a status (engine "message.status"); modem null while not routed. */
  "message.status": { direction: Direction; status: MessageStatus; modem: string | null };
  "report.received": { modem: string; status: "delivered" | "failed" | "pending" };
  "at.error": { modem: string };
  "at.timeout": { modem: string };
  "modem.reconnect": { modem: string };
}

export interface MetricsEventSource {
  on<K extends keyof MetricsEvents>(event: K, handler: (e: MetricsEvents[K]) => void): () => void;
}

export interface WebhookEndpointView {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly health: {
    readonly lastSuccessAt: number | null;
    readonly lastFailureAt: number | null;
    readonly consecutiveFailures: number;
    readonly pending: number;
    readonly dead: number;
  };
}

export interface WebhookDeliveryView {
  readonly id: number;
  readonly endpoint: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly state: "pending" | "delivered" | "dead";
  readonly attempts: number;
  readonly nextAttemptAt: number | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}

/** Implemented by src/webhooks/worker.ts. */
export interface WebhooksAdmin {
  endpoints(): readonly WebhookEndpointView[];
  deliveries(filter: {
    state?: "pending" | "delivered" | "dead";
    endpoint?: string;
    limit: number;
  }): readonly WebhookDeliveryView[];
  /** Dead-lettered delivery → pending, attempts reset. */
  replayDelivery(id: number): "replayed" | "not-found" | "not-dead";
  /** Every dead delivery of the endpoint; undefined when the endpoint is unknown. */
  replayEndpoint(id: string): number | undefined;
  /** Re-enables an endpoint disabled after 410 Gone; false when unknown. */
  enableEndpoint(id: string): boolean;
}

/** A SIM's send cap, by the name the API, /health and /metrics give it (the engine's CapName). */
export type CapName = "daily-cap" | "global-daily-cap" | "distinct-recipients-cap";

/** One SIM that could send a waiting message, and the cap that holds it. */
export interface CapHoldView {
  /** Configured modem name. */
  readonly modem: string;
  readonly cap: CapName;
  readonly limit: number;
  /** ms since epoch: the earliest time this cap frees a slot; null when unknown. */
  readonly until: number | null;
}

/** Why a queued message waits, while every SIM that could send it is held by a cap. */
export interface WaitingView {
  /** The cap of the SIM that frees first. */
  readonly reason: CapName;
  readonly modems: readonly CapHoldView[];
  readonly until: number | null;
}

/** One cap set on a SIM (a cap of 0 is none and is not listed). */
export interface ModemCapView {
  readonly cap: CapName;
  readonly limit: number;
  readonly used: number;
  readonly reached: boolean;
  /** ms since epoch, when reached: the earliest time the cap frees a slot. */
  readonly until: number | null;
  /** Reached while a due part this SIM would otherwise send waits: /health warns, /metrics shows it. */
  readonly holding: boolean;
}
