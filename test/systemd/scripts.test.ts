import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const scripts = ["install.sh", "uninstall.sh"].map((s) => join(root, s));

describe("install.sh and uninstall.sh", () => {
  it("parse with bash -n", () => {
    for (const s of scripts) {
      const r = spawnSync("bash", ["-n", s], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
    }
  });

  it("are clean under shellcheck (CI: apt-get install -y shellcheck)", () => {
    const found = spawnSync("sh", ["-c", "command -v shellcheck"]).status === 0;
    expect(found, "shellcheck not found: apt-get install -y shellcheck").toBe(true);
    const r = spawnSync("shellcheck", ["--severity=style", ...scripts], { encoding: "utf8" });
    expect(r.stdout).toBe("");
    expect(r.status).toBe(0);
  });

  it("uninstall keeps config and data unless --purge", () => {
    const keep = spawnSync("bash", [join(root, "uninstall.sh"), "--dry-run"], { encoding: "utf8" });
    expect(keep.status).toBe(0);
    expect(keep.stdout).not.toMatch(/rm -rf [^\n]*(\/etc\/smsgw|\/var\/lib\/smsgw)/);
    expect(keep.stdout).toContain("kept /etc/smsgw");
    const purge = spawnSync("bash", [join(root, "uninstall.sh"), "--dry-run", "--purge"], {
      encoding: "utf8",
    });
    expect(purge.stdout).toContain("+ rm -rf /etc/smsgw /var/lib/smsgw");
  });

  it("rejects unknown options with exit 2", () => {
    expect(spawnSync("bash", [join(root, "install.sh"), "--bogus"]).status).toBe(2);
    expect(spawnSync("bash", [join(root, "uninstall.sh"), "--bogus"]).status).toBe(2);
  });
});
