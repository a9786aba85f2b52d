/**
 * Counts and times every SQLite statement run through better-sqlite3 (prepare is wrapped on the
 * prototype, so the statement cache of src/store/tx.ts keeps working), to show which queries of the
 * send path cost what. Diagnosis only: installed by bench/profile/client.ts when PROFILE_SQL is set.
 */
import Database from "better-sqlite3";

export interface SqlFigure {
  readonly sql: string;
  readonly calls: number;
  readonly ms: number;
}

const figures = new Map<string, { calls: number; ns: bigint }>();

export function installSqlMeter(): void {
  const proto = Database.prototype as unknown as { prepare(this: unknown, sql: string): unknown };
  const prepare = proto.prepare;
  proto.prepare = function (this: unknown, sql: string) {
    const s = prepare.call(this, sql) as Record<string, unknown>;
    const key = sql.replace(/\s+/g, " ").trim().slice(0, 110);
    for (const m of ["run", "get", "all"]) {
      const f = s[m] as (...a: unknown[]) => unknown;
      s[m] = (...a: unknown[]) => {
        const t = process.hrtime.bigint();
        try {
          return f.apply(s, a);
        } finally {
          const e = figures.get(key) ?? { calls: 0, ns: 0n };
          e.calls++;
          e.ns += process.hrtime.bigint() - t;
          figures.set(key, e);
        }
      };
    }
    return s;
  };
}

export function sqlFigures(): SqlFigure[] {
  return [...figures]
    .map(([sql, f]) => ({ sql, calls: f.calls, ms: Number(f.ns) / 1e6 }))
    .sort((a, b) => b.ms - a.ms);
}

export function resetSqlMeter(): void {
  figures.clear();
}
