/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header-07):
 * - §2.1: the value is a Structured Field String; we also accept a bare token, which is what
 *   most clients send. 1–255 printable ASCII characters.
 * - §2.6: same key + same request → the stored response is replayed (same status and body);
 *   same key while the first request is still being processed → 409; same key with a different
 *   request → 422.
 * - §2.3: the fingerprint is SHA-256 of method, path (with query) and body; keys are scoped to the
 *   API key that used them, so two clients cannot collide; they expire after 24 h.
 * A 5xx is not stored (the client may retry with the same key); every other status is.
 */
import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AuthVariables } from "./auth.js";
import { ProblemError } from "./problems.js";

export interface StoredResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly location: string | null;
  readonly body: string;
}

export type BeginResult =
  | { readonly kind: "started" }
  | { readonly kind: "in-flight" }
  | { readonly kind: "mismatch" }
  | { readonly kind: "completed"; readonly response: StoredResponse };

export interface IdempotencyStore {
  /** Atomically claims (scope, key) or reports why it cannot. */
  begin(scope: string, key: string, fingerprint: string, now: number): BeginResult;
  complete(scope: string, key: string, response: StoredResponse, now: number): void;
  /** Forgets a claim whose request did not produce a storable response. */
  release(scope: string, key: string): void;
  purgeExpired(now: number): number;
}

export interface IdempotencyTiming {
  /** Record lifetime, default 24 h (draft §2.4 leaves it to the resource; 24 h is common practice). */
  readonly ttlMs?: number;
  /** An in-flight claim older than this is treated as abandoned (crash mid-request), default 60 s. */
  readonly lockMs?: number;
}

export const DEFAULT_TTL_MS = 24 * 3600_000;
export const DEFAULT_LOCK_MS = 60_000;

export function createMemoryIdempotencyStore(t: IdempotencyTiming = {}): IdempotencyStore {
  const ttl = t.ttlMs ?? DEFAULT_TTL_MS;
  const lock = t.lockMs ?? DEFAULT_LOCK_MS;
  const rows = new Map<string, { fp: string; createdAt: number; response?: StoredResponse }>();
  const k = (s: string, key: string) => `${s}\u0000${key}`;
  return {
    begin(scope, key, fingerprint, now) {
      const row = rows.get(k(scope, key));
      const expired = row && (now - row.createdAt >= ttl || (!row.response && now - row.createdAt >= lock));
      if (!row || expired) {
        rows.set(k(scope, key), { fp: fingerprint, createdAt: now });
        return { kind: "started" };
      }
      if (row.fp !== fingerprint) return { kind: "mismatch" };
      return row.response ? { kind: "completed", response: row.response } : { kind: "in-flight" };
    },
    complete(scope, key, response) {
      const row = rows.get(k(scope, key));
      if (row) row.response = response;
    },
    release(scope, key) {
      rows.delete(k(scope, key));
    },
    purgeExpired(now) {
      let n = 0;
      for (const [id, row] of rows) if (now - row.createdAt >= ttl && rows.delete(id)) n++;
      return n;
    },
  };
}

const BARE = /^[\x21-\x7e]{1,255}$/;
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\]){1,255})"$/;

export function parseIdempotencyKey(raw: string): string | undefined {
  const v = raw.trim();
  const m = SF_STRING.exec(v);
  if (m?.[1] !== undefined) return m[1].replace(/\\(["\\])/g, "$1");
  if (v.startsWith('"')) return undefined;
  return BARE.test(v) ? v : undefined;
}

export function fingerprint(method: string, pathAndQuery: string, body: string): string {
  return createHash("sha256").update(`${method}\n${pathAndQuery}\n`).update(body).digest("hex");
}

/**
 * Set on the request when it carries a valid Idempotency-Key: the key scoped to the API key, for
 * handlers to hand down to the engine. The engine stores it with the message in the same
 * transaction, so a retry after a crash between that commit and `complete()` (which leaves a claim
 * without a response, abandoned after the lock) finds the message instead of enqueueing it again.
 */
export type IdempotencyVariables = { idempotencyKey: string | undefined };

/** The engine-side key of an HTTP Idempotency-Key: scope length first, so no two pairs collide. */
export const engineKeyOf = (scope: string, key: string): string => `http:${scope.length}:${scope}:${key}`;

export function idempotency(opts: {
  store: IdempotencyStore;
  now: () => number;
  /** Expired records are purged at most this often, from a request (no timer), default 1 h. */
  purgeEveryMs?: number;
}): MiddlewareHandler<{ Variables: AuthVariables & IdempotencyVariables }> {
  let lastPurge = opts.now();
  return async function idempotency(c, next) {
    const t = opts.now();
    if (t - lastPurge >= (opts.purgeEveryMs ?? 3600_000)) {
      lastPurge = t;
      opts.store.purgeExpired(t);
    }
    const raw = c.req.header("idempotency-key");
    if (c.req.method !== "POST" || raw === undefined) return next();
    const key = parseIdempotencyKey(raw);
    if (key === undefined) {
      throw new ProblemError(
        "invalid-idempotency-key",
        "Idempotency-Key must be 1–255 printable ASCII characters, optionally as a quoted string",
      );
    }
    const scope = c.get("principal")?.name ?? "";
    const url = new URL(c.req.url);
    const fp = fingerprint(c.req.method, url.pathname + url.search, await c.req.text());
    c.set("idempotencyKey", engineKeyOf(scope, key));
    const begun = opts.store.begin(scope, key, fp, opts.now());
    if (begun.kind === "in-flight") {
      throw new ProblemError("idempotency-in-flight", "Retry after the original request completes", {
        headers: { "Retry-After": "1" },
      });
    }
    if (begun.kind === "mismatch") {
      throw new ProblemError(
        "idempotency-key-reuse",
        "This Idempotency-Key was used for a different request",
      );
    }
    if (begun.kind === "completed") {
      const r = begun.response;
      const headers: Record<string, string> = { "Idempotent-Replayed": "true" };
      if (r.contentType) headers["content-type"] = r.contentType;
      if (r.location) headers.location = r.location;
      return new Response(r.body, { status: r.status, headers });
    }
    let stored = false;
    try {
      await next();
      const res = c.res;
      if (res.status < 500) {
        const body = await res.clone().text();
        const response = {
          status: res.status,
          contentType: res.headers.get("content-type"),
          location: res.headers.get("location"),
          body,
        };
        opts.store.complete(scope, key, response, opts.now());
        stored = true;
      }
    } finally {
      if (!stored) opts.store.release(scope, key);
    }
  };
}
