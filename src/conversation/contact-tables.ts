/**
 * Where a contact's rows live, read from the schema itself rather than from a list kept by hand:
 * every table with a `contact` column holds rows about one number (consents, suppressions, flags,
 * sticky routes, conversation threads…), and tables that point at those rows through a declared
 * foreign key hold more of them. Erasure (GDPR art. 17) and export (art. 15) walk the same map, so
 * a table added by a later migration is erased and exported without touching this code, as long as
 * it keys its rows by `contact` or declares its foreign keys.
 */
import type { Db } from "../store/db.js";
import { stmt } from "../store/tx.js";

const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;

export interface ForeignKey {
  /** The child table and its referencing column. */
  readonly table: string;
  readonly from: string;
  /** The referenced column of the parent. */
  readonly to: string;
}

interface SchemaMap {
  readonly version: number;
  readonly tables: ReadonlySet<string>;
  readonly contactTables: readonly string[];
  readonly children: ReadonlyMap<string, readonly ForeignKey[]>;
}

const maps = new WeakMap<Db, SchemaMap>();

/**
 * The map, read once per schema: `PRAGMA schema_version` changes with every schema change
 * (sqlite.org/pragma.html#pragma_schema_version), so a migration or a test that adds a table is
 * seen at once. Reading sqlite_master and each table's pragmas on every call made one erasure
 * prepare dozens of statements (15–40 ms per contact, most of it `prepare`).
 */
function schema(db: Db): SchemaMap {
  const version = stmt(db, "PRAGMA schema_version").pluck().get() as number;
  const cached = maps.get(db);
  if (cached?.version === version) return cached;
  const names = (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((t) => t.name);
  const cols = new Map(
    names.map((t) => [
      t,
      db.prepare(`PRAGMA table_info(${quote(t)})`).all() as { name: string; pk: number }[],
    ]),
  );
  const children = new Map<string, ForeignKey[]>();
  for (const t of names) {
    const fks = db.prepare(`PRAGMA foreign_key_list(${quote(t)})`).all() as {
      table: string;
      from: string;
      to: string | null;
    }[];
    for (const fk of fks) {
      const to = fk.to ?? cols.get(fk.table)?.find((c) => c.pk === 1)?.name;
      if (to) children.set(fk.table, [...(children.get(fk.table) ?? []), { table: t, from: fk.from, to }]);
    }
  }
  const map: SchemaMap = {
    version,
    tables: new Set(names),
    contactTables: names.filter((t) => cols.get(t)?.some((c) => c.name === "contact")),
    children,
  };
  maps.set(db, map);
  return map;
}

export function hasTable(db: Db, name: string): boolean {
  return schema(db).tables.has(name);
}

/** Tables with a `contact` column. */
export function contactTables(db: Db): string[] {
  return [...schema(db).contactTables];
}

/** Foreign keys that reference `parent`. */
export function childrenOf(db: Db, parent: string): ForeignKey[] {
  return [...(schema(db).children.get(parent) ?? [])];
}

/** Rows of `table` whose `column` is one of `keys`. */
export function rowsWhere(
  db: Db,
  table: string,
  column: string,
  keys: readonly unknown[],
): Record<string, unknown>[] {
  if (keys.length === 0) return [];
  return stmt(
    db,
    `SELECT * FROM ${quote(table)} WHERE ${quote(column)} IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(keys)) as Record<string, unknown>[];
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
          : stmt(
              db,
              `SELECT ${quote(fk.to)} AS k FROM ${quote(table)} WHERE ${quote(column)} IN (SELECT value FROM json_each(?))`,
            )
              .all(json)
              .map((r) => (r as { k: unknown }).k);
      cascadeDelete(db, fk.table, fk.from, parentKeys, counts, depth + 1);
    }
  }
  const n = stmt(
    db,
    `DELETE FROM ${quote(table)} WHERE ${quote(column)} IN (SELECT value FROM json_each(?))`,
  ).run(json).changes;
  if (n > 0) counts[table] = (counts[table] ?? 0) + n;
}
