/**
 * Numbered migrations gated on `PRAGMA user_version` (SQLite: "an integer … not used internally by
 * SQLite, free for applications"). Each migration runs in its own transaction together with the
 * version bump, so a crash mid-migration leaves the previous version intact.
 */
import type Database from "better-sqlite3";
import { m001Init } from "./migrations/001-init.js";
import { m002Conversation } from "./migrations/002-conversation.js";
import { m003Conversations } from "./migrations/003-conversations.js";
import { m004Erasure } from "./migrations/004-erasure.js";
import { m005Retention } from "./migrations/005-retention.js";
import { m006CategorySource } from "./migrations/006-category-source.js";
import { m007ModemAutoDisable } from "./migrations/007-modem-auto-disable.js";
import { m008PartsDue } from "./migrations/008-parts-due.js";

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** In order; versions are 1, 2, 3… without gaps. SQL lives in TS modules so that `tsc` ships it. */
export const migrations: readonly Migration[] = [
  m001Init,
  m002Conversation,
  m003Conversations,
  m004Erasure,
  m005Retention,
  m006CategorySource,
  m007ModemAutoDisable,
  m008PartsDue,
];

export class MigrationError extends Error {
  readonly code = "store_migration" as const;
}

export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  const latest = list.at(-1)?.version ?? 0;
  if (current > latest)
    throw new MigrationError(`database schema version ${current} is newer than this build (${latest})`);
  for (const m of list) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}
