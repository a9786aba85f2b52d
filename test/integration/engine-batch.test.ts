/**
 * Engine.enqueueMany: one transaction for a batch, refusals per item, and the category's source
 * (issue #7) stored and shown.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { inTxEnqueuer } from "../../src/conversation/enqueue-in-tx.js";
import { Engine } from "../../src/engine/engine.js";
import { isEngineError } from "../../src/engine/errors.js";
import { runTx } from "../../src/store/tx.js";

const at = Date.parse("2026-11-26T09:00:00Z");
let engine: Engine;
afterEach(async () => {
  await engine.stop();
  engine.db.close();
});

function make(): Engine {
  engine = new Engine({ db: ":memory:", clock: { now: () => at, setTimeout: () => ({ clear() {} }) } });
  return engine;
}

const count = (sql: string) => (engine.db.prepare(sql).get() as { n: number }).n;

describe("Engine.enqueueMany", () => {
  it("enqueues the valid items and reports each refused one at its index, leaving no row for it", () => {
    make();
    const seen: string[] = [];
    engine.bus.on("message.status", (e) => seen.push(`${e.id}:${e.to}`));
    const items = engine.enqueueMany([
      { to: "+33612345678", text: "a", category: "transactional" },
      { to: "+999", text: "b", category: "transactional" },
      { to: "+33612345679", text: "c", category: "nope" as "transactional" },
      { to: "+33612345680", text: "d", category: "marketing", idempotencyKey: "k1" },
      { to: "+33612345681", text: "d", category: "marketing", idempotencyKey: "k1" },
    ]);
    expect(items.map((i) => i.ok)).toEqual([true, false, false, true, false]);
    const codes = items.map((i) => (i.ok ? null : isEngineError(i.error) ? i.error.code : "other"));
    expect(codes).toEqual([null, "invalid_number", "invalid_request", null, "idempotency_conflict"]);
    expect(count("SELECT COUNT(*) AS n FROM messages")).toBe(2);
    expect(count("SELECT COUNT(*) AS n FROM parts")).toBe(2);
    // Events of the accepted items only, emitted once the batch committed.
    expect(seen).toHaveLength(2);
  });

  it("runs `prepare` per item inside the transaction: it sees the earlier items, and its refusal is per item", () => {
    make();
    const before: number[] = [];
    const items = engine.enqueueMany(
      ["a", "b", "c"].map((text) => ({ to: "+33612345678", text, category: "transactional" as const })),
      (req, i) => {
        before.push(count("SELECT COUNT(*) AS n FROM messages"));
        if (i === 1) throw new Error("refused by policy");
        return { ...req, text: `${req.text}!` };
      },
    );
    expect(before).toEqual([0, 1, 1]);
    expect(items.map((i) => i.ok)).toEqual([true, false, true]);
    expect(items[1]).toMatchObject({ ok: false, error: { message: "refused by policy" } });
    const ok = items.flatMap((i) => (i.ok ? [i.result.id] : []));
    expect(ok.map((id) => engine.getMessage(id)?.text)).toEqual(["a!", "c!"]);
  });

  it("is one transaction: a storage failure aborts the whole batch and nothing is committed", () => {
    make();
    const run = () =>
      engine.enqueueMany(
        ["a", "b", "c"].map((text) => ({ to: "+33612345678", text, category: "transactional" as const })),
        (req, i) => {
          if (i === 2) throw new Database.SqliteError("disk I/O error", "SQLITE_IOERR");
          return req;
        },
      );
    expect(run).toThrow("disk I/O error");
    expect(count("SELECT COUNT(*) AS n FROM messages")).toBe(0);
  });
});

describe("category source (issue #7)", () => {
  it("is stored with the message and shown in its view; absent means not recorded", () => {
    make();
    const a = engine.enqueue({
      to: "+33612345678",
      text: "a",
      category: "marketing",
      categorySource: "api-key:shop",
    });
    const b = engine.enqueue({ to: "+33612345678", text: "b", category: "transactional" });
    const [c] = engine.enqueueMany([
      { to: "+33612345678", text: "c", category: "conversational", categorySource: "agent:Léa" },
    ]);
    expect(engine.getMessage(a.id)?.categorySource).toBe("api-key:shop");
    expect(engine.getMessage(b.id)?.categorySource).toBeNull();
    expect(c?.ok && engine.getMessage(c.result.id)?.categorySource).toBe("agent:Léa");
  });

  it("refuses a source outside the documented forms", () => {
    make();
    for (const categorySource of ["", "api-key:", "someone", "agent: x"]) {
      let code: string | undefined;
      try {
        engine.enqueue({ to: "+33612345678", text: "a", category: "transactional", categorySource });
      } catch (e) {
        code = isEngineError(e) ? `${e.code}/${(e.context as { field: string }).field}` : "other";
      }
      expect(code, categorySource).toBe("invalid_request/categorySource");
    }
  });

  it("keyword replies enqueued inside the ingest transaction say keyword-reply", () => {
    make();
    const enqueueInTx = inTxEnqueuer({ defaultCountry: "FR" });
    const r = runTx({ db: engine.db, bus: engine.bus, ids: (t) => `m${t}`, now: () => at }, (tx) =>
      enqueueInTx(tx, {
        to: "+33612345678",
        text: "Vous ne recevrez plus de SMS.",
        category: "transactional",
      }),
    );
    expect(engine.getMessage(r.id)?.categorySource).toBe("keyword-reply");
  });
});
