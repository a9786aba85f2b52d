import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureGeneratedApiKey } from "../../../src/config/api-key.js";
import { parseConfig } from "../../../src/config/load.js";
import { checkSecrets, effectiveToml } from "../../../src/config/print.js";
import { readSecret, SecretError } from "../../../src/config/secret.js";

const dir = mkdtempSync(join(tmpdir(), "smsgw-secret-"));

describe("secret references", () => {
  it("reads { file }, dropping one trailing newline", () => {
    writeFileSync(join(dir, "pin"), "4821\n");
    expect(readSecret({ file: join(dir, "pin") }, {})).toBe("4821");
  });

  it("reads { credential } from $CREDENTIALS_DIRECTORY (systemd LoadCredential)", () => {
    writeFileSync(join(dir, "sim-pin"), "1111");
    expect(readSecret({ credential: "sim-pin" }, { CREDENTIALS_DIRECTORY: dir })).toBe("1111");
  });

  it("explains how to provide a credential when not under systemd", () => {
    expect(() => readSecret({ credential: "sim-pin" }, {})).toThrow(
      /LoadCredential=sim-pin:\/etc\/smsgw\/sim-pin/,
    );
  });

  it("reads { env } and fails with a typed error naming the variable, not a value", () => {
    expect(readSecret({ env: "X_PIN" }, { X_PIN: "2222" })).toBe("2222");
    expect(() => readSecret({ env: "X_PIN" }, {})).toThrow(SecretError);
    writeFileSync(join(dir, "empty"), "\n");
    expect(() => readSecret({ file: join(dir, "empty") }, {})).toThrow(/is empty/);
  });

  it("rejects a relative file path and a malformed reference", () => {
    const bad =
      '[[modems]]\nid = "a"\nport = "/dev/ttyUSB0"\nsim_pin = { file = "pin" }\n[api]\nkeys = [{ name = "k", key = { vault = "x" } }]\n';
    expect(() => parseConfig(bad, "t", { env: {} })).toThrow(
      /sim_pin: file: expected an absolute path[\s\S]*api\.keys\[0\]\.key: expected a secret reference/,
    );
  });
});

describe("effective config printing", () => {
  const c = parseConfig(
    '[[modems]]\nid = "a"\nport = "/dev/ttyUSB0"\nsim_pin = { env = "MY_PIN" }\n[[webhooks]]\nurl = "https://u:hunter2@shop.example/h"\nsecret = { file = "/etc/smsgw/wh" }\n',
    "t",
    { env: {} },
  );

  it("shows secret references and masks URL passwords", () => {
    const out = effectiveToml(c);
    expect(out).toContain('[modems.sim_pin]\nenv = "MY_PIN"');
    expect(out).toContain("https://u:********@shop.example/h");
    expect(out).not.toContain("hunter2");
  });

  it("reports unreadable secrets by path without values", () => {
    const s = checkSecrets(c, { MY_PIN: "9999" });
    expect(s).toEqual([
      { path: "modems[0].sim_pin", ref: "environment variable MY_PIN", problem: null },
      {
        path: "webhooks[0].secret",
        ref: "file /etc/smsgw/wh",
        problem: "file /etc/smsgw/wh: cannot read /etc/smsgw/wh (ENOENT)",
      },
    ]);
  });
});

describe("generated API key", () => {
  it("is created once with mode 0600 and reused afterwards", () => {
    const data = join(dir, "data");
    const first = ensureGeneratedApiKey(data);
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^smsgw_[A-Za-z0-9_-]{43}$/);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const second = ensureGeneratedApiKey(data);
    expect(second).toEqual({ key: first.key, path: first.path, created: false });
    expect(readFileSync(first.path, "utf8")).toBe(`${first.key}\n`);
  });
});
