import { afterEach, describe, expect, it } from "vitest";
import type { ConversationChangedEvent } from "../../src/events.js";
import type { Gateway } from "../../src/gateway.js";
import { poll } from "../process/daemon.js";
import { startSimGateway } from "../support/sim-gateway.js";

const KEY = "smsgw_conversation-test-key";
const CUSTOMER = "+33699999931";
let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

function start(): Promise<{ g: Gateway; url: string }> {
  return startSimGateway({
    keyName: "desk",
    key: KEY,
    ready: 2,
    onCreated: (g) => {
      gw = g;
    },
    toml: `[business]
name = "Garage Dupont"
[[modems]]
id = "sim1"
port = "sim://generic?seed=1&booted=1"
[[modems]]
id = "sim2"
port = "sim://generic?seed=2&booted=1"
[sim.numbers]
sim1 = "+33612345601"
sim2 = "+33612345602"
`,
  });
}

const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
async function api(url: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

type Thread = { id: string; status: string; modem: string | null; reopenCount: number };
const threadOf = async (url: string) =>
  (
    (await api(url, "GET", `/v1/conversations?contact=${encodeURIComponent(CUSTOMER)}`)).body
      .items as Thread[]
  )[0];

async function customerWrites(url: string, text: string, until: (t: Thread | undefined) => boolean) {
  const r = await api(url, "POST", "/v1/sim/sim2/inject", { kind: "inbound", from: CUSTOMER, text });
  expect(r.status).toBe(202);
  return poll(
    async () => {
      const t = await threadOf(url);
      return until(t) ? t : undefined;
    },
    15_000,
    `"${text}" ingested`,
  );
}

describe("conversation threads on simulated SIMs", () => {
  it("inbound opens on sim2, the agent's reply leaves from sim2, the customer's answer returns it to open", async () => {
    const { g, url } = await start();
    const bus: ConversationChangedEvent[] = [];
    for (const k of ["opened", "reopened", "resolved", "updated"] as const)
      g.engine.bus.on(`conversation.${k}`, (e) => bus.push(e));

    const opened = await customerWrites(url, "Bonjour, ma voiture est-elle prete ?", (t) => t !== undefined);
    expect(opened).toMatchObject({ status: "open", modem: "sim2", reopenCount: 0 });

    const reply = await api(url, "POST", `/v1/conversations/${opened.id}/messages`, {
      text: "Oui, vous pouvez passer des 14h.",
      agent: "alice",
    });
    expect(reply.status).toBe(202);
    expect(reply.body.conversation).toMatchObject({ status: "pending" });
    const sent = await poll(
      async () => {
        const m = (await api(url, "GET", `/v1/messages/${reply.body.id}`)).body;
        return m.status === "sent" || m.status === "delivered" ? m : undefined;
      },
      15_000,
      "the reply sent",
    );
    expect(sent).toMatchObject({ category: "conversational", modem: "sim2", contact: CUSTOMER });
    expect((sent.parts as { modem: string }[]).map((p) => p.modem)).toEqual(["sim2"]);

    const back = await customerWrites(url, "Parfait, merci", (t) => t?.status === "open");
    expect(back.id).toBe(opened.id);

    const detail = (await api(url, "GET", `/v1/conversations/${opened.id}`)).body;
    expect(
      (detail.messages as { direction: string; author: string; modem: string }[]).map((m) => [
        m.direction,
        m.author,
        m.modem,
      ]),
    ).toEqual([
      ["inbound", "customer", "sim2"],
      ["outbound", "agent:alice", "sim2"],
      ["inbound", "customer", "sim2"],
    ]);
    expect(detail.conversation).toMatchObject({ firstResponseSeconds: expect.any(Number) });

    // Resolved, then STOP: answered automatically, the thread stays resolved; a question reopens it.
    expect(
      (await api(url, "POST", `/v1/conversations/${opened.id}/resolve`, { agent: "alice" })).status,
    ).toBe(200);
    await api(url, "POST", "/v1/sim/sim2/inject", { kind: "inbound", from: CUSTOMER, text: "STOP" });
    await poll(
      async () => {
        const d = (await api(url, "GET", `/v1/conversations/${opened.id}`)).body;
        return (d.timeline as { type: string }[]).find((e) => e.type === "keyword");
      },
      15_000,
      "STOP noted on the thread",
    );
    expect((await threadOf(url))?.status).toBe("resolved");
    const reopened = await customerWrites(url, "Une autre question", (t) => t?.status === "open");
    expect(reopened).toMatchObject({ reopenCount: 1, modem: "sim2" });

    const rows = g.engine.db
      .prepare(
        "SELECT event_type FROM webhook_outbox WHERE event_type LIKE 'conversation.%' OR event_type LIKE 'contact.opted%' ORDER BY id",
      )
      .all() as { event_type: string }[];
    expect(rows.map((r) => r.event_type)).toEqual([
      "conversation.opened",
      "conversation.updated",
      "conversation.updated",
      "conversation.resolved",
      "contact.opted_out",
      "conversation.reopened",
    ]);
    expect(bus.map((e) => e.change)).toEqual(["opened", "updated", "updated", "resolved", "reopened"]);
  });
});
