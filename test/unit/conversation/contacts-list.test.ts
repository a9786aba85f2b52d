import { beforeEach, describe, expect, it } from "vitest";
import { optOut } from "../../../src/conversation/consent.js";
import { type Contact, getContact, listContacts, updateContact } from "../../../src/conversation/contacts.js";
import { type Db, openDb } from "../../../src/store/db.js";

let db: Db;
const at = Date.UTC(2026, 10, 26, 9);
const ctx = () => ({ db, at });
const nums = (items: readonly Contact[]) => items.map((c) => c.e164);

beforeEach(() => {
  db = openDb({ path: ":memory:" });
  updateContact(ctx(), "+33612345678", {
    name: "Léa 100%",
    tags: ["vip", "garage"],
    fields: { order: "A_12" },
  });
  updateContact(ctx(), "+33698765432", { name: "Paul", tags: ["garage"] });
  updateContact(ctx(), "+262692123456", { name: "Inès", tags: ["vip"] });
  updateContact(ctx(), "+33611223344", { timeZone: "Indian/Reunion" });
  optOut(ctx(), "+33698765432", { source: "api" });
});

describe("listContacts", () => {
  it("filters by tag, zone (derived or overridden) and opt-out, in number order", () => {
    expect(nums(listContacts(ctx(), {}, { limit: 10 }).items)).toEqual([
      "+262692123456",
      "+33611223344",
      "+33612345678",
      "+33698765432",
    ]);
    expect(nums(listContacts(ctx(), { tag: "garage" }, { limit: 10 }).items)).toEqual([
      "+33612345678",
      "+33698765432",
    ]);
    expect(nums(listContacts(ctx(), { tag: "gar" }, { limit: 10 }).items)).toEqual([]);
    expect(nums(listContacts(ctx(), { zone: "Indian/Reunion" }, { limit: 10 }).items)).toEqual([
      "+262692123456",
      "+33611223344",
    ]);
    expect(nums(listContacts(ctx(), { optedOut: true }, { limit: 10 }).items)).toEqual(["+33698765432"]);
    expect(listContacts(ctx(), { optedOut: false }, { limit: 10 }).items).toHaveLength(3);
  });

  it("searches name, number and field values, with LIKE wildcards taken literally", () => {
    expect(nums(listContacts(ctx(), { q: "léa" }, { limit: 10 }).items)).toEqual(["+33612345678"]);
    expect(nums(listContacts(ctx(), { q: "PAUL" }, { limit: 10 }).items)).toEqual(["+33698765432"]);
    expect(nums(listContacts(ctx(), { q: "2692" }, { limit: 10 }).items)).toEqual(["+262692123456"]);
    expect(nums(listContacts(ctx(), { q: "A_12" }, { limit: 10 }).items)).toEqual(["+33612345678"]);
    expect(nums(listContacts(ctx(), { q: "A_1" }, { limit: 10 }).items)).toEqual(["+33612345678"]);
    expect(nums(listContacts(ctx(), { q: "AX12" }, { limit: 10 }).items)).toEqual([]);
    expect(nums(listContacts(ctx(), { q: "100%" }, { limit: 10 }).items)).toEqual(["+33612345678"]);
    expect(nums(listContacts(ctx(), { q: "%" }, { limit: 10 }).items)).toEqual(["+33612345678"]);
  });

  it("pages after the last number without gaps or repeats", () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 5; i++) {
      const p = listContacts(ctx(), {}, { limit: 3, ...(after !== undefined && { after }) });
      seen.push(...nums(p.items));
      if (!p.next) break;
      after = p.next;
    }
    expect(seen).toEqual(nums(listContacts(ctx(), {}, { limit: 10 }).items));
    expect(listContacts(ctx(), {}, { limit: 4 }).next).toBeUndefined();
  });

  it("merges fields (null removes one) and replaces tags", () => {
    const c = updateContact(ctx(), "+33612345678", { fields: { order: null, shop: "Nord" }, tags: ["new"] });
    expect(c.fields).toEqual({ shop: "Nord" });
    expect(c.tags).toEqual(["new"]);
    expect(c.createdAt).toBe(at);
  });

  it("refuses a merge past the field limit, changing nothing", () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, "x"]));
    updateContact(ctx(), "+33612345678", { fields: many });
    const more = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`g${i}`, "y"]));
    expect(() => updateContact(ctx(), "+33612345678", { fields: more })).toThrow(
      expect.objectContaining({ name: "ContactError", field: "fields" }),
    );
    expect(Object.keys(getContact(ctx(), "+33612345678")?.fields ?? {})).toHaveLength(61);
  });
});
