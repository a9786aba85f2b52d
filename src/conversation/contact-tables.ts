/**
 * Where a contact's rows live, read from the schema itself rather than from a list kept by hand:
 * every table with a `contact` column holds rows about one number (consents, suppressions, flags,
 * sticky routes, conversation threads…), and tables that point at those rows through a declared
 * foreign key hold more of them. Erasure (GDPR art. 17) and export (art. 15) walk the same map, so
 * a table added by a later migration is erased and exported without touching this code, as long as
 * it keys its rows by `contact` or declares its foreign keys.
 */
import type { Db } from "../store/db.js";

const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;

function tables(db: Db): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
}

export function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function columns(db: Db, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${quote(table)})`).all() as { name: string }[]).map((c) => c.name);
}

/** Tables with a `contact` column. */
export function contactTables(db: Db): string[] {
  return tables(db).filter((t) => columns(db, t).includes("contact"));
}

export interface ForeignKey {
  /** The child table and its referencing column. */
  readonly table: string;
  readonly from: string;
  /** The referenced column of the parent. */
  readonly to: string;
}

/** Foreign keys that reference `parent`. */
export function childrenOf(db: Db, parent: string): ForeignKey[] {
  const out: ForeignKey[] = [];
  for (const t of tables(db)) {
    const fks = db.prepare(`PRAGMA foreign_key_list(${quote(t)})`).all() as {
      table: string;
      from: string;
      to: string | null;
    }[];
    for (const fk of fks) {
      if (fk.table !== parent) continue;
      const to = fk.to ?? primaryKey(db, parent);
      if (to) out.push({ table: t, from: fk.from, to });
    }
  }
  return out;
}

function primaryKey(db: Db, table: string): string | undefined {
  const cols = db.prepare(`PRAGMA table_info(${quote(table)})`).all() as { name: string; pk: number }[];
  return cols.find((c) => c.pk === 1)?.name;
}

/** Rows of `table` whose `column` is one of `keys`. */
export function rowsWhere(
  db: Db,
  table: string,
  column: string,
  keys: readonly unknown[],
): Record<string, unknown>[] {
  if (keys.length === 0) return [];
  return db
    .prepare(`SELECT * FROM ${quote(table)} WHERE ${quote(column)} IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(keys)) as Record<string, unknown>[];
}

const MAX_DEPTH = 4;

/**
 * Deletes the rows of `table` whose `column` is one of `keys`, children first (so a declared
 * foreign key never refuses the delete), adding the number of rows deleted per table to `counts`.
 */
export function cascadeDelete(
  db: Db,
  table: string,
  column: string,
  keys: readonly unknown[],
  counts: Record<string, number>,
  depth = 0,
): void {
  if (keys.length === 0) return;
  const json = JSON.stringify(keys);
  if (depth < MAX_DEPTH) {
    for (const fk of childrenOf(db, table)) {
      const parentKeys =
        fk.to === column
          ? keys
          : db
              .prepare(
                `SELECT ${quote(fk.to)} AS k FROM ${quote(table)} WHERE ${quote(column)} IN (SELECT value FROM json_each(?))`,
              )
              .all(json)
              .map((r) => (r as { k: unknown }).k);
      cascadeDelete(db, fk.table, fk.from, parentKeys, counts, depth + 1);
    }
  }
  const n = db
    .prepare(`DELETE FROM ${quote(table)} WHERE ${quote(column)} IN (SELECT value FROM json_each(?))`)
    .run(json).changes;
  if (n > 0) counts[table] = (counts[table] ?? 0) + n;
}
