import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { optOut, suppressionOf } from "../../../src/conversation/consent.js";
import { ensureContact } from "../../../src/conversation/contacts.js";
import {
  checkPepper,
  hashedObjections,
  keepObjection,
  numberHash,
  PepperError,
  pepperOf,
  registerPepper,
  restoreSuppression,
} from "../../../src/conversation/pepper-hash.js";
import { type Db, openDb } from "../../../src/store/db.js";

const A = "+33612345678";
const pepper = Buffer.from("a-secret-pepper-of-32-bytes-long");
let db: Db;
let at = Date.UTC(2026, 10, 26, 9);
const ctx = () => ({ db, at });

beforeEach(() => {
  db = openDb({ path: ":memory:" });
  at = Date.UTC(2026, 10, 26, 9);
});

describe("peppered number hash", () => {
  it("is HMAC-SHA256(pepper, e164) in hex, and depends on the pepper", () => {
    expect(numberHash(pepper, A)).toBe(createHmac("sha256", pepper).update(A).digest("hex"));
    expect(numberHash(pepper, A)).toMatch(/^[0-9a-f]{64}$/);
    expect(numberHash(Buffer.from("another-secret-pepper-32-bytes!!"), A)).not.toBe(numberHash(pepper, A));
    expect(numberHash(pepper, "+33612345679")).not.toBe(numberHash(pepper, A));
  });

  it("refuses a short pepper with a typed error", () => {
    expect(() => checkPepper(Buffer.alloc(15))).toThrow(PepperError);
    expect(() => registerPepper(db, Buffer.alloc(0))).toThrow(/at least 16 bytes/);
    expect(pepperOf(db)).toBeUndefined();
  });

  it("is registered per connection: another database does not see it", () => {
    registerPepper(db, pepper);
    const other = openDb({ path: ":memory:" });
    expect(pepperOf(db)?.equals(pepper)).toBe(true);
    expect(pepperOf(other)).toBeUndefined();
  });
});

describe("objections kept under the hash", () => {
  it("are consulted only when the connection has the pepper", () => {
    keepObjection(ctx(), numberHash(pepper, A), "all", at - 1000);
    expect(suppressionOf(ctx(), A)).toBeUndefined();
    expect(hashedObjections(ctx(), A)).toEqual([]);
    registerPepper(db, pepper);
    expect(suppressionOf(ctx(), A)).toEqual({
      contact: A,
      since: at - 1000,
      via: "erasure",
      keyword: null,
      inboundMessageId: null,
      withdrawnPurposes: [],
    });
  });

  it("a second erasure keeps the earliest objection date", () => {
    registerPepper(db, pepper);
    const hash = numberHash(pepper, A);
    keepObjection(ctx(), hash, "all", at - 5000);
    at += 1000;
    keepObjection(ctx(), hash, "all", at - 100);
    expect(hashedObjections(ctx(), A)).toEqual([{ scope: "all", since: at - 6000, erasedAt: at }]);
  });

  it("restoring moves the opt-out back into a suppression row; an opt-out is then not recorded twice", () => {
    registerPepper(db, pepper);
    keepObjection(ctx(), numberHash(pepper, A), "all", at - 1000);
    ensureContact(ctx(), A);
    expect(db.prepare("SELECT contact, since, via FROM suppressions").all()).toEqual([
      { contact: A, since: at - 1000, via: "erasure" },
    ]);
    expect(hashedObjections(ctx(), A)).toEqual([]);
    expect(restoreSuppression(ctx(), A)).toBe(false);
    expect(optOut(ctx(), A, { source: "sms-keyword", keyword: "STOP" }).changed).toBe(false);
  });
});
