import { describe, expect, it } from "vitest";
import { harness } from "./harness.js";

const json = async (r: Response) => (await r.json()) as Record<string, unknown>;

describe("POST /v1/messages", () => {
  it("202 with id, status, coding and parts; Location points at the message", async () => {
    const { call, messages } = harness();
    const res = await call("POST", "/v1/messages", {
      body: { to: "+33612345678", text: "Bonjour", statusReport: true, sendAt: "2030-01-01T10:00:00+01:00" },
    });
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body).toEqual({ id: "msg_1", status: "scheduled", coding: "gsm7", parts: 1 });
    expect(res.headers.get("location")).toBe("/v1/messages/msg_1");
    expect(messages.enqueued[0]).toEqual({
      to: "+33612345678",
      text: "Bonjour",
      statusReport: true,
      sendAt: Date.parse("2030-01-01T09:00:00Z"),
      // The request named no category: the engine's default applies, and that is what is recorded.
      categorySource: "default",
    });
  });

  it("records the API key's name as the category's source when the request names the category", async () => {
    const { call, messages } = harness();
    await call("POST", "/v1/messages", {
      body: { to: "+33612345678", text: "a", category: "conversational" },
    });
    await call("POST", "/v1/messages/batch", {
      key: "both",
      body: {
        messages: [
          { to: "+33612345678", text: "b", category: "marketing" },
          { to: "+33612345678", text: "c" },
        ],
      },
    });
    expect(messages.enqueued.map((m) => [m.text, m.categorySource])).toEqual([
      ["a", "api-key:ops"],
      ["b", "api-key:app"],
      ["c", "default"],
    ]);
  });

  it("422 naming every offending field", async () => {
    const { call, messages } = harness();
    const res = await call("POST", "/v1/messages", {
      body: { to: "call me", text: "", sendAt: "tomorrow", extra: 1 },
    });
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.type).toBe("https://smsgw.dev/problems/validation");
    const fields = (body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(["", "sendAt", "text", "to"]);
    expect(messages.enqueued).toHaveLength(0);
  });

  it("422 when validUntil is not after sendAt", async () => {
    const { call } = harness();
    const res = await call("POST", "/v1/messages", {
      body: {
        to: "+33612345678",
        text: "x",
        sendAt: "2030-01-01T10:00:00Z",
        validUntil: "2030-01-01T09:00:00Z",
      },
    });
    expect(res.status).toBe(422);
    expect((await json(res)).errors).toEqual([{ field: "validUntil", message: "must be later than sendAt" }]);
  });

  it("400 for malformed or empty JSON, 415 for a non-JSON content type", async () => {
    const { call } = harness();
    const bad = await call("POST", "/v1/messages", {
      raw: '{"to": ',
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).type).toBe("https://smsgw.dev/problems/malformed-json");
    const empty = await call("POST", "/v1/messages", {
      raw: "",
      headers: { "content-type": "application/json" },
    });
    expect(empty.status).toBe(400);
    const form = await call("POST", "/v1/messages", {
      raw: "to=1",
      headers: { "content-type": "text/plain" },
    });
    expect(form.status).toBe(415);
  });

  it("413 above the body limit", async () => {
    const { call } = harness({ options: { maxBodyBytes: 1000 } });
    const res = await call("POST", "/v1/messages", { body: { to: "+33612345678", text: "x".repeat(2000) } });
    expect(res.status).toBe(413);
    expect((await json(res)).type).toBe("https://smsgw.dev/problems/payload-too-large");
  });

  it("engine refusals map to typed problems: opted out → 403, unknown modem → 422 on that field", async () => {
    const { call, messages } = harness();
    messages.optedOut.add("+33600000000");
    const stop = await call("POST", "/v1/messages", { body: { to: "+33600000000", text: "promo" } });
    expect(stop.status).toBe(403);
    expect((await json(stop)).type).toBe("https://smsgw.dev/problems/recipient-opted-out");
    const modem = await call("POST", "/v1/messages", {
      body: { to: "+33612345678", text: "x", modem: "nope" },
    });
    expect(modem.status).toBe(422);
    expect((await json(modem)).errors).toEqual([{ field: "modem", message: "Unknown modem" }]);
  });
});

describe("POST /v1/messages/batch", () => {
  it("enqueues valid items and reports each invalid one by index", async () => {
    const { call, messages } = harness();
    messages.optedOut.add("+33600000000");
    const res = await call("POST", "/v1/messages/batch", {
      body: {
        messages: [
          { to: "+33612345678", text: "a" },
          { to: "x", text: "b" },
          { to: "+33600000000", text: "c" },
          { to: "+33612345679", text: "d" },
        ],
      },
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      accepted: number;
      rejected: number;
      results: Record<string, unknown>[];
    };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(2);
    expect(body.results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(body.results[1]).toMatchObject({
      index: 1,
      problem: { status: 422, errors: [{ field: "messages.1.to" }] },
    });
    expect(body.results[2]).toMatchObject({
      problem: { type: "https://smsgw.dev/problems/recipient-opted-out" },
    });
    expect(messages.enqueued.map((m) => m.text)).toEqual(["a", "d"]);
  });

  it("accepts 1000 items, refuses 1001 as a whole, 422 when none is valid", async () => {
    const { call, messages } = harness();
    const item = { to: "+33612345678", text: "hi" };
    const ok = await call("POST", "/v1/messages/batch", { body: { messages: Array(1000).fill(item) } });
    expect(ok.status).toBe(202);
    expect(messages.enqueued).toHaveLength(1000);
    const big = await call("POST", "/v1/messages/batch", { body: { messages: Array(1001).fill(item) } });
    expect(big.status).toBe(422);
    expect((await json(big)).errors).toMatchObject([{ field: "messages" }]);
    const none = await call("POST", "/v1/messages/batch", { body: { messages: [{ to: "x" }] } });
    expect(none.status).toBe(422);
    expect(messages.enqueued).toHaveLength(1000);
  });
});

describe("GET /v1/messages/{id} and list", () => {
  it("returns parts and events with ISO timestamps; 404 problem for an unknown id", async () => {
    const { call } = harness({ now: () => Date.parse("2026-11-26T10:00:00Z") });
    await call("POST", "/v1/messages", { body: { to: "+33612345678", text: "y".repeat(200) } });
    const res = await call("GET", "/v1/messages/msg_1", { key: "read" });
    expect(res.status).toBe(200);
    const m = await json(res);
    expect(m).toMatchObject({ id: "msg_1", status: "queued", createdAt: "2026-11-26T10:00:00.000Z" });
    expect(m.parts).toEqual([
      { seq: 1, modem: null, mr: null, status: "queued", error: null },
      { seq: 2, modem: null, mr: null, status: "queued", error: null },
    ]);
    expect(m.events).toEqual([{ at: "2026-11-26T10:00:00.000Z", type: "queued", detail: null }]);
    expect((await call("GET", "/v1/messages/msg_99")).status).toBe(404);
    expect((await call("GET", "/v1/messages/%00%ff")).status).toBe(404);
  });

  it("pages with an opaque cursor and a next link until exhausted", async () => {
    let t = 1_800_000_000_000;
    const { call } = harness({ now: () => (t += 1000) });
    for (let i = 0; i < 7; i++)
      await call("POST", "/v1/messages", { body: { to: "+33612345678", text: `m${i}` } });
    const seen: string[] = [];
    let url: string | null = "/v1/messages?limit=3&direction=outbound";
    while (url) {
      const res = await call("GET", url);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { id: string }[]; next: string | null };
      seen.push(...page.items.map((m) => m.id));
      if (page.next) expect(res.headers.get("link")).toBe(`<${page.next}>; rel="next"`);
      url = page.next;
    }
    expect(seen).toEqual(["msg_7", "msg_6", "msg_5", "msg_4", "msg_3", "msg_2", "msg_1"]);
  });

  it("applies filters, and a cursor reused with other filters is a 400", async () => {
    const { call, messages } = harness();
    await call("POST", "/v1/messages", { body: { to: "+33611111111", text: "a" } });
    await call("POST", "/v1/messages", { body: { to: "+33622222222", text: "b" } });
    await call("POST", "/v1/messages", { body: { to: "+33611111111", text: "c" } });
    messages.setStatus("msg_1", "failed");
    const byContact = await json(await call("GET", "/v1/messages?contact=%2B33611111111&limit=1"));
    expect((byContact.items as { id: string }[]).map((m) => m.id)).toEqual(["msg_3"]);
    const next = byContact.next as string;
    const cursor = new URL(next, "http://x").searchParams.get("cursor")!;
    expect((await call("GET", `/v1/messages?cursor=${cursor}`)).status).toBe(400);
    expect((await call("GET", "/v1/messages?cursor=garbage")).status).toBe(400);
    const failed = await json(await call("GET", "/v1/messages?status=failed"));
    expect((failed.items as { id: string }[]).map((m) => m.id)).toEqual(["msg_1"]);
  });

  it("422 for bad query parameters (limit over 200, unknown filter, repeated, bad time)", async () => {
    const { call } = harness();
    for (const q of [
      "limit=201",
      "limit=0",
      "colour=red",
      "status=a&status=b",
      "since=yesterday",
      "direction=up",
    ]) {
      const res = await call("GET", `/v1/messages?${q}`);
      expect(res.status, q).toBe(422);
    }
  });
});

describe("cancel and resend", () => {
  it("cancels a queued message once; a second cancel is 409", async () => {
    const { call } = harness();
    await call("POST", "/v1/messages", { body: { to: "+33612345678", text: "a" } });
    const ok = await call("POST", "/v1/messages/msg_1/cancel", { key: "send" });
    expect(ok.status).toBe(200);
    expect((await json(ok)).status).toBe("canceled");
    const again = await call("POST", "/v1/messages/msg_1/cancel", { key: "send" });
    expect(again.status).toBe(409);
    expect((await json(again)).type).toBe("https://smsgw.dev/problems/conflict");
    expect((await call("POST", "/v1/messages/nope/cancel")).status).toBe(404);
  });

  it("resends only unknown or failed messages", async () => {
    const { call, messages } = harness();
    await call("POST", "/v1/messages", { body: { to: "+33612345678", text: "a" } });
    expect((await call("POST", "/v1/messages/msg_1/resend")).status).toBe(409);
    messages.setStatus("msg_1", "unknown");
    const res = await call("POST", "/v1/messages/msg_1/resend");
    expect(res.status).toBe(202);
    expect((await json(res)).id).toBe("msg_2");
  });
});

describe("regression: a large batch does not hold the event loop", () => {
  it("/livez is answered while a 400-item batch is still being enqueued", async () => {
    const { call, app, messages } = harness();
    // Like the real engine: each enqueue is synchronous work (an fsync'ed commit), no I/O wait.
    const enqueue = messages.enqueue.bind(messages);
    messages.enqueue = (m) => {
      const end = performance.now() + 0.5;
      while (performance.now() < end) {}
      return enqueue(m);
    };
    const order: string[] = [];
    const item = { to: "+33612345678", text: "hi" };
    const batch = Promise.resolve(
      call("POST", "/v1/messages/batch", { body: { messages: Array(400).fill(item) } }),
    ).then(() => order.push("batch"));
    await new Promise((r) => setImmediate(r));
    const live = new Promise((r) => setTimeout(r, 5))
      .then(() => app.request("/livez"))
      .then(() => order.push("livez"));
    await Promise.all([batch, live]);
    expect(order).toEqual(["livez", "batch"]);
    expect(messages.enqueued).toHaveLength(400);
  });
});
