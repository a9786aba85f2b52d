/** Markdown for the fault matrix: a fault × persona overview, the figures of every cell, the notes. */
import type { CellRecord } from "./judge.js";

const secs = (s: number | null) => (s === null ? "–" : `${s < 10 ? s.toFixed(1) : s.toFixed(0)} s`);

function short(r: CellRecord): string {
  const o = r.outcome
    .replace("recovered at rung ", "rung ")
    .replace("recovered by itself", "by itself")
    .replace("reopened by supervisor", "reopened")
    .replace("no visible effect", "no effect");
  const flag = r.lost || r.sentTwice ? " ⚠" : r.inbound.stranded ? " (inbound stranded)" : "";
  return r.recoveryS === null ? `**${o}**${flag}` : `${o}, ${secs(r.recoveryS)}${flag}`;
}

export function matrixTable(cells: readonly CellRecord[]): string[] {
  const personas = [...new Set(cells.map((c) => c.persona))];
  const faults = [...new Set(cells.map((c) => c.fault))];
  const at = (f: string, p: string) => cells.find((c) => c.fault === f && c.persona === p);
  return [
    `| fault | ${personas.join(" | ")} |`,
    `|---|${personas.map(() => "---").join("|")}|`,
    ...faults.map(
      (f) => `| \`${f}\` | ${personas.map((p) => (at(f, p) ? short(at(f, p)!) : "")).join(" | ")} |`,
    ),
  ];
}

export function detailTable(cells: readonly CellRecord[]): string[] {
  return [
    "| fault | persona | outcome | rungs | reopens | recovery | sent | failed | unknown | delayed | waiting | lost | sent twice | inbound stored/injected (delayed) | virtual s | wall s |",
    "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ...cells.map(
      (c) =>
        `| \`${c.fault}\` | ${c.persona} | ${c.outcome} | ${c.rungs.join("→") || "–"} | ${c.reopens} | ${secs(c.recoveryS)} | ${c.sent} | ${c.failed} | ${c.unknown} | ${c.delayed} | ${c.waiting} | ${c.lost} | ${c.sentTwice} | ${c.inbound.stored}/${c.inbound.injected} (${c.inbound.delayed})${c.inbound.twice ? `, ${c.inbound.twice} twice` : ""}${c.inbound.stranded ? `, ${c.inbound.stranded} stranded on SIM` : ""} | ${c.virtualS.toFixed(0)} | ${((c.wallMs ?? 0) / 1000).toFixed(1)} |`,
    ),
  ];
}

export function notes(cells: readonly CellRecord[]): string[] {
  return cells
    .filter((c) => c.notes.length)
    .map((c) => `- \`${c.fault}\` × ${c.persona}: ${c.notes.join("; ")}.`);
}
