import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "../../../src/store/db.js";
import { createIdFactory } from "../../../src/store/ids.js";
import { MigrationError, migrate, migrations } from "../../../src/store/migrate.js";
import { aggregate } from "../../../src/store/status.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("openDb", () => {
  it("opens a file in WAL with synchronous=FULL, foreign keys and the latest schema", () => {
    const dir = mkdtempSync(join(tmpdir(), "smsgw-db-"));
    dirs.push(dir);
    const db = openDb({ path: join(dir, "g.db") });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(db.pragma("user_version", { simple: true })).toBe(migrations.at(-1)?.version);
    db.close();
  });

  it("migrates once: reopening an existing file keeps its rows", () => {
    const dir = mkdtempSync(join(tmpdir(), "smsgw-db-"));
    dirs.push(dir);
    const path = join(dir, "g.db");
    const db = openDb({ path });
    db.prepare("INSERT INTO sticky_routes VALUES ('+33612345678', 'imei:1', 1)").run();
    db.close();
    const again = openDb({ path });
    expect(again.prepare("SELECT COUNT(*) AS n FROM sticky_routes").get()).toEqual({ n: 1 });
    again.close();
  });

  it("refuses a database written by a newer schema", () => {
    const db = new Database(":memory:");
    db.pragma("user_version = 99");
    expect(() => migrate(db)).toThrow(MigrationError);
  });

  it("rolls back a failing migration with its version bump", () => {
    const db = new Database(":memory:");
    expect(() =>
      migrate(db, [{ version: 1, name: "bad", sql: "CREATE TABLE t (a); SELECT nope FROM t;" }]),
    ).toThrow();
    expect(db.pragma("user_version", { simple: true })).toBe(0);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 't'").get()).toEqual({ n: 0 });
  });
});

describe("ids", () => {
  it("sort in creation order, also within one millisecond and when the clock steps back", () => {
    const next = createIdFactory();
    const ids = [next(1000), next(1000), next(1000), next(999), next(2000)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
    expect(ids[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});

describe("aggregate status", () => {
  it("is delivered only when every part is", () => {
    expect(aggregate(["delivered", "delivered"])).toBe("delivered");
    expect(aggregate(["delivered", "sent"])).toBe("sent");
  });
  it("shows a partially sent message as sending", () => {
    expect(aggregate(["sent", "queued"])).toBe("sending");
    expect(aggregate(["queued", "sending"])).toBe("sending");
  });
  it("lets a failure, an expiry or an unknown part dominate", () => {
    expect(aggregate(["delivered", "failed"])).toBe("failed");
    expect(aggregate(["sent", "expired"])).toBe("expired");
    expect(aggregate(["delivered", "unknown"])).toBe("unknown");
    expect(aggregate(["delivered", "undelivered"])).toBe("undelivered");
  });
  it("keeps scheduled and queued apart", () => {
    expect(aggregate(["scheduled", "scheduled"])).toBe("scheduled");
    expect(aggregate(["queued"])).toBe("queued");
    expect(aggregate(["canceled", "canceled"])).toBe("canceled");
  });
});
