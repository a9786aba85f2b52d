/**
 * Erasure and export follow the schema: a table added later that keys rows by `contact`, and a
 * table referencing it through a foreign key (without ON DELETE CASCADE), are covered unchanged.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { childrenOf, contactTables } from "../../../src/conversation/contact-tables.js";
import { eraseContact } from "../../../src/conversation/erase.js";
import { exportContact } from "../../../src/conversation/gdpr.js";
import { Engine } from "../../../src/engine/engine.js";
import { createIdFactory } from "../../../src/store/ids.js";
import { runTx } from "../../../src/store/tx.js";

const A = "+33612345678";
const B = "+33698765432";
const at = Date.UTC(2026, 10, 26, 9);
let engine: Engine;

beforeEach(() => {
  engine = new Engine({ db: ":memory:", clock: { now: () => at, setTimeout: () => ({ clear() {} }) } });
  engine.db.exec(`
    CREATE TABLE agent_notes (id INTEGER PRIMARY KEY, contact TEXT NOT NULL, text TEXT NOT NULL);
    CREATE TABLE agent_note_links (note_id INTEGER NOT NULL REFERENCES agent_notes(id), url TEXT NOT NULL);`);
  for (const who of [A, B]) {
    engine.db
      .prepare(
        "INSERT INTO contacts (e164, time_zone, created_at, updated_at) VALUES (?, 'Europe/Paris', ?, ?)",
      )
      .run(who, at, at);
    const n = engine.db
      .prepare("INSERT INTO agent_notes (contact, text) VALUES (?, ?)")
      .run(who, `note ${who}`);
    engine.db
      .prepare("INSERT INTO agent_note_links (note_id, url) VALUES (?, ?)")
      .run(n.lastInsertRowid, `https://crm/${who}`);
  }
});

describe("schema-driven erasure and export", () => {
  it("finds the tables keyed by contact and the foreign keys into them", () => {
    expect(contactTables(engine.db)).toEqual(
      expect.arrayContaining(["agent_notes", "consent_ledger", "conversations"]),
    );
    expect(childrenOf(engine.db, "agent_notes")).toEqual([
      { table: "agent_note_links", from: "note_id", to: "id" },
    ]);
    expect(childrenOf(engine.db, "messages")).toEqual([{ table: "parts", from: "message_id", to: "id" }]);
  });

  it("a table created after the map was first read is erased too (the map follows schema_version)", () => {
    expect(contactTables(engine.db)).not.toContain("late_notes");
    engine.db.exec("CREATE TABLE late_notes (contact TEXT NOT NULL, text TEXT)");
    engine.db.prepare("INSERT INTO late_notes VALUES (?, 'x'), (?, 'y')").run(A, B);
    expect(contactTables(engine.db)).toContain("late_notes");
    const r = runTx({ db: engine.db, bus: engine.bus, ids: createIdFactory(), now: () => at }, (tx) =>
      eraseContact(tx, A, { pepper: Buffer.alloc(16, 1) }),
    );
    expect(r.counts).toMatchObject({ late_notes: 1 });
    expect(engine.db.prepare("SELECT contact FROM late_notes").all()).toEqual([{ contact: B }]);
  });

  it("exports the new table's rows and erases them with their children first, sparing the other contact", () => {
    expect(exportContact(engine.db, A, at).related).toEqual({
      agent_notes: [{ id: 1, contact: A, text: `note ${A}` }],
    });
    const r = runTx({ db: engine.db, bus: engine.bus, ids: createIdFactory(), now: () => at }, (tx) =>
      eraseContact(tx, A, { pepper: Buffer.alloc(16, 1) }),
    );
    expect(r.counts).toMatchObject({ agent_notes: 1, agent_note_links: 1, contacts: 1 });
    expect(engine.db.prepare("SELECT contact FROM agent_notes").all()).toEqual([{ contact: B }]);
    expect(engine.db.prepare("SELECT url FROM agent_note_links").all()).toEqual([
      { url: `https://crm/${B}` },
    ]);
  });
});
