/**
 * A message held by a SIM's cap says so in GET /v1/messages/{id}, /health warns on that modem's check
 * and /metrics has a series per modem and cap: the views the engine adapter fills, on fakes.
 */
import { describe, expect, it } from "vitest";
import type { MessageView } from "../../../src/http/deps.js";
import type { ModemCapView } from "../../../src/http/views.js";
import { fakeModem } from "./fakes.js";
import { harness } from "./harness.js";

const UNTIL = Date.UTC(2026, 11, 26, 9, 0, 0, 1);
const MIDNIGHT = Date.UTC(2026, 10, 27);

const recipients = (o: Partial<ModemCapView> = {}): ModemCapView => ({
  cap: "distinct-recipients-cap",
  limit: 150,
  used: 150,
  reached: true,
  until: UNTIL,
  holding: true,
  ...o,
});
const daily = (o: Partial<ModemCapView> = {}): ModemCapView => ({
  cap: "daily-cap",
  limit: 200,
  used: 150,
  reached: false,
  until: null,
  holding: false,
  ...o,
});

async function held(h: ReturnType<typeof harness>): Promise<{ id: string; view: MessageView }> {
  const res = await h.call("POST", "/v1/messages", { body: { to: "+33612345678", text: "hi" } });
  const { id } = (await res.json()) as { id: string };
  const view = h.messages.rows.get(id) as MessageView;
  return { id, view };
}

describe("GET /v1/messages/{id} says why a message waits", () => {
  it("renders `waiting` with ISO times while a cap holds the message", async () => {
    const h = harness();
    const { id, view } = await held(h);
    h.messages.rows.set(id, {
      ...view,
      waiting: {
        reason: "daily-cap",
        until: MIDNIGHT,
        modems: [
          { modem: "gsm1", cap: "daily-cap", limit: 200, until: MIDNIGHT },
          { modem: "gsm2", cap: "distinct-recipients-cap", limit: 150, until: UNTIL },
        ],
      },
    });
    const body = (await (await h.call("GET", `/v1/messages/${id}`, { key: "read" })).json()) as Record<
      string,
      unknown
    >;
    expect(body.status).toBe("queued");
    expect(body.waiting).toEqual({
      reason: "daily-cap",
      until: "2026-11-27T00:00:00.000Z",
      modems: [
        { modem: "gsm1", cap: "daily-cap", limit: 200, until: "2026-11-27T00:00:00.000Z" },
        { modem: "gsm2", cap: "distinct-recipients-cap", limit: 150, until: "2026-12-26T09:00:00.001Z" },
      ],
    });
  });

  it("has no `waiting` key when no cap holds the message", async () => {
    const h = harness();
    const { id } = await held(h);
    const body = (await (await h.call("GET", `/v1/messages/${id}`, { key: "read" })).json()) as object;
    expect(body).not.toHaveProperty("waiting");
  });

  it("is documented in the OpenAPI Message schema", async () => {
    const h = harness();
    const doc = (await (await h.call("GET", "/openapi.json", { key: null })).json()) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    const message = doc.components.schemas.Message;
    expect(message?.properties?.waiting).toEqual({ $ref: "#/components/schemas/MessageWaiting" });
    expect(message?.required ?? []).not.toContain("waiting");
    const waiting = doc.components.schemas.MessageWaiting as {
      properties: { reason: { enum: string[] } };
      required: string[];
    };
    expect(waiting.properties.reason.enum).toEqual([
      "daily-cap",
      "global-daily-cap",
      "distinct-recipients-cap",
    ]);
    expect(waiting.required.sort()).toEqual(["modems", "reason", "until"]);
  });
});

describe("/health and /metrics show a SIM's reached caps", () => {
  it("warns on the modem's check while a reached cap holds parts, and says until when", async () => {
    const h = harness();
    h.modems.modems = [fakeModem("gsm1", { caps: [daily(), recipients()] })];
    const res = await h.call("GET", "/health", { key: null });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, Record<string, unknown>[]> };
    expect(body.status).toBe("warn");
    expect(body.checks["modem:gsm1"]?.[0]).toMatchObject({
      status: "warn",
      caps: [{ cap: "distinct-recipients-cap", limit: 150, used: 150, until: "2026-12-26T09:00:00.001Z" }],
      output: "distinct-recipients-cap reached (150 of 150): parts wait until 2026-12-26T09:00:00.001Z",
    });
  });

  it("passes while a cap is reached but holds nothing back, and keeps a modem error in the output", async () => {
    const h = harness();
    h.modems.modems = [
      fakeModem("gsm1", { caps: [recipients({ holding: false })] }),
      fakeModem("gsm2", {
        lastError: "+CMS ERROR: 500",
        caps: [daily({ used: 200, reached: true, until: MIDNIGHT, holding: true })],
      }),
    ];
    const body = (await (await h.call("GET", "/health", { key: null })).json()) as {
      checks: Record<string, Record<string, unknown>[]>;
    };
    expect(body.checks["modem:gsm1"]?.[0]?.status).toBe("pass");
    expect(body.checks["modem:gsm1"]?.[0]).not.toHaveProperty("caps");
    expect(body.checks["modem:gsm2"]?.[0]?.output).toBe(
      "+CMS ERROR: 500; daily-cap reached (200 of 200): parts wait until 2026-11-27T00:00:00.000Z",
    );
  });

  it("exports reached, holding and remaining per modem and cap; a cap turned off has no series", async () => {
    const h = harness();
    h.modems.modems = [fakeModem("gsm1", { caps: [daily(), recipients()] }), fakeModem("gsm2", { caps: [] })];
    const text = await (await h.call("GET", "/metrics", { key: null })).text();
    expect(text).toContain('smsgw_modem_cap_reached{modem="gsm1",cap="distinct-recipients-cap"} 1');
    expect(text).toContain('smsgw_modem_cap_reached{modem="gsm1",cap="daily-cap"} 0');
    expect(text).toContain('smsgw_modem_cap_holding{modem="gsm1",cap="distinct-recipients-cap"} 1');
    expect(text).toContain('smsgw_modem_cap_remaining{modem="gsm1",cap="daily-cap"} 50');
    expect(text).toContain('smsgw_modem_cap_remaining{modem="gsm1",cap="distinct-recipients-cap"} 0');
    expect(text).not.toMatch(/smsgw_modem_cap_\w+\{modem="gsm2"/);
  });
});
