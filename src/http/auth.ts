/**
 * Bearer API keys (RFC 6750). Keys are 32 random bytes, so a plain SHA-256 is a sufficient
 * one-way storage format (no password stretching needed for high-entropy secrets). Only hashes
 * live in the config; comparison is `timingSafeEqual` on the fixed-length digests.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { ProblemError } from "./problems.js";

export type Scope = "send" | "read" | "admin";
export const SCOPES: readonly Scope[] = ["send", "read", "admin"];

export interface ApiKeyConfig {
  /** Human label, used in logs and as the idempotency namespace. Never the key itself. */
  readonly name: string;
  /** "sha256:<64 hex>" of the full key string including the `smsgw_` prefix. */
  readonly hash: string;
  readonly scopes: readonly Scope[];
}

export interface Principal {
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
}

export const API_KEY_PREFIX = "smsgw_";

/** `smsgw_` + base64url of 32 random bytes (256 bits). */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

export function hashApiKey(key: string): string {
  return `sha256:${createHash("sha256").update(key, "utf8").digest("hex")}`;
}

const HASH_RE = /^sha256:[0-9a-f]{64}$/;

/**
 * The gateway config holds keys as secret references, resolved to plain strings at startup; they
 * are hashed here so that only digests stay in the verifier's memory.
 */
export function hashKeys(
  keys: readonly { name: string; key: string; scopes: readonly Scope[] }[],
): ApiKeyConfig[] {
  return keys.map((k) => ({ name: k.name, hash: hashApiKey(k.key), scopes: [...k.scopes] }));
}

export function createKeyVerifier(keys: readonly ApiKeyConfig[]): (token: string) => Principal | undefined {
  const entries = keys.map((k) => {
    if (!HASH_RE.test(k.hash)) throw new TypeError(`api key "${k.name}": hash must be sha256:<64 hex>`);
    return { name: k.name, digest: Buffer.from(k.hash.slice(7), "hex"), scopes: new Set(k.scopes) };
  });
  return (token) => {
    const digest = createHash("sha256").update(token, "utf8").digest();
    let found: (typeof entries)[number] | undefined;
    // Compare against every key, not stopping at the first match, so timing does not reveal which.
    for (const e of entries) if (timingSafeEqual(digest, e.digest) && !found) found = e;
    return found ? { name: found.name, scopes: found.scopes } : undefined;
  };
}

/** `admin` implies every scope. */
export const hasScope = (p: Principal, s: Scope): boolean => p.scopes.has("admin") || p.scopes.has(s);

export type AuthVariables = { principal: Principal | undefined };

const BEARER_RE = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)[ ]*$/;

/** RFC 6750 §3: a 401 carries `WWW-Authenticate: Bearer`, with error="invalid_token" when one was sent. */
export function authenticate(opts: {
  verify: (token: string) => Principal | undefined;
}): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async function authenticate(c, next) {
    const header = c.req.header("authorization");
    if (header === undefined) {
      throw new ProblemError("unauthorized", "Missing bearer token", {
        headers: { "WWW-Authenticate": 'Bearer realm="smsgw"' },
      });
    }
    const m = BEARER_RE.exec(header);
    const principal = m?.[1] === undefined ? undefined : opts.verify(m[1]);
    if (!principal) {
      throw new ProblemError("unauthorized", "Invalid bearer token", {
        headers: { "WWW-Authenticate": 'Bearer realm="smsgw", error="invalid_token"' },
      });
    }
    c.set("principal", principal);
    await next();
  };
}

export function requireScope(scope: Scope): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async function requireScope(c, next) {
    const p = c.get("principal");
    if (!p || !hasScope(p, scope)) {
      throw new ProblemError("forbidden", `This operation requires the "${scope}" scope`, {
        extensions: { requiredScope: scope },
        headers: { "WWW-Authenticate": `Bearer realm="smsgw", error="insufficient_scope", scope="${scope}"` },
      });
    }
    await next();
  };
}
