/** Without Gammu the oracle tests must fail loudly with the fix, never pass or skip quietly. */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startGammu } from "./gammu.js";

describe("the Gammu oracle when python3-gammu is missing", () => {
  it("rejects with the install hint when the interpreter cannot import gammu", async () => {
    // A stand-in interpreter that fails exactly like Python without the module.
    const dir = mkdtempSync(join(tmpdir(), "no-gammu-"));
    const fake = join(dir, "python3");
    writeFileSync(fake, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'gammu'\" >&2\nexit 1\n");
    chmodSync(fake, 0o755);
    await expect(startGammu({ python: fake })).rejects.toThrow(/apt-get install python3-gammu/);
  });

  it("rejects with the install hint when the interpreter is not there at all", async () => {
    await expect(startGammu({ python: "/nonexistent/python3" })).rejects.toThrow(/python3-gammu/);
  });
});
