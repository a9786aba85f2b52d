/**
 * Bad input never yields a 5xx: every documented operation gets random and malformed bodies,
 * query strings, path parameters and headers (seeded, so a failure reproduces).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { harness } from "./harness.js";

const failures: string[] = [];

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
});
const anyText = fc.string({ unit: "grapheme", maxLength: 60 });

/** Bodies that are almost right: the real field names with values of every JSON type. */
const fieldNames = [
  "to",
  "text",
  "category",
  "modem",
  "sendAt",
  "validUntil",
  "statusReport",
  "smart",
  "messages",
  "kind",
  "from",
  "status",
  "mr",
  "messageId",
  "coding",
  "footer",
];
const nearValid = fc.dictionary(
  fc.constantFrom(...fieldNames),
  fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    anyText,
    fc.constant("+33612345678"),
    fc.constant("2030-01-01T00:00:00Z"),
  ),
  { maxKeys: 6 },
);
const batchish = fc.record({
  messages: fc.array(fc.oneof(nearValid, fc.jsonValue({ maxDepth: 1 })), { maxLength: 5 }),
});

const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  nearValid.map((v) => JSON.stringify(v)),
  batchish.map((v) => JSON.stringify(v)),
  anyText,
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString("latin1")),
  fc.constant('{"to":"+33612345678","text":"\\ud800"}'),
  fc.constant("[".repeat(5000)),
);

const headers = fc.record(
  {
    "content-type": fc.oneof(
      fc.constantFrom(
        "application/json",
        "application/problem+json",
        "text/plain",
        "application/json; charset=utf-8",
        "",
      ),
      printable,
    ),
    "idempotency-key": fc.oneof(printable, fc.constant('"k"'), fc.constant("x".repeat(300))),
    authorization: fc.oneof(
      fc.constant("KEEP"),
      printable.map((s) => `Bearer ${s}`),
      printable,
    ),
    "content-length": fc.nat({ max: 10_000_000 }).map(String),
    accept: printable,
  },
  { requiredKeys: [] },
);

const segment = fc.oneof(
  fc.constantFrom("msg_1", "gsm1", "1", "crm", "%", "%00", "..", "%E0%A4%A", "a%2Fb"),
  printable.map(encodeURIComponent),
);
const query = fc.dictionary(
  fc.constantFrom(
    "limit",
    "cursor",
    "status",
    "direction",
    "since",
    "until",
    "contact",
    "modem",
    "state",
    "endpoint",
    "zz",
  ),
  printable,
  { maxKeys: 4 },
);

const ROUTES: [string, string][] = [
  ["POST", "/v1/messages"],
  ["POST", "/v1/messages/batch"],
  ["GET", "/v1/messages"],
  ["GET", "/v1/messages/:p"],
  ["POST", "/v1/messages/:p/cancel"],
  ["POST", "/v1/messages/:p/resend"],
  ["POST", "/v1/encoding/preview"],
  ["GET", "/v1/modems"],
  ["GET", "/v1/modems/:p"],
  ["POST", "/v1/modems/:p/disable"],
  ["POST", "/v1/modems/:p/enable"],
  ["POST", "/v1/modems/:p/reset"],
  ["POST", "/v1/sim/:p/inject"],
  ["GET", "/v1/webhooks"],
  ["POST", "/v1/webhooks/:p/replay"],
  ["POST", "/v1/webhooks/:p/enable"],
  ["GET", "/v1/webhook-deliveries"],
  ["POST", "/v1/webhook-deliveries/:p/replay"],
  ["GET", "/livez"],
  ["GET", "/readyz"],
  ["GET", "/health"],
  ["GET", "/metrics"],
  ["GET", "/openapi.json"],
  ["PUT", "/v1/:p"],
];

describe("fuzz: no response is a 5xx", () => {
  // One app, built once; unexpected errors are collected instead of logged.
  const fixture = harness({
    options: { onUnexpectedError: (e, info) => failures.push(`${info.method} ${info.path}: ${String(e)}`) },
  });
  const token = fixture.keys.admin.key;

  for (const [i, [method, template]] of ROUTES.entries()) {
    it(`${method} ${template}`, async () => {
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(segment, query, headers, body, async (seg, q, hdrs, b) => {
          const path = template.replace(":p", seg);
          const qs = new URLSearchParams(q).toString();
          const h2: Record<string, string> = { ...hdrs };
          if (h2.authorization === undefined || h2.authorization === "KEEP")
            h2.authorization = `Bearer ${token}`;
          const init: RequestInit = { method, headers: h2 };
          if (b !== undefined && method !== "GET") init.body = b;
          const res = await fixture.app.request(qs ? `${path}?${qs}` : path, init);
          await res.arrayBuffer();
          statuses.add(res.status);
          expect(res.status, `${method} ${path}?${qs} → ${res.status}`).toBeLessThan(500);
        }),
        { seed: 20261126 + i, numRuns: 200 },
      );
      expect(failures).toEqual([]);
      // The inputs must get past authentication to mean anything.
      expect(
        [...statuses].some((s) => s !== 401),
        [...statuses].join(","),
      ).toBe(true);
    });
  }
});
