import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../../src/cli/config.js";

const dir = mkdtempSync(join(tmpdir(), "smsgw-cfgcli-"));

async function check(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = "";
  let err = "";
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), env });
  return { code, out, err };
}

describe("smsgw config check", () => {
  it("exits 0 and prints the effective config with defaults", async () => {
    const f = join(dir, "ok.toml");
    writeFileSync(f, '[[modems]]\nid = "a"\nport = "sim://sim800"\n');
    const r = await check(["check", "--config", f]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('listen = "127.0.0.1:8080"');
    expect(r.out).toContain("max_distinct_recipients_30d = 150");
    expect(r.err).toContain("configuration is valid");
  });

  it("exits 78 (EX_CONFIG) listing every error", async () => {
    const f = join(dir, "bad.toml");
    writeFileSync(f, '[http]\nlisten = 1\n[[modems]]\nid = "a"\nport = 42\n');
    const r = await check(["check", "--config", f]);
    expect(r.code).toBe(78);
    expect(r.err).toContain("2 configuration error(s)");
    expect(r.err).toContain("http.listen:");
    expect(r.err).toContain(
      "modems[0].port: expected a path like /dev/serial/by-id/… or tcp://host:port or sim://persona, got 42",
    );
    expect(r.out).toBe("");
  });

  it("takes the file from SMSGW_CONFIG and warns about unreadable secrets", async () => {
    const f = join(dir, "env.toml");
    writeFileSync(f, '[[modems]]\nid = "a"\nport = "/dev/ttyUSB0"\nsim_pin = { credential = "sim-pin" }\n');
    const r = await check(["check"], { SMSGW_CONFIG: f });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: modems\[0\]\.sim_pin \(credential "sim-pin"\) cannot be read here/);
  });

  it("exits 2 on bad usage", async () => {
    expect((await check([])).code).toBe(2);
    expect((await check(["check", "--bogus"])).code).toBe(2);
  });
});
