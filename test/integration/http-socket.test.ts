/** The same app over a real socket (port 0 on 127.0.0.1), through @hono/node-server. */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, serveApp } from "../../src/http/serve.js";
import { harness } from "../unit/http/harness.js";

const h = harness({ options: { maxBodyBytes: 64 * 1024 } });
let srv: RunningServer;
const auth = () => ({ authorization: `Bearer ${h.keys.admin.key}` });

beforeAll(async () => {
  srv = await serveApp(h.app, { port: 0 });
});
afterAll(async () => {
  await srv.close();
});

/** Raw node:http request, so the test controls framing (chunked, no content-length). */
function raw(method: string, path: string, headers: Record<string, string>, chunks: Buffer[]) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = httpRequest(`${srv.url}${path}`, { method, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(parts).toString(),
            headers: res.headers,
          }),
        );
      });
      req.on("error", reject);
      for (const c of chunks) req.write(c);
      req.end();
    },
  );
}

describe("HTTP over a socket", () => {
  it("listens on 127.0.0.1 by default", () => {
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(srv.port).toBeGreaterThan(0);
  });

  it("sends, reads back and replays an idempotent POST over keep-alive", async () => {
    const headers = { ...auth(), "content-type": "application/json", "idempotency-key": "sock-1" };
    const body = JSON.stringify({ to: "+33612345678", text: "over the wire" });
    const a = await fetch(`${srv.url}/v1/messages`, { method: "POST", headers, body });
    const b = await fetch(`${srv.url}/v1/messages`, { method: "POST", headers, body });
    expect(a.status).toBe(202);
    const first = await a.text();
    expect(await b.text()).toBe(first);
    const id = (JSON.parse(first) as { id: string }).id;
    const got = await fetch(`${srv.url}/v1/messages/${id}`, { headers: auth() });
    expect(((await got.json()) as { text: string }).text).toBe("over the wire");
  });

  it("413 for a chunked body over the limit without content-length", async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const res = await raw(
      "POST",
      "/v1/messages",
      { ...auth(), "content-type": "application/json", "transfer-encoding": "chunked" },
      [Buffer.from('{"to":"+33612345678","text":"'), chunk, chunk, chunk, chunk, chunk, Buffer.from('"}')],
    );
    expect(res.status).toBe(413);
    expect(res.headers["content-type"]).toBe("application/problem+json");
  });

  it("invalid UTF-8 and a lying content-length are 4xx, never 5xx", async () => {
    const bad = await raw("POST", "/v1/messages", { ...auth(), "content-type": "application/json" }, [
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    ]);
    expect(bad.status).toBe(400);
    const big = await raw(
      "POST",
      "/v1/messages",
      { ...auth(), "content-type": "application/json", "content-length": "999999999" },
      [],
    );
    expect(big.status).toBeGreaterThanOrEqual(400);
    expect(big.status).toBeLessThan(500);
  });

  it("serves health, metrics and docs publicly", async () => {
    for (const p of ["/livez", "/readyz", "/health", "/metrics", "/openapi.json", "/docs"]) {
      const res = await fetch(`${srv.url}${p}`);
      expect(res.status, p).toBe(200);
      await res.arrayBuffer();
    }
  });
});

describe("closing the server", () => {
  it("lets an in-flight request finish, refuses new connections, and can be called twice", async () => {
    const h2 = harness();
    h2.messages.delayMs = 200;
    const s2 = await serveApp(h2.app, { port: 0 });
    const inFlight = fetch(`${s2.url}/v1/messages`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${h2.keys.send.key}`,
        "content-type": "application/json",
        connection: "close",
      },
      body: JSON.stringify({ to: "+33612345678", text: "late" }),
    });
    await new Promise((r) => setTimeout(r, 50));
    const closed = s2.close();
    expect((await inFlight).status).toBe(202);
    await closed;
    await s2.close();
    await expect(fetch(`${s2.url}/livez`)).rejects.toThrow();
  });
});
