/**
 * Every error the HTTP API returns is an RFC 9457 problem document (`application/problem+json`).
 * This file is the single list of problem `type` URIs: clients may switch on them, so they are
 * stable. The URIs are identifiers (RFC 9457 §3.1.1), not necessarily dereferenceable.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const PROBLEM_BASE = "https://smsgw.dev/problems/";

/** type slug → default status and title. */
export const PROBLEM_TYPES = {
  "bad-request": { status: 400, title: "Bad request" },
  "malformed-json": { status: 400, title: "Malformed JSON body" },
  "invalid-cursor": { status: 400, title: "Invalid pagination cursor" },
  "invalid-idempotency-key": { status: 400, title: "Invalid Idempotency-Key header" },
  // `.`/`..` in the raw path (literal or %2e): refused, not resolved (dot-segments.ts).
  "dot-segment": { status: 400, title: "Request path has a dot segment" },
  unauthorized: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Insufficient scope" },
  "recipient-opted-out": { status: 403, title: "Recipient has opted out" },
  // The request is well-formed; the recipient's recorded consent forbids it (CPCE L34-5), as an
  // opt-out does: 403 like recipient-opted-out, not 422 (retrying the same body cannot succeed
  // until consent is recorded).
  "consent-missing": { status: 403, title: "No marketing consent in force for the recipient" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict with the current state" },
  // GDPR erasure while a modem holds one of the contact's messages: retry after the hand-over.
  "erase-in-flight": { status: 409, title: "A message to this contact is being sent" },
  "idempotency-in-flight": { status: 409, title: "A request with this Idempotency-Key is still in progress" },
  "payload-too-large": { status: 413, title: "Request body too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  validation: { status: 422, title: "Request validation failed" },
  "idempotency-key-reuse": {
    status: 422,
    title: "Idempotency-Key was already used with a different request",
  },
  // Too many marketing messages to this contact over the configured rolling window ([compliance]
  // marketing_cap); RFC 6585 §4: the client's own sending rate, not the gateway's load.
  "frequency-cap": { status: 429, title: "Marketing frequency cap reached for the recipient" },
  // Marketing whose validUntil passes before the recipient's sending window opens: it could only
  // expire. 422 on the request (move validUntil), with `nextWindowAt`.
  "outside-window": { status: 422, title: "The recipient's sending window opens after validUntil" },
  unavailable: { status: 503, title: "Service unavailable" },
  internal: { status: 500, title: "Internal server error" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export interface FieldError {
  /** Dotted path of the offending field, e.g. "messages.3.to"; "" for the body itself. */
  readonly field: string;
  readonly message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Thrown anywhere in a handler; `app.onError` renders it (hono's HTTPException idea, RFC 9457 body). */
export class ProblemError extends Error {
  readonly problemType: ProblemType;
  readonly status: ContentfulStatusCode;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(
    type: ProblemType,
    detail?: string,
    opts: { extensions?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail ?? PROBLEM_TYPES[type].title, { cause: opts.cause });
    this.name = "ProblemError";
    this.problemType = type;
    this.status = PROBLEM_TYPES[type].status as ContentfulStatusCode;
    this.extensions = opts.extensions ?? {};
    this.headers = opts.headers ?? {};
  }

  body(instance?: string): ProblemBody {
    return problemBody(this.problemType, this.message, { ...this.extensions, instance });
  }
}

export function problemBody(
  type: ProblemType,
  detail?: string,
  ext: Record<string, unknown> = {},
): ProblemBody {
  const t = PROBLEM_TYPES[type];
  const body: ProblemBody = { type: PROBLEM_BASE + type, title: t.title, status: t.status };
  if (detail !== undefined) body.detail = detail;
  for (const [k, v] of Object.entries(ext)) if (v !== undefined) body[k] = v;
  return body;
}

export function problemResponse(
  type: ProblemType,
  detail?: string,
  ext: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body = problemBody(type, detail, ext);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

export const validationProblem = (errors: FieldError[], detail?: string): ProblemError =>
  new ProblemError("validation", detail ?? `${errors.length} field(s) failed validation`, {
    extensions: { errors },
  });
