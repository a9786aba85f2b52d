import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { endpointId, endpointsFromConfig } from "../../../src/webhooks/config.js";
import { DEFAULT_RETRY_DELAYS_MS, defaultRetryPolicy, nextDelay } from "../../../src/webhooks/schedule.js";
import {
  generateWebhookSecret,
  parseWebhookSecret,
  signPayload,
  webhookHeaders,
  webhookKey,
} from "../../../src/webhooks/signing.js";

describe("Standard Webhooks signatures", () => {
  it("are accepted by the independent standardwebhooks verifier", () => {
    const secret = generateWebhookSecret();
    const key = parseWebhookSecret(secret) as Buffer;
    const body = JSON.stringify({
      type: "message.received",
      timestamp: "2026-11-26T10:00:00.000Z",
      data: { text: "é😀" },
    });
    const ts = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders(key, "evt_1", ts, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers["webhook-signature"]).toBe(new Webhook(secret).sign("evt_1", new Date(ts * 1000), body));
  });

  it("fail verification when the body, id, timestamp or secret differ", () => {
    const secret = generateWebhookSecret();
    const key = parseWebhookSecret(secret) as Buffer;
    const ts = Math.floor(Date.now() / 1000);
    const h = webhookHeaders(key, "evt_1", ts, "{}");
    const wh = new Webhook(secret);
    expect(() => wh.verify('{"a":1}', h)).toThrow();
    expect(() => wh.verify("{}", { ...h, "webhook-id": "evt_2" })).toThrow();
    expect(() => wh.verify("{}", { ...h, "webhook-timestamp": String(ts + 1) })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify("{}", h)).toThrow();
    expect(signPayload(key, "evt_1", ts, "{}")).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it("secrets must be whsec_ + base64 of 24–64 bytes", () => {
    expect(parseWebhookSecret("abc")).toMatch(/whsec_/);
    expect(parseWebhookSecret("whsec_***")).toMatch(/base64/);
    expect(parseWebhookSecret(`whsec_${Buffer.alloc(8).toString("base64")}`)).toMatch(/24 to 64/);
    expect(parseWebhookSecret(generateWebhookSecret())).toBeInstanceOf(Buffer);
  });
});

describe("retry schedule", () => {
  it("spans about three days before dead-lettering", () => {
    const total = DEFAULT_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(70);
    expect(total / 3_600_000).toBeLessThan(76);
    expect(nextDelay(defaultRetryPolicy, 1, 0.5)).toBe(5000);
    expect(nextDelay(defaultRetryPolicy, DEFAULT_RETRY_DELAYS_MS.length + 1, 0.5)).toBeUndefined();
  });

  it("jitter stays within ±20 % of the base delay", () => {
    for (const r of [0, 0.25, 0.999]) {
      const d = nextDelay(defaultRetryPolicy, 2, r)!;
      expect(d).toBeGreaterThanOrEqual(240_000);
      expect(d).toBeLessThanOrEqual(360_000);
    }
    expect(nextDelay(defaultRetryPolicy, 2, 0)).not.toBe(nextDelay(defaultRetryPolicy, 2, 0.9));
  });
});

describe("raw (non-whsec) secrets and config bridging", () => {
  it("a raw secret of 16+ characters signs with its UTF-8 bytes, verifiable in raw mode", () => {
    const secret = "correct horse battery staple";
    const key = webhookKey(secret) as Buffer;
    const ts = Math.floor(Date.now() / 1000);
    const h = webhookHeaders(key, "evt_9", ts, "{}");
    expect(new Webhook(secret, { format: "raw" }).verify("{}", h)).toEqual({});
    expect(webhookKey("short")).toMatch(/16 characters/);
  });

  it("derives stable, label-safe endpoint ids from the URL", () => {
    const a = endpointId("https://crm.example.com/hooks/sms?token=1");
    expect(a).toMatch(/^crm-example-com-[0-9a-f]{8}$/);
    expect(endpointId("https://crm.example.com/hooks/sms?token=1")).toBe(a);
    expect(endpointId("https://crm.example.com/other")).not.toBe(a);
    const [ep] = endpointsFromConfig([
      {
        url: "http://127.0.0.1:9000/in",
        secret: generateWebhookSecret(),
        events: ["*"],
        timeout_seconds: 5,
        enabled: true,
      },
    ]);
    expect(ep).toMatchObject({ id: expect.stringMatching(/^127-0-0-1-/), timeoutMs: 5000, events: ["*"] });
  });
});
