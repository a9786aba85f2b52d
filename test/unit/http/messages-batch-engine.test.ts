/**
 * POST /v1/messages/batch over the real engine adapter with a compliance configuration: the batch
 * is enqueued in one engine transaction (Engine.enqueueMany; a second connection sees nothing of it
 * until it commits), CompliantSender checks every item inside it, and each refusal keeps its own problem document at its index. The category's source
 * (issue #7) is visible in GET /v1/messages/{id}.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { SenderConfig } from "../../../src/conversation/compliant-sender.js";
import { optOut, recordConsent } from "../../../src/conversation/consent.js";
import { PROFILES } from "../../../src/conversation/windows.js";
import { Engine } from "../../../src/engine/engine.js";
import { engineMessages } from "../../../src/http/adapters.js";
import { PROBLEM_BASE } from "../../../src/http/problems.js";
import { harness } from "./harness.js";

const A = "+33612345678";
const B = "+33612345679";
const at = Date.parse("2026-11-26T09:00:00Z"); // Thursday 10:00 Paris, inside af2m-2026
const compliance: SenderConfig = {
  businessName: "Garage Dupont",
  window: PROFILES["af2m-2026"],
  marketingCap: { max: 1, perDays: 30 },
  now: () => at,
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * The engine on a file, and a second connection to it: what that one sees is what was committed.
 * `visible` records, each time the compliance layer looks at an item, how many messages are committed.
 */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-batch-"));
  dirs.push(dir);
  const path = join(dir, "gw.db");
  const visible: number[] = [];
  let reader: Database.Database | undefined;
  const committed = () =>
    reader ? (reader.prepare("SELECT COUNT(*) AS n FROM messages").get() as { n: number }).n : -1;
  const engine = new Engine({
    db: path,
    clock: { now: () => at, setTimeout: () => ({ clear() {} }) },
    compliance: {
      ...compliance,
      now: () => {
        if (reader) visible.push(committed());
        return at;
      },
    },
  });
  reader = new Database(path, { readonly: true });
  const { call } = harness({ deps: { messages: engineMessages(engine) } });
  return { engine, call, visible, committed, close: () => reader?.close() };
}

describe("POST /v1/messages/batch on the engine", () => {
  it("one transaction for the batch; every item checked by the compliance layer inside it", async () => {
    const { engine, call, visible, committed, close } = setup();
    const ctx = { db: engine.db, at };
    recordConsent(ctx, {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "api",
    });
    optOut(ctx, B, { source: "api" });
    const res = await call("POST", "/v1/messages/batch", {
      key: "send",
      body: {
        messages: [
          { to: A, text: "Révision -10%", category: "marketing" },
          { to: A, text: "Pneus -20%", category: "marketing" }, // the cap (1) counts item 0
          { to: B, text: "Votre voiture est prête" }, // opted out
          { to: "+999", text: "x" }, // passes the schema, not the numbering plan
          { to: A, text: "Votre voiture est prête" },
        ],
      },
    });
    expect(res.status).toBe(202);
    // Items checked one after the other inside one transaction: nothing was committed until the end.
    expect(visible.length).toBeGreaterThanOrEqual(4);
    expect(new Set(visible)).toEqual(new Set([0]));
    expect(committed()).toBe(2);
    const body = (await res.json()) as {
      accepted: number;
      results: { index: number; ok: boolean; message?: { id: string }; problem?: { type: string } }[];
    };
    expect(body.results.map((r) => r.ok)).toEqual([true, false, false, false, true]);
    expect(body.results.map((r) => r.problem?.type)).toEqual([
      undefined,
      `${PROBLEM_BASE}frequency-cap`,
      `${PROBLEM_BASE}recipient-opted-out`,
      `${PROBLEM_BASE}validation`,
      undefined,
    ]);
    expect((engine.db.prepare("SELECT COUNT(*) AS n FROM messages").get() as { n: number }).n).toBe(2);
    const [marketing, plain] = [body.results[0], body.results[4]].map((r) => r?.message?.id as string);
    const view = async (id: string) =>
      (await (await call("GET", `/v1/messages/${id}`, { key: "read" })).json()) as Record<string, unknown>;
    expect(await view(marketing as string)).toMatchObject({
      category: "marketing",
      categorySource: "api-key:sender",
      text: expect.stringMatching(/Garage Dupont : répondez STOP/),
    });
    expect(await view(plain as string)).toMatchObject({
      category: "transactional",
      categorySource: "default",
    });
    await engine.stop();
    close();
  });

  it("an item naming an unknown modem is refused on its own; the others commit", async () => {
    const { engine, call, close } = setup();
    const res = await call("POST", "/v1/messages/batch", {
      body: {
        messages: [
          { to: A, text: "a", modem: "nowhere" },
          { to: A, text: "b" },
        ],
      },
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { results: { ok: boolean; problem?: { errors?: unknown } }[] };
    expect(body.results.map((r) => r.ok)).toEqual([false, true]);
    expect(body.results[0]?.problem?.errors).toMatchObject([{ field: "modem" }]);
    await engine.stop();
    close();
  });
});
