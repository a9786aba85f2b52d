import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrate, migrations } from "../../../src/store/migrate.js";

describe("migration 007 (modem auto-disable)", () => {
  it("gives a modem already disabled for its failure rate a first cool-down, and leaves an operator's alone", () => {
    const db = new Database(":memory:");
    migrate(db, migrations.slice(0, 6));
    const row = db.prepare(
      "INSERT INTO modems (id, enabled, disabled_reason, created_at, updated_at) VALUES (?, 0, ?, 1000, ?)",
    );
    row.run("auto", "failure rate 3/3 over 600 s", 50_000);
    row.run("operator", "maintenance", 50_000);
    migrate(db);
    const rows = db
      .prepare("SELECT id, auto_strikes, auto_last_at, auto_retry_at FROM modems ORDER BY id")
      .all();
    expect(rows).toEqual([
      { id: "auto", auto_strikes: 1, auto_last_at: 50_000, auto_retry_at: 350_000 },
      { id: "operator", auto_strikes: null, auto_last_at: null, auto_retry_at: null },
    ]);
    db.close();
  });
});
