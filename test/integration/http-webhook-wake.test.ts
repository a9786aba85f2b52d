/**
 * Regression: webhooks waited for the worker's next outbox poll (1 s) after every commit. The stack
 * now wakes the worker on the engine's "outbox.written" event. Here the worker's poll timer never
 * fires (a clock that drops every non-zero delay), so a webhook can only arrive through that wake.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import { Engine } from "../../src/engine/index.js";
import { createHttpStack, type HttpStack } from "../../src/http/stack.js";
import { generateWebhookSecret } from "../../src/webhooks/signing.js";
import { until } from "../helpers/engine-sim.js";

/** Runs zero-delay callbacks (wake) and never the others (poll, retry backoff). */
const noPollClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    if (ms > 0) return { clear() {} };
    const t = setTimeout(fn, 0);
    return { clear: () => clearTimeout(t) };
  },
};

let engine: Engine | undefined;
let stack: HttpStack | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await stack?.stop();
  await engine?.stop();
  receiver?.closeAllConnections();
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
  engine = stack = receiver = undefined;
});

describe("webhook worker wake-up", () => {
  it("delivers an outbox row committed after start without waiting for a poll", async () => {
    const secret = generateWebhookSecret();
    const got: { type: string; data: { to: string; contact: string } }[] = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString();
        got.push(new Webhook(secret).verify(body, req.headers as Record<string, string>) as (typeof got)[0]);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver!.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    engine = new Engine({ db: ":memory:", config: { defaultCountry: "FR" } });
    stack = createHttpStack({
      engine,
      apiKeys: [],
      webhooks: [{ url, secret, events: ["message.queued"], timeout_seconds: 5, enabled: true }],
      listen: "127.0.0.1:0",
      clock: noPollClock,
    });
    await stack.start();
    // Let the start-up tick run and park the worker on its (never firing) poll timer.
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([]);
    engine.enqueue({ to: "+33612345678", text: "hello", category: "transactional" });
    await until(() => got.length === 1, 10_000, "webhook after the commit");
    expect(got[0]).toMatchObject({ type: "message.queued", data: { to: "queued", contact: "+33612345678" } });
  }, 30_000);
});
