/**
 * Standard Webhooks signatures (standardwebhooks.com spec, "Signature scheme"):
 *   webhook-id: <event id, stable across retries>
 *   webhook-timestamp: <unix seconds of this attempt>
 *   webhook-signature: v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>
 * Secrets are "whsec_" + base64 of 24–64 random bytes; the HMAC key is the decoded bytes.
 */
import { createHmac, randomBytes } from "node:crypto";

export const SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decoded key bytes, or an error message naming what is wrong (used by config validation). */
export function parseWebhookSecret(secret: string): Buffer | string {
  if (!secret.startsWith(SECRET_PREFIX)) return `must start with "${SECRET_PREFIX}"`;
  const b64 = secret.slice(SECRET_PREFIX.length);
  if (!B64.test(b64) || b64.length % 4 !== 0) return "must be whsec_ followed by standard base64";
  const key = Buffer.from(b64, "base64");
  if (key.length < 24 || key.length > 64) return "must encode 24 to 64 bytes";
  return key;
}

export function signPayload(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`, "utf8").digest("base64");
  return `v1,${mac}`;
}

export function webhookHeaders(key: Buffer, id: string, timestampSeconds: number, body: string) {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": signPayload(key, id, timestampSeconds, body),
  };
}

/**
 * HMAC key for an endpoint: a "whsec_" secret is decoded (Standard Webhooks); any other string of
 * at least 16 characters is used as raw UTF-8 bytes (receivers then verify with the raw-secret
 * option of their library). Returns an error message for anything else.
 */
export function webhookKey(secret: string): Buffer | string {
  if (secret.startsWith(SECRET_PREFIX)) return parseWebhookSecret(secret);
  if (secret.length < 16) return `must be "${SECRET_PREFIX}…" or a raw secret of at least 16 characters`;
  return Buffer.from(secret, "utf8");
}
