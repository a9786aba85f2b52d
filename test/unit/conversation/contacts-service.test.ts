import { beforeEach, describe, expect, it } from "vitest";
import { ContactsServiceError, createContactsService } from "../../../src/conversation/contacts-service.js";
import { numberHash, pepperOf } from "../../../src/conversation/pepper-hash.js";
import { checkDispatch } from "../../../src/conversation/policy.js";
import { Engine } from "../../../src/engine/engine.js";

const A = "+33612345678";
const pepper = Buffer.from("0123456789abcdef0123456789abcdef");
let at = Date.parse("2026-11-26T09:00:00Z");
let engine: Engine;
let svc: ReturnType<typeof createContactsService>;

beforeEach(() => {
  at = Date.parse("2026-11-26T09:00:00Z");
  engine = new Engine({ db: ":memory:", clock: { now: () => at, setTimeout: () => ({ clear() {} }) } });
  svc = createContactsService({ db: engine.db, bus: engine.bus, pepper, now: () => at });
});

const fails = (fn: () => unknown, code: string, field?: string) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ContactsServiceError);
    expect(e).toMatchObject({ code, ...(field !== undefined && { field }) });
    return;
  }
  throw new Error("expected a ContactsServiceError");
};

describe("createContactsService", () => {
  it("registers the pepper for the connection, so the send path sees erased opt-outs", () => {
    expect(pepperOf(engine.db)?.equals(pepper)).toBe(true);
    engine.db
      .prepare("INSERT INTO suppression_hashes (hash, scope, since, erased_at) VALUES (?, 'all', ?, ?)")
      .run(numberHash(pepper, A), at - 1, at);
    const { id } = engine.enqueue({ to: A, text: "x", category: "transactional" });
    // The lease-time check of an engine run without compliance configuration: opt-outs only.
    expect(checkDispatch({ db: engine.db, at }, { messageId: id, to: A }, null)).toEqual({
      ok: false,
      action: "cancel",
      reason: "opted-out",
    });
  });

  it("resolves national and E.164 input by the send rule; keeps a stored out-of-plan number; refuses garbage", () => {
    expect(svc.resolve("06 12 34 56 78")).toBe(A);
    expect(svc.resolve(A)).toBe(A);
    fails(() => svc.resolve("+999123456789"), "invalid", "e164");
    engine.db
      .prepare("INSERT INTO suppressions (contact, since, via) VALUES ('+999123456789', ?, 'api')")
      .run(at);
    expect(svc.resolve("+999123456789")).toBe("+999123456789");
    fails(() => svc.resolve("hello"), "invalid", "e164");
  });

  it("maps domain refusals to typed errors and writes nothing", () => {
    fails(() => svc.patch(A, { timeZone: "Mars/Olympus" }), "invalid", "timeZone");
    fails(() => svc.recordConsent(A, { purpose: "marketing", status: "granted", source: "api" }), "invalid");
    fails(() => svc.erase(A), "not_found");
    expect(svc.get(A)).toBeUndefined();
    expect(svc.consents(A)).toBeUndefined();
    expect(svc.export(A)).toBeUndefined();
  });

  it("reports creation, records consent with its effect, erases with the requester in the log", () => {
    expect(svc.patch(A, { name: "Léa" }).created).toBe(true);
    expect(svc.patch(A, { tags: ["vip"] })).toMatchObject({
      created: false,
      contact: { name: "Léa", tags: ["vip"] },
    });
    const r = svc.recordConsent(A, {
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "in-store",
    });
    expect(r).toMatchObject({
      canceled: [],
      state: { current: [expect.objectContaining({ status: "granted" })] },
    });
    const e = svc.erase(A, "dpo");
    expect(e).toMatchObject({ kept: [], hashPrefix: null, counts: { contacts: 1, consent_ledger: 1 } });
    expect(engine.db.prepare("SELECT requested_by FROM erasures").all()).toEqual([{ requested_by: "dpo" }]);
  });

  it("refuses a short pepper at construction", () => {
    expect(() => createContactsService({ db: engine.db, pepper: Buffer.alloc(8), now: () => at })).toThrow(
      /16 bytes/,
    );
  });
});
