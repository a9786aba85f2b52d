import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { CONVERSATION_SCHEMA_SQL } from "../../../src/conversation/schema.js";
import { migrate, migrations } from "../../../src/store/migrate.js";

const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe("migration 002 (conversation tables)", () => {
  it("gives a fresh database the compliance tables the send path reads", () => {
    const db = new Database(":memory:");
    expect(migrate(db)).toBe(migrations.at(-1)?.version);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        "contacts",
        "consent_ledger",
        "suppressions",
        "compliance_exempt",
        "agent_flags",
      ]),
    );
    expect(() =>
      db.exec(
        "INSERT INTO consent_ledger (contact, purpose, status, source, at, recorded_at) VALUES ('+33612345678','marketing','granted','api',1,1)",
      ),
    ).not.toThrow();
    expect(() => db.exec("UPDATE consent_ledger SET status = 'withdrawn'")).toThrow(/append-only/);
  });

  it("upgrades a version-1 database whose tables were created before 002 existed, keeping its rows", () => {
    const db = new Database(":memory:");
    migrate(db, migrations.slice(0, 1));
    db.exec(CONVERSATION_SCHEMA_SQL);
    db.exec("INSERT INTO suppressions (contact, since, via) VALUES ('+33612345678', 5, 'keyword')");
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    expect(migrate(db, migrations.slice(0, 2))).toBe(2);
    expect(db.pragma("user_version", { simple: true })).toBe(2);
    expect(db.prepare("SELECT contact FROM suppressions").all()).toEqual([{ contact: "+33612345678" }]);
  });
});
