import { spawnSync } from "node:child_process";
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
// A child process logs through createLogger() with its defaults (stdout, "auto" prefix).
const CHILD = `
import { createLogger } from ${JSON.stringify(join(root, "src/log.ts"))};
const log = createLogger({ level: "debug" });
log.child({ mod: "modem", modem: "gsm0" }).warn({ to: "+33612345678" }, "send failed");
log.info("ready");
`;

function runChild(env: (stdout: { dev: number; ino: number }) => NodeJS.ProcessEnv): string[] {
  const file = join(mkdtempSync(join(tmpdir(), "smsgw-journal-")), "stdout");
  const fd = openSync(file, "w");
  const st = fstatSync(fd);
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CHILD], {
    cwd: root,
    stdio: ["ignore", fd, "pipe"],
    env: { PATH: process.env.PATH, ...env({ dev: st.dev, ino: st.ino }) },
    encoding: "utf8",
  });
  closeSync(fd);
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(file, "utf8").trim().split("\n");
}

describe("logging to the journal from a real process", () => {
  it("prefixes lines with <N> when $JOURNAL_STREAM names stdout", () => {
    const lines = runChild((s) => ({ JOURNAL_STREAM: `${s.dev}:${s.ino}` }));
    expect(lines.map((l) => l.slice(0, 3))).toEqual(["<4>", "<6>"]);
    const first = JSON.parse((lines[0] ?? "").slice(3)) as Record<string, unknown>;
    expect(first).toMatchObject({
      level: 40,
      mod: "modem",
      modem: "gsm0",
      to: "[redacted]",
      msg: "send failed",
    });
  });

  it("writes plain JSON when stdout is not the journal", () => {
    const lines = runChild(() => ({}));
    expect(lines.every((l) => l.startsWith("{"))).toBe(true);
  });
});
