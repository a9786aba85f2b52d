/**
 * POST /v1/messages over the real engine adapter with a registered compliance configuration: each
 * refusal of the compliance layer has its own problem type and status (problems.ts), and the
 * explicit `send` seam of engineMessages replaces the engine's CompliantSender.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { SenderConfig } from "../../../src/conversation/compliant-sender.js";
import { optOut, recordConsent } from "../../../src/conversation/consent.js";
import { PROFILES } from "../../../src/conversation/windows.js";
import { Engine } from "../../../src/engine/engine.js";
import { engineMessages, identityNames } from "../../../src/http/adapters.js";
import { PROBLEM_BASE } from "../../../src/http/problems.js";
import { harness } from "./harness.js";

const A = "+33612345678";
const at = Date.parse("2026-11-26T09:00:00Z"); // Thursday 10:00 Paris, inside af2m-2026
let engine: Engine;
const cfg = (o: Partial<SenderConfig> = {}): SenderConfig => ({
  businessName: "Garage Dupont",
  window: PROFILES["af2m-2026"],
  marketingCap: { max: 1, perDays: 30 },
  now: () => at,
  ...o,
});

/** An engine with (or without) the compliance configuration the composition root gives it. */
function useEngine(compliance?: SenderConfig): void {
  engine = new Engine({
    db: ":memory:",
    clock: { now: () => at, setTimeout: () => ({ clear() {} }) },
    ...(compliance && { compliance }),
  });
}

beforeEach(() => useEngine());

async function send(body: Record<string, unknown>) {
  const { call } = harness({ deps: { messages: engineMessages(engine) } });
  const r = await call("POST", "/v1/messages", { body: { to: A, text: "Révision -10%", ...body } });
  return { status: r.status, body: (await r.json()) as { type?: string; errors?: { field: string }[] } };
}

describe("compliance refusals as problem documents", () => {
  it("opted-out 403, consent-missing 403, frequency-cap 429; accepted marketing carries the footer", async () => {
    useEngine(cfg());
    expect(await send({ category: "marketing" })).toMatchObject({
      status: 403,
      body: { type: `${PROBLEM_BASE}consent-missing` },
    });
    recordConsent(
      { db: engine.db, at },
      { contact: A, purpose: "marketing", status: "granted", basis: "opt-in", source: "api" },
    );
    const ok = await send({ category: "marketing" });
    expect(ok.status).toBe(202);
    expect(engine.getMessage((ok.body as { id: string }).id)?.text).toMatch(
      /\nGarage Dupont : répondez STOP/,
    );
    expect(await send({ category: "marketing" })).toMatchObject({
      status: 429,
      body: { type: `${PROBLEM_BASE}frequency-cap` },
    });
    optOut({ db: engine.db, at }, A, { source: "api" });
    expect(await send({ category: "transactional" })).toMatchObject({
      status: 403,
      body: { type: `${PROBLEM_BASE}recipient-opted-out` },
    });
  });

  it("marketing without [business].name is a 422 on category (the advertiser must be named), other sends pass", async () => {
    useEngine(cfg({ businessName: " " }));
    recordConsent(
      { db: engine.db, at },
      { contact: A, purpose: "marketing", status: "granted", basis: "opt-in", source: "api" },
    );
    const r = await send({ category: "marketing" });
    expect(r.status).toBe(422);
    expect(r.body.errors?.[0]?.field).toBe("category");
    expect((await send({ category: "transactional" })).status).toBe(202);
  });

  it("marketing whose validUntil passes before the window opens is a 422 outside-window naming the opening", async () => {
    useEngine(cfg());
    recordConsent(
      { db: engine.db, at },
      { contact: A, purpose: "marketing", status: "granted", basis: "opt-in", source: "api" },
    );
    // Thursday 10:00 Paris, send asked for Sunday noon: the window opens on Monday 08:00.
    const r = await send({
      category: "marketing",
      sendAt: "2026-11-29T11:00:00Z",
      validUntil: "2026-11-29T20:00:00Z",
    });
    expect(r).toMatchObject({
      status: 422,
      body: { type: `${PROBLEM_BASE}outside-window`, nextWindowAt: "2026-11-30T07:00:00.000Z" },
    });
    expect(engine.listMessages({ direction: "outbound" }).items).toHaveLength(0);
  });

  it("without a compliance configuration the adapter enqueues on the engine as before", async () => {
    optOut({ db: engine.db, at }, A, { source: "api" });
    // Refused at dispatch instead (src/store/lease.ts); the HTTP layer alone does not know the policy.
    expect((await send({ category: "marketing" })).status).toBe(202);
  });

  it("an explicit send function (the seam for createHttpStack) replaces the engine's CompliantSender", async () => {
    useEngine(cfg());
    const seen: string[] = [];
    const messages = engineMessages(engine, identityNames, (req) => {
      seen.push(req.category);
      return engine.enqueue(req);
    });
    const { call } = harness({ deps: { messages } });
    const r = await call("POST", "/v1/messages", { body: { to: A, text: "x", category: "marketing" } });
    expect(r.status).toBe(202);
    expect(seen).toEqual(["marketing"]);
  });
});
