/**
 * Child process of bench/http.ts: the API on 127.0.0.1:<free port>, over a fake engine (HTTP layer
 * cost only: auth, body limit, JSON, zod validation, idempotency) or, with argument "real", over the
 * real engine on a fresh SQLite file (WAL, synchronous=FULL: every 202 is a durable commit).
 * Prints one JSON line {url, key} on stdout, then serves until SIGTERM.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../src/engine/index.js";
import { createApp } from "../src/http/app.js";
import { generateApiKey, hashApiKey } from "../src/http/auth.js";
import { createMemoryIdempotencyStore } from "../src/http/idempotency.js";
import { serveApp } from "../src/http/serve.js";
import { createHttpStack } from "../src/http/stack.js";
import { segmentPreview } from "../src/pdu/index.js";
import { FakeHealth, FakeMessages, FakeModems } from "../test/unit/http/fakes.js";

const key = generateApiKey();

async function real(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-bench-"));
  const engine = new Engine({ db: join(dir, "bench.db"), config: { defaultCountry: "FR" } });
  const stack = createHttpStack({
    engine,
    apiKeys: [{ name: "bench", key, scopes: ["send", "read"] }],
    listen: "127.0.0.1:0",
  });
  const srv = await stack.start();
  return {
    url: srv.url,
    async stop() {
      await stack.stop();
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function fake(): Promise<{ url: string; stop: () => Promise<void> }> {
  const messages = new FakeMessages();
  // The fake keeps every message in memory; drop them so a long run measures the API, not the heap.
  const enqueue = messages.enqueue.bind(messages);
  messages.enqueue = async (m) => {
    const r = await enqueue(m);
    messages.rows.delete(r.id);
    messages.enqueued.length = 0;
    return r;
  };
  const app = createApp(
    {
      messages,
      modems: new FakeModems(),
      health: new FakeHealth(),
      preview: segmentPreview,
      idempotency: createMemoryIdempotencyStore(),
    },
    { apiKeys: [{ name: "bench", hash: hashApiKey(key), scopes: ["send", "read"] }] },
  );
  const srv = await serveApp(app, { port: 0 });
  return { url: srv.url, stop: () => srv.close() };
}

const server = process.argv[2] === "real" ? await real() : await fake();
process.stdout.write(`${JSON.stringify({ url: server.url, key })}\n`);
process.on("SIGTERM", () => void server.stop().then(() => process.exit(0)));
