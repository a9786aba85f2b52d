/**
 * Plain-text tables for people (scripts use --json). Columns are padded to the widest cell, a
 * column may be capped (long message texts end with "…"), and control characters in a cell are shown
 * escaped so that a received SMS cannot move the cursor or clear the terminal.
 */

export interface Column<T> {
  readonly header: string;
  readonly get: (row: T) => string | number | null | undefined;
  /** Longest cell, in characters; longer cells are cut with "…". */
  readonly max?: number;
  readonly align?: "left" | "right";
}

/** Escapes C0/C1 controls (ESC sequences from an SMS body must not reach the terminal). */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === "\n" ? "⏎" : c === "\t" ? " " : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

function cell<T>(c: Column<T>, row: T): string {
  const v = c.get(row);
  let s = v === null || v === undefined || v === "" ? "-" : printable(String(v));
  const chars = [...s];
  if (c.max !== undefined && chars.length > c.max) s = `${chars.slice(0, c.max - 1).join("")}…`;
  return s;
}

const width = (s: string) => [...s].length;

export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(c, r)));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i] ?? ""))));
  const line = (vals: readonly string[]) =>
    vals
      .map((v, i) => {
        const pad = " ".repeat(Math.max(0, (widths[i] ?? 0) - width(v)));
        return columns[i]?.align === "right" ? pad + v : v + pad;
      })
      .join("  ")
      .trimEnd();
  return `${[line(columns.map((c) => c.header)), ...cells.map(line)].join("\n")}\n`;
}

/** "2026-11-26T11:20:03.123Z" → "2026-11-26 11:20:03" (UTC, as the API gives it). */
export function shortTime(iso: string | null | undefined): string {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : "-";
}

/** Two-column "key  value" block for one object. */
export function renderFields(fields: readonly [string, string | number | null | undefined][]): string {
  const w = Math.max(...fields.map(([k]) => k.length));
  return `${fields.map(([k, v]) => `${k.padEnd(w)}  ${v === null || v === undefined ? "-" : printable(String(v))}`).join("\n")}\n`;
}
