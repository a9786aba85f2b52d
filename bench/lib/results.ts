/**
 * bench/RESULTS.md is shared: each benchmark owns one "## <title>" section and rewrites only that
 * section, so figures from other benchmarks survive a re-run.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const HEADER =
  "# Benchmark results\n\nFigures measured by the scripts under bench/; each section says how to reproduce it.\n";

export function writeSection(file: string, title: string, body: string): void {
  const text = existsSync(file) ? readFileSync(file, "utf8") : HEADER;
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = text.indexOf(`${heading}\n`);
  if (start < 0) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf("\n## ", start + heading.length);
  const end = next < 0 ? text.length : next + 1;
  writeFileSync(file, `${text.slice(0, start)}${section}${next < 0 ? "" : `\n${text.slice(end)}`}`);
}
