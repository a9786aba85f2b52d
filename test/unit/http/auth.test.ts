import { describe, expect, it } from "vitest";
import type { AccessLogEntry } from "../../../src/http/app.js";
import {
  API_KEY_PREFIX,
  createKeyVerifier,
  generateApiKey,
  hashApiKey,
  hashKeys,
} from "../../../src/http/auth.js";
import { harness } from "./harness.js";

describe("API keys", () => {
  it("generates smsgw_ + base64url of 32 bytes, all distinct", () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const k of keys) {
      expect(k.startsWith(API_KEY_PREFIX)).toBe(true);
      expect(Buffer.from(k.slice(API_KEY_PREFIX.length), "base64url")).toHaveLength(32);
    }
  });

  it("verifies against the stored SHA-256 only", () => {
    const key = generateApiKey();
    const verify = createKeyVerifier([{ name: "a", hash: hashApiKey(key), scopes: ["read"] }]);
    expect(verify(key)?.name).toBe("a");
    expect(verify(`${key}x`)).toBeUndefined();
    expect(verify("")).toBeUndefined();
  });

  it("refuses a malformed stored hash at startup", () => {
    expect(() => createKeyVerifier([{ name: "a", hash: "plain", scopes: [] }])).toThrow(/sha256/);
  });
});

describe("authentication and scopes", () => {
  it("401 problem with WWW-Authenticate when the token is missing", async () => {
    const { call } = harness();
    const res = await call("GET", "/v1/messages", { key: null });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ type: "https://smsgw.dev/problems/unauthorized", status: 401 });
  });

  it("401 with error=invalid_token for a wrong or malformed token", async () => {
    const { call } = harness();
    for (const auth of ["Bearer smsgw_wrong", "Basic dXNlcjpwYXNz", "Bearer", "bearer  ", "Bearer a b"]) {
      const res = await call("GET", "/v1/messages", { key: null, headers: { authorization: auth } });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });

  it("403 when the key lacks the scope, naming it", async () => {
    const { call } = harness();
    const res = await call("POST", "/v1/messages", { key: "read", body: { to: "+33612345678", text: "hi" } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      type: "https://smsgw.dev/problems/forbidden",
      requiredScope: "send",
    });
    expect((await call("GET", "/v1/messages", { key: "send" })).status).toBe(403);
    expect((await call("POST", "/v1/modems/gsm1/reset", { key: "both" })).status).toBe(403);
  });

  it("admin implies send and read", async () => {
    const { call } = harness();
    expect((await call("GET", "/v1/messages", { key: "admin" })).status).toBe(200);
    expect(
      (await call("POST", "/v1/messages", { key: "admin", body: { to: "+33612345678", text: "x" } })).status,
    ).toBe(202);
  });

  it("health, metrics and docs are public by default and can be protected", async () => {
    const open = harness();
    expect((await open.call("GET", "/livez", { key: null })).status).toBe(200);
    expect((await open.call("GET", "/openapi.json", { key: null })).status).toBe(200);
    const closed = harness({ options: { public: { health: false, docs: false } } });
    expect((await closed.call("GET", "/livez", { key: null })).status).toBe(401);
    expect((await closed.call("GET", "/health", { key: null })).status).toBe(401);
    expect((await closed.call("GET", "/openapi.json", { key: null })).status).toBe(401);
    expect((await closed.call("GET", "/livez", { key: "read" })).status).toBe(200);
  });
});

describe("keys from the gateway config", () => {
  it("hashes plain configured keys so the verifier holds digests only", () => {
    const key = generateApiKey();
    const [cfg] = hashKeys([{ name: "crm", key, scopes: ["send"] }]);
    expect(cfg?.hash).toBe(hashApiKey(key));
    expect(JSON.stringify(cfg)).not.toContain(key);
    expect(createKeyVerifier([cfg!])(key)?.scopes.has("send")).toBe(true);
  });
});

describe("access log hook", () => {
  it("reports method, path without the query (phone numbers), status, key name and request id", async () => {
    const entries: AccessLogEntry[] = [];
    const { call } = harness({ options: { onRequest: (e) => entries.push(e) } });
    await call("GET", "/v1/messages?contact=%2B33612345678", { key: "read" });
    await call("GET", "/v1/messages", { key: null });
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ method: "GET", path: "/v1/messages", status: 200, key: "reader" });
    expect(entries[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(entries[1]).toMatchObject({ status: 401, key: undefined });
    expect(JSON.stringify(entries)).not.toContain("33612345678");
  });
});
