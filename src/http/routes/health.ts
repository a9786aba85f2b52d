/**
 * Liveness, readiness and detailed health.
 * - /livez: the process answers (no dependencies checked: a restart would not fix them).
 * - /readyz: 200 when the database answers and at least one modem is ready, else 503.
 * - /health: draft-inadarei-api-health-check-06, `application/health+json`, status pass/warn/fail,
 *   one check entry per modem under "modem:<name>" plus the database and the queue, and on a
 *   Raspberry Pi "host:power" (under-voltage resets USB modems: src/platform/power-health.ts). A
 *   modem whose cap (daily, gateway daily, distinct recipients) is reached while parts it would send
 *   wait is "warn", with the cap and when it frees: a capped queue must not pass for a stalled one.
 */
import { Hono } from "hono";
import { powerHealthCheck } from "../../platform/power-health.js";
import type { PowerSource } from "../../platform/power-probe.js";
import type { HealthSource, ModemsService, ModemView } from "../deps.js";
import { toIso } from "../request.js";
import type { ModemCapView } from "../views.js";

type Status = "pass" | "warn" | "fail";

function modemStatus(m: ModemView): Status {
  if (!m.enabled) return "warn";
  if (m.state === "ready") return "pass";
  if (m.state === "degraded" || m.state === "recovering" || m.state === "starting") return "warn";
  return "fail";
}

/** "distinct-recipients-cap reached (150 of 150): parts wait until 2026-12-26T09:00:00.001Z". */
const capOutput = (c: ModemCapView) =>
  `${c.cap} reached (${c.used} of ${c.limit}): parts wait${c.until === null ? "" : ` until ${toIso(c.until)}`}`;

const worst = (a: Status, b: Status): Status =>
  a === "fail" || b === "fail" ? "fail" : a === "warn" || b === "warn" ? "warn" : "pass";

export function healthRoutes(deps: {
  health: HealthSource;
  modems: ModemsService;
  version: string;
  now: () => number;
  /** The Pi's get_throttled bits (src/platform): a "host:power" check, absent when not a Pi. */
  power?: PowerSource;
}) {
  const app = new Hono();

  app.get("/livez", (c) => c.json({ status: "pass" }));

  app.get("/readyz", async (c) => {
    const db = deps.health.database();
    // A source that throws means "not ready", never a 500 that a probe could read as a server bug.
    const modems = await deps.modems.list().catch(() => []);
    const ready = modems.filter((m) => m.enabled && m.state === "ready").length;
    const ok = db.ok && ready > 0;
    return c.json(
      { status: ok ? "pass" : "fail", database: db.ok ? "pass" : "fail", modemsReady: ready },
      ok ? 200 : 503,
    );
  });

  app.get("/health", async (c) => {
    const time = toIso(deps.now());
    const db = deps.health.database();
    const q = deps.health.queue();
    const modems = await deps.modems.list().catch(() => []);
    const checks: Record<string, unknown[]> = {
      "database:responseTime": [
        { status: db.ok ? "pass" : "fail", time, ...(!db.ok && { output: db.error }) },
      ],
      "queue:depth": [{ status: "pass", observedValue: q.depth, observedUnit: "parts", time }],
      "queue:oldestAge": [{ status: "pass", observedValue: q.oldestAgeSeconds, observedUnit: "s", time }],
    };
    let status: Status = db.ok ? "pass" : "fail";
    const power = deps.power?.current();
    if (power) {
      const p = powerHealthCheck(power, time);
      checks["host:power"] = [p];
      status = worst(status, p.status);
    }
    const anyReady = modems.some((m) => m.enabled && m.state === "ready");
    for (const m of modems) {
      const held = (m.caps ?? []).filter((c) => c.holding);
      const s = held.length > 0 ? worst(modemStatus(m), "warn") : modemStatus(m);
      const output = [...(m.lastError !== null ? [m.lastError] : []), ...held.map(capOutput)].join("; ");
      status = worst(status, s === "fail" && anyReady ? "warn" : s);
      checks[`modem:${m.name}`] = [
        {
          componentId: m.id,
          componentType: "component",
          status: s,
          time,
          state: m.state,
          sim: m.sim.state,
          registration: m.registration,
          operator: m.operator,
          signalDbm: m.signalDbm,
          queueDepth: q.perModem[m.name]?.depth ?? m.queueDepth,
          lastSuccessAt: toIso(m.lastSuccessAt),
          ...(held.length > 0 && {
            caps: held.map((c) => ({ cap: c.cap, limit: c.limit, used: c.used, until: toIso(c.until) })),
          }),
          ...(output !== "" && { output }),
        },
      ];
    }
    if (modems.length === 0 || !anyReady) status = "fail";
    const body = { status, version: deps.version, serviceId: "smsgw", description: "SMS gateway", checks };
    return c.body(JSON.stringify(body), status === "fail" ? 503 : 200, {
      "content-type": "application/health+json",
      "cache-control": "no-cache",
    });
  });

  return app;
}
