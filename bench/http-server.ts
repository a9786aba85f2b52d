/**
 * Child process of bench/http.ts: the API on 127.0.0.1:<free port> over a fake engine (HTTP layer
 * cost only: auth, body limit, JSON, zod validation, idempotency). Prints one JSON line
 * {url, key} on stdout, then serves until killed.
 */
import { createApp } from "../src/http/app.js";
import { generateApiKey, hashApiKey } from "../src/http/auth.js";
import { createMemoryIdempotencyStore } from "../src/http/idempotency.js";
import { serveApp } from "../src/http/serve.js";
import { segmentPreview } from "../src/pdu/index.js";
import { FakeHealth, FakeMessages, FakeModems } from "../test/unit/http/fakes.js";

const key = generateApiKey();
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
process.stdout.write(`${JSON.stringify({ url: srv.url, key })}\n`);
process.on("SIGTERM", () => void srv.close().then(() => process.exit(0)));
