import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const unit = join(root, "systemd/smsgw.service");
// CI needs the Debian package "systemd" (systemd-analyze, systemd-sysusers, systemd-tmpfiles).
const HINT = "systemd-analyze not found: install it with `apt-get install -y systemd`";

function need(tool: string): void {
  const found = spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
  expect(found, HINT.replace("systemd-analyze", tool)).toBe(true);
}

function directives(text: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t === "" || t.startsWith("#") || t.startsWith("[")) continue;
    const eq = t.indexOf("=");
    const key = t.slice(0, eq);
    m.set(key, [...(m.get(key) ?? []), t.slice(eq + 1)]);
  }
  return m;
}

describe("systemd/smsgw.service", () => {
  it("has an exposure score of at most 3.0 in systemd-analyze security --offline", () => {
    need("systemd-analyze");
    const r = spawnSync("systemd-analyze", ["security", "--offline=yes", "--no-pager", unit], {
      encoding: "utf8",
    });
    const m = /Overall exposure level for smsgw\.service: (\d+\.\d+)/.exec(r.stdout);
    expect(m, r.stderr || r.stdout).not.toBeNull();
    expect(Number(m?.[1])).toBeLessThanOrEqual(3.0);
  });

  it("passes systemd-analyze verify", () => {
    need("systemd-analyze");
    // verify checks that ExecStart's binary exists: point it at this machine's node (install.sh does
    // the same with a drop-in when node is not /usr/bin/node).
    const copy = join(mkdtempSync(join(tmpdir(), "smsgw-unit-")), "smsgw.service");
    writeFileSync(
      copy,
      readFileSync(unit, "utf8").replace("ExecStart=/usr/bin/node ", `ExecStart=${process.execPath} `),
    );
    const r = spawnSync("systemd-analyze", ["verify", "--man=no", copy], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("is a notify service with watchdog, restart policy, dialout and credentials", () => {
    const d = directives(readFileSync(unit, "utf8"));
    expect(d.get("Type")).toEqual(["notify"]);
    // systemd-notify is a child process: "main" would drop its messages.
    expect(d.get("NotifyAccess")).toEqual(["all"]);
    expect(d.get("WatchdogSec")).toEqual(["30"]);
    expect(d.get("Restart")).toEqual(["on-failure"]);
    expect(d.get("RestartPreventExitStatus")).toEqual(["78"]);
    expect(d.get("User")).toEqual(["smsgw"]);
    expect(d.get("SupplementaryGroups")).toEqual(["dialout"]);
    expect(d.get("StateDirectory")).toEqual(["smsgw"]);
    expect(d.get("ConfigurationDirectory")).toEqual(["smsgw"]);
    expect(d.get("LoadCredential")?.map((c) => c.split(":")[0])).toEqual([
      "sim-pin",
      "api-key",
      "webhook-secret",
    ]);
    expect(d.get("DeviceAllow")).toContain("char-ttyUSB rw");
    expect(d.get("DeviceAllow")).toContain("char-ttyACM rw");
    expect(d.get("PrivateDevices")).toEqual(["no"]);
    expect(d.get("DevicePolicy")).toEqual(["closed"]);
  });

  it("leaves MemoryDenyWriteExecute off: V8's JIT needs writable-then-executable pages", () => {
    const d = directives(readFileSync(unit, "utf8"));
    expect(d.has("MemoryDenyWriteExecute")).toBe(false);
  });
});

describe("sysusers and tmpfiles entries", () => {
  it("create the smsgw user in dialout and the directories with their owners", () => {
    need("systemd-sysusers");
    need("systemd-tmpfiles");
    const image = mkdtempSync(join(tmpdir(), "smsgw-root-"));
    mkdirSync(join(image, "etc"));
    writeFileSync(join(image, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
    writeFileSync(join(image, "etc/group"), "root:x:0:\ndialout:x:20:\n");
    const users = spawnSync("systemd-sysusers", [`--root=${image}`, "-"], {
      input: readFileSync(join(root, "systemd/smsgw.sysusers.conf")),
      encoding: "utf8",
    });
    expect(users.status, users.stderr).toBe(0);
    const passwd = readFileSync(join(image, "etc/passwd"), "utf8");
    expect(passwd).toMatch(/^smsgw:x:\d+:\d+:smsgw SMS gateway:\/var\/lib\/smsgw:\/usr\/sbin\/nologin$/m);
    expect(readFileSync(join(image, "etc/group"), "utf8")).toMatch(/^dialout:x:20:smsgw$/m);
    const uid = Number(/^smsgw:x:(\d+):/m.exec(passwd)?.[1]);

    const dirs = spawnSync("systemd-tmpfiles", [`--root=${image}`, "--create", "-"], {
      input: readFileSync(join(root, "systemd/smsgw.tmpfiles.conf")),
      encoding: "utf8",
    });
    expect(dirs.status, dirs.stderr).toBe(0);
    const state = statSync(join(image, "var/lib/smsgw"));
    expect([state.uid, state.mode & 0o777]).toEqual([uid, 0o750]);
    const creds = statSync(join(image, "etc/smsgw/credentials"));
    expect([creds.uid, creds.mode & 0o777]).toEqual([0, 0o700]);
  });
});
