/**
 * The HTTP API on the real engine (fake modems, manual clock): a SIM held by its distinct-recipient
 * cap shows in GET /v1/messages/{id}, /health and /metrics, by configured modem name; a SIM whose
 * cap is 0 sends past it.
 */
import { describe, expect, it } from "vitest";
import { engineHealth, engineMessages, engineModems, type ModemNames } from "../../src/http/adapters.js";
import { createApp } from "../../src/http/app.js";
import { generateApiKey, hashApiKey } from "../../src/http/auth.js";
import { createMemoryIdempotencyStore } from "../../src/http/idempotency.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { segmentPreview } from "../../src/pdu/index.js";
import { setupEngine } from "../helpers/engine-setup.js";

const number = (i: number) => `+3361234${String(i).padStart(4, "0")}`;

function gateway() {
  const setup = setupEngine({ modems: 2 });
  const [open, capped] = setup.modems.map((m) => m.id) as [string, string];
  const byId = new Map([
    [open, "gsm0"],
    [capped, "gsm1"],
  ]);
  const names: ModemNames = {
    nameOf: (id) => byId.get(id) ?? id,
    idOf: (n) => [...byId].find(([id, name]) => name === n || id === n)?.[0],
  };
  // gateway.ts passes each SIM's [[modems]] caps: gsm0 max_distinct_recipients_30d = 0, gsm1 default.
  setup.engine.setModemLimits(open, { distinctRecipientsCap: 0 });
  const modems = engineModems(setup.engine, { names });
  const health = engineHealth(setup.engine, names);
  const key = generateApiKey();
  const app = createApp(
    {
      messages: engineMessages(setup.engine, names),
      modems,
      health,
      preview: segmentPreview,
      idempotency: createMemoryIdempotencyStore(),
      metrics: createMetrics({ modems, health, processMetrics: false }),
    },
    { apiKeys: [{ name: "app", hash: hashApiKey(key), scopes: ["admin"] }] },
  );
  const call = (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  return { ...setup, call };
}

describe("a SIM's cap through the HTTP API", () => {
  it("300 messages to new recipients stop at 150 with no reason given: now the API, /health and /metrics give it", async () => {
    const { call, clock, modems } = gateway();
    const send = async (modem: string, i: number) => {
      const res = await call("POST", "/v1/messages", { to: number(i), text: `n${i}`, modem });
      return ((await res.json()) as { id: string }).id;
    };
    for (let i = 0; i < 300; i++) await send("gsm0", i);
    const held: string[] = [];
    for (let i = 0; i < 300; i++) held.push(await send("gsm1", 1000 + i));
    await clock.advance(120_000);
    expect(modems[0]?.sent).toHaveLength(300);
    expect(modems[1]?.sent).toHaveLength(150);

    const firstAt = modems[1]?.sent[0]?.at as number;
    const until = new Date(firstAt + 30 * 86_400_000 + 1).toISOString();
    const last = (await (await call("GET", `/v1/messages/${held[299]}`)).json()) as Record<string, unknown>;
    expect(last.status).toBe("queued");
    expect(last.waiting).toEqual({
      reason: "distinct-recipients-cap",
      until,
      modems: [{ modem: "gsm1", cap: "distinct-recipients-cap", limit: 150, until }],
    });
    const first = (await (await call("GET", `/v1/messages/${held[0]}`)).json()) as Record<string, unknown>;
    expect(first.status).toBe("sent");
    expect(first).not.toHaveProperty("waiting");

    const h = (await (await call("GET", "/health")).json()) as {
      status: string;
      checks: Record<string, Record<string, unknown>[]>;
    };
    expect(h.status).toBe("warn");
    expect(h.checks["modem:gsm0"]?.[0]?.status).toBe("pass");
    expect(h.checks["modem:gsm1"]?.[0]).toMatchObject({
      status: "warn",
      output: `distinct-recipients-cap reached (150 of 150): parts wait until ${until}`,
    });

    const metrics = await (await call("GET", "/metrics")).text();
    expect(metrics).toContain('smsgw_modem_cap_holding{modem="gsm1",cap="distinct-recipients-cap"} 1');
    expect(metrics).toContain('smsgw_modem_cap_remaining{modem="gsm1",cap="distinct-recipients-cap"} 0');
    expect(metrics).not.toContain('smsgw_modem_cap_reached{modem="gsm0",cap="distinct-recipients-cap"}');
    expect(metrics).toContain('smsgw_modem_cap_reached{modem="gsm0",cap="daily-cap"} 0');

    // An integrator reading the SIM itself sees the same caps.
    const gsm1 = (await (await call("GET", "/v1/modems/gsm1")).json()) as { caps?: unknown[] };
    expect(gsm1.caps).toContainEqual({
      cap: "distinct-recipients-cap",
      limit: 150,
      used: 150,
      reached: true,
      until,
      holding: true,
    });
    const list = (await (await call("GET", "/v1/modems")).json()) as {
      items: { name: string; caps?: { cap: string }[] }[];
    };
    expect(list.items.find((m) => m.name === "gsm0")?.caps?.map((c) => c.cap)).not.toContain(
      "distinct-recipients-cap",
    );
  });
});
