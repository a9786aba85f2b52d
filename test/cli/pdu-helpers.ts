/** Runs `smsgw pdu` in-process with captured output, and builds dist/ for the process-level test. */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CliIo } from "../../src/cli/args.js";
import { run } from "../../src/cli/pdu.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON lines. */
  json: Record<string, unknown>[];
}

export async function pdu(
  args: string[],
  stdinLines?: string[],
  opts: { tty?: boolean } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  async function* input() {
    for (const l of stdinLines ?? []) yield `${l}\n`;
  }
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: input(),
    stdinIsTTY: opts.tty ?? false,
  };
  const code = await run(args, io);
  const json = stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, stdout, stderr, json };
}

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * `npm install` builds dist/ through `prepare`; rebuild only when the CLI or codec sources are newer
 * than the compiled entry (a developer editing without rebuilding). Type errors elsewhere in the tree
 * do not stop tsc from emitting, so the check is on the emitted files, not on tsc's exit code.
 */
export function ensureBuilt(): void {
  const entry = join(ROOT, "dist/src/cli/pdu.js");
  const outputs = [entry, join(ROOT, "dist/src/cli/main.js"), join(ROOT, "dist/src/pdu/index.js")];
  const sources = Math.max(newestMtime(join(ROOT, "src/cli")), newestMtime(join(ROOT, "src/pdu")));
  const compiled = outputs.every((f) => existsSync(f))
    ? Math.min(...outputs.map((f) => statSync(f).mtimeMs))
    : 0;
  if (compiled >= sources) return;
  spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, encoding: "utf8" });
  if (!existsSync(entry)) throw new Error("npm run build did not produce dist/src/cli/pdu.js");
}
