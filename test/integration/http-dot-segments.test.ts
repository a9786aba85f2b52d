/**
 * Dot segments in the raw request-target. The URL parser resolves them (RFC 3986 §5.2.4, WHATWG
 * URL also for `%2e`), so `/v1/conversations/../messages` used to reach the send route while an
 * access rule, a log line or a reverse-proxy rule written for `/v1/conversations/*` saw another
 * path. They are refused with a 400 problem before authentication and routing. The request-target
 * is written on a raw socket: fetch and http.request(url) normalise it before sending.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessLogEntry } from "../../src/http/app.js";
import { PROBLEM_BASE } from "../../src/http/problems.js";
import { type RunningServer, serveApp } from "../../src/http/serve.js";
import { harness } from "../unit/http/harness.js";

const entries: AccessLogEntry[] = [];
const h = harness({ options: { onRequest: (e) => entries.push(e) } });
let srv: RunningServer;

beforeAll(async () => {
  srv = await serveApp(h.app, { port: 0 });
});
afterAll(async () => {
  await srv.close();
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 request with the request-target exactly as given, on its own connection. */
function rawRequest(method: string, target: string, headers: Record<string, string> = {}, body = "") {
  return new Promise<RawResponse>((resolve, reject) => {
    const sock = connect(srv.port, "127.0.0.1");
    const chunks: Buffer[] = [];
    sock.on("data", (c: Buffer) => chunks.push(c));
    sock.on("error", reject);
    sock.on("end", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const hdrs: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(":");
        hdrs[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers: hdrs, body: rest.join("\r\n\r\n") });
    });
    const all: Record<string, string> = {
      host: `127.0.0.1:${srv.port}`,
      connection: "close",
      ...headers,
      ...(body && { "content-length": String(Buffer.byteLength(body)) }),
    };
    const head = Object.entries(all)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("");
    sock.end(`${method} ${target} HTTP/1.1\r\n${head}\r\n${body}`);
  });
}

const sendKey = () => ({ authorization: `Bearer ${h.keys.admin.key}` });
const jsonBody = JSON.stringify({ to: "+33612345678", text: "via a dot segment" });

describe("dot segments in the request path", () => {
  it("POST /v1/conversations/../messages does not reach the send route", async () => {
    const before = h.messages.enqueued.length;
    const res = await rawRequest(
      "POST",
      "/v1/conversations/../messages",
      { ...sendKey(), "content-type": "application/json" },
      jsonBody,
    );
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    const problem = JSON.parse(res.body) as { type: string; status: number };
    expect(problem).toMatchObject({ type: `${PROBLEM_BASE}dot-segment`, status: 400 });
    expect(h.messages.enqueued.length).toBe(before);
  });

  it.each([
    "/v1/conversations/../messages",
    "/v1/conversations/%2e%2e/messages",
    "/v1/conversations/%2E%2E/messages",
    "/v1/conversations/.%2e/messages",
    "/v1/conversations/%2e./messages",
    "/v1/conversations%2f..%2fmessages",
    "/v1/conversations/..%2Fmessages",
    "/v1/./messages",
    "/v1/%2e/messages",
    "/v1/messages/.",
    "/v1/messages/..",
    "/v1/messages/..?limit=1",
    "/v1/messages/x/../..",
    `http://127.0.0.1/v1/conversations/../messages`,
  ])("GET %s is 400 before authentication", async (target) => {
    const res = await rawRequest("GET", target);
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(res.body)).toMatchObject({ type: `${PROBLEM_BASE}dot-segment` });
  });

  it("leaves dots inside a segment and in the query alone", async () => {
    for (const target of [
      "/v1/messages/a..b",
      "/v1/messages/...",
      "/v1/messages/.x",
      "/v1/messages?x=/../",
    ]) {
      const res = await rawRequest("GET", target, sendKey());
      expect(res.status, target).not.toBe(400);
    }
    const ok = await rawRequest("GET", "/livez");
    expect(ok.status).toBe(200);
  });

  it("logs the refused request's own path, with segments that could carry a number redacted", async () => {
    entries.length = 0;
    await rawRequest("GET", "/v1/contacts/%2B33612345678/../../messages?contact=%2B33698765432");
    await rawRequest("GET", "/v1/conversations/../messages");
    expect(entries.map((e) => [e.status, e.path, e.key])).toEqual([
      [400, "/v1/contacts/{e164}/../../messages", undefined],
      [400, "/v1/conversations/../messages", undefined],
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/3361234|3369876/);
  });
});
