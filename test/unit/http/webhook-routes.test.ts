import { describe, expect, it } from "vitest";
import { harness } from "./harness.js";

describe("webhook administration", () => {
  it("lists endpoints with health and deliveries; replays a dead letter once (409 afterwards)", async () => {
    const h = harness();
    h.outbox.append({
      type: "message.received",
      contact: "+33612345678",
      data: { text: "hi" },
      createdAt: 0,
    });
    h.webhookStore.fanOut(h.outbox.after(0, 10), () => ["crm"], 0);
    const [row] = h.webhookStore.list({ limit: 1 });
    h.webhookStore.recordFailure(row!, 500, "HTTP 500", undefined, 1000);

    expect((await h.call("GET", "/v1/webhooks", { key: "both" })).status).toBe(403);
    const eps = (await (await h.call("GET", "/v1/webhooks")).json()) as { items: Record<string, unknown>[] };
    expect(eps.items).toEqual([
      {
        id: "crm",
        url: "http://127.0.0.1:9/hook",
        events: ["*"],
        enabled: true,
        disabledReason: null,
        health: {
          lastSuccessAt: null,
          lastFailureAt: "1970-01-01T00:00:01.000Z",
          consecutiveFailures: 1,
          pending: 0,
          dead: 1,
        },
      },
    ]);
    const dead = (await (await h.call("GET", "/v1/webhook-deliveries?state=dead")).json()) as {
      items: { id: number; state: string; lastError: string }[];
    };
    expect(dead.items).toMatchObject([
      { id: row!.id, state: "dead", lastError: "HTTP 500", eventId: "evt_1" },
    ]);

    const ok = await h.call("POST", `/v1/webhook-deliveries/${row!.id}/replay`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ replayed: 1 });
    expect(h.webhookStore.get(row!.id)?.state).toBe("pending");
    expect((await h.call("POST", `/v1/webhook-deliveries/${row!.id}/replay`)).status).toBe(409);
    expect((await h.call("POST", "/v1/webhook-deliveries/999/replay")).status).toBe(404);
    expect((await h.call("POST", "/v1/webhook-deliveries/abc/replay")).status).toBe(404);
  });

  it("replays all dead deliveries of an endpoint and re-enables it", async () => {
    const h = harness();
    for (let i = 0; i < 3; i++)
      h.outbox.append({ type: "message.status", contact: `c${i}`, data: i, createdAt: 0 });
    h.webhookStore.fanOut(h.outbox.after(0, 10), () => ["crm"], 0);
    for (const r of h.webhookStore.list({ limit: 10 }).slice(0, 2))
      h.webhookStore.recordFailure(r, null, "timeout", undefined, 1);
    h.webhookStore.setDisabled("crm", "gone (HTTP 410)");
    expect(
      ((await (await h.call("GET", "/v1/webhooks")).json()) as { items: { enabled: boolean }[] }).items[0]
        ?.enabled,
    ).toBe(false);
    expect(await (await h.call("POST", "/v1/webhooks/crm/replay")).json()).toEqual({ replayed: 2 });
    const en = await h.call("POST", "/v1/webhooks/crm/enable");
    expect(((await en.json()) as { enabled: boolean }).enabled).toBe(true);
    expect((await h.call("POST", "/v1/webhooks/nope/replay")).status).toBe(404);
    expect((await h.call("POST", "/v1/webhooks/nope/enable")).status).toBe(404);
  });
});
