import { describe, expect, it } from "vitest";
import { fakeModem } from "./fakes.js";
import { harness } from "./harness.js";

describe("/v1/modems", () => {
  it("lists modems with identity, SIM, registration, signal, counters", async () => {
    const { call } = harness();
    const res = await call("GET", "/v1/modems", { key: "read" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[] };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      name: "gsm1",
      state: "ready",
      sim: { state: "ready" },
      registration: "home",
      operator: "Orange F",
      signalDbm: -73,
      counters: { sent: 10, failed: 1, received: 4 },
      lastSuccessAt: new Date(1_700_000_000_000).toISOString(),
    });
    expect((await call("GET", "/v1/modems/gsm1")).status).toBe(200);
    expect((await call("GET", "/v1/modems/nope")).status).toBe(404);
  });

  it("disable/enable/reset need admin and act on the modem", async () => {
    const { call, modems } = harness();
    expect((await call("POST", "/v1/modems/gsm1/disable", { key: "both" })).status).toBe(403);
    const off = await call("POST", "/v1/modems/gsm1/disable");
    expect(((await off.json()) as { enabled: boolean }).enabled).toBe(false);
    const on = await call("POST", "/v1/modems/gsm1/enable");
    expect(((await on.json()) as { state: string }).state).toBe("ready");
    expect((await call("POST", "/v1/modems/gsm1/reset")).status).toBe(200);
    expect(modems.resets).toEqual(["gsm1"]);
    expect((await call("POST", "/v1/modems/ghost/reset")).status).toBe(404);
  });
});

describe("/v1/sim/{modem}/inject", () => {
  it("is mounted only when SimControl is provided", async () => {
    const without = harness({ deps: { sim: undefined } });
    expect(
      (
        await without.call("POST", "/v1/sim/gsm1/inject", {
          body: { kind: "inbound", from: "+33612345678", text: "hi" },
        })
      ).status,
    ).toBe(404);
    const { call, sim } = harness();
    const res = await call("POST", "/v1/sim/gsm1/inject", {
      body: { kind: "inbound", from: "+33612345678", text: "STOP" },
    });
    expect(res.status).toBe(202);
    expect(sim.injected).toEqual([
      { modem: "gsm1", req: { kind: "inbound", from: "+33612345678", text: "STOP" } },
    ]);
    const report = await call("POST", "/v1/sim/gsm1/inject", {
      body: { kind: "status-report", status: "delivered" },
    });
    expect(report.status).toBe(422);
    expect(
      (await call("POST", "/v1/sim/other/inject", { body: { kind: "inbound", from: "+1555", text: "x" } }))
        .status,
    ).toBe(404);
  });
});

describe("health endpoints", () => {
  it("/livez always 200; /readyz 503 without a ready modem or database", async () => {
    const h = harness();
    expect((await h.call("GET", "/livez", { key: null })).status).toBe(200);
    expect((await h.call("GET", "/readyz", { key: null })).status).toBe(200);
    h.modems.modems = [fakeModem("gsm1", { state: "recovering" })];
    expect((await h.call("GET", "/readyz", { key: null })).status).toBe(503);
    h.modems.modems = [fakeModem("gsm1")];
    h.health.dbError = "SQLITE_IOERR";
    expect((await h.call("GET", "/readyz", { key: null })).status).toBe(503);
  });

  it("/health is application/health+json with one check per modem; warn when one of two fails", async () => {
    const h = harness();
    h.modems.modems = [
      fakeModem("gsm1"),
      fakeModem("gsm2", {
        state: "pin-required",
        sim: { state: "pin-required" },
        lastError: "SIM PIN required",
      }),
    ];
    const res = await h.call("GET", "/health", { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/health+json");
    const body = (await res.json()) as {
      status: string;
      version: string;
      checks: Record<string, Record<string, unknown>[]>;
    };
    expect(body.status).toBe("warn");
    expect(body.version).toBe("1.2.3");
    expect(body.checks["modem:gsm1"]?.[0]).toMatchObject({
      status: "pass",
      registration: "home",
      signalDbm: -73,
      queueDepth: 3,
    });
    expect(body.checks["modem:gsm2"]?.[0]).toMatchObject({
      status: "fail",
      sim: "pin-required",
      output: "SIM PIN required",
    });
    h.modems.modems = [fakeModem("gsm2", { state: "failed" })];
    const down = await h.call("GET", "/health", { key: null });
    expect(down.status).toBe(503);
    expect(((await down.json()) as { status: string }).status).toBe("fail");
  });
});

describe("unknown routes", () => {
  it("404 problem for an unknown path, authenticated or not", async () => {
    const { call } = harness();
    const res = await call("GET", "/nope", { key: null });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await call("DELETE", "/v1/messages/msg_1")).status).toBe(404);
  });
});

describe("regression: a failing modem source makes the probes fail, not 500", () => {
  it("/readyz and /health answer 503 when listing modems throws", async () => {
    const h = harness();
    h.modems.list = async () => {
      throw new Error("registry unavailable");
    };
    expect((await h.call("GET", "/readyz", { key: null })).status).toBe(503);
    const res = await h.call("GET", "/health", { key: null });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { status: string }).status).toBe("fail");
  });
});
