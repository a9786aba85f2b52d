/**
 * `smsgw start` as a real process on the bundled default configuration (two simulated modems on one
 * virtual network), in a fresh working directory: first start generates and prints the API key, a
 * message sent from sim1 to sim2's number comes back as inbound on sim2, SIGTERM stops cleanly
 * (exit 0) and leaves the rows in the database.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Daemon, freePort, poll, spawnSmsgw } from "./daemon.js";

// The numbers config/default.toml gives sim1/sim2, in ARCEP's range for fiction (06 39 98). The
// numbering plan has no such subscribers, so they are valid recipients only because they are on the
// gateway's own virtual network (regression: the curl example printed by `start` got a 422).
const SIM1 = "+33639980001";
const SIM2 = "+33639980002";

let daemon: Daemon | undefined;
afterEach(async () => {
  if (daemon && daemon.child.exitCode === null) {
    daemon.child.kill("SIGKILL");
    await daemon.exited;
  }
  daemon = undefined;
});

/** A stand-in `systemd-notify` first in PATH that records its arguments, one call per line. */
function fakeNotify(): { env: Record<string, string>; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-notify-"));
  const log = join(dir, "calls");
  writeFileSync(join(dir, "systemd-notify"), `#!/bin/sh\necho "$*" >> '${log}'\n`, { mode: 0o755 });
  return {
    env: { PATH: `${dir}:${process.env.PATH}`, NOTIFY_SOCKET: join(dir, "notify.sock") },
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []),
  };
}

async function startDefault(
  extraEnv: Record<string, string> = {},
): Promise<{ d: Daemon; url: string; key: string }> {
  const port = await freePort();
  const d = spawnSmsgw(["start"], {
    ...extraEnv,
    SMSGW_HTTP__LISTEN: `127.0.0.1:${port}`,
  });
  daemon = d;
  const key = (await d.waitFor(/API key\s+(smsgw_[A-Za-z0-9_-]+)/))[1] as string;
  return { d, url: `http://127.0.0.1:${port}`, key };
}

describe("smsgw start (process)", () => {
  it("runs the default config: key printed, sim1 → sim2 arrives as inbound, SIGTERM exits 0 with rows stored", async () => {
    const notify = fakeNotify();
    const { d, url, key } = await startDefault(notify.env);
    const stderr = d.stderr();
    for (const p of ["/v1", "/docs", "/openapi.json", "/health", "/metrics"])
      expect(stderr).toContain(`${url}${p}`);
    expect(existsSync(join(d.cwd, "data", "api-key"))).toBe(true);
    expect(existsSync(join(d.cwd, "data", "smsgw.db"))).toBe(true);

    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    await poll(
      async () => {
        const r = (await (await fetch(`${url}/v1/modems`, { headers: auth })).json()) as {
          items: { name: string; state: string }[];
        };
        return r.items.filter((m) => m.state === "ready").length === 2 ? true : undefined;
      },
      20_000,
      "both simulated modems ready",
    );
    // The example printed once the modems are up is the one this test runs.
    await d.waitFor(/Send from sim1 to sim2/);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const sent = await fetch(`${url}/v1/messages`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ to: SIM2, text: "Bonjour de sim1", modem: "sim1" }),
    });
    expect(sent.status).toBe(202);
    const { id } = (await sent.json()) as { id: string };
    const inbound = await poll(
      async () => {
        const r = (await (await fetch(`${url}/v1/messages?direction=inbound`, { headers: auth })).json()) as {
          items: { text: string; modem: string; contact: string }[];
        };
        return r.items.find((m) => m.text === "Bonjour de sim1");
      },
      20_000,
      "the message as inbound on sim2",
    );
    expect(inbound).toMatchObject({ modem: "sim2", contact: SIM1 });
    // Health is polled when a modem comes up, not one interval (60 s) later.
    const health = (await (await fetch(`${url}/health`)).json()) as {
      checks: Record<string, { registration?: string; signalDbm?: number | null }[]>;
    };
    for (const name of ["sim1", "sim2"]) {
      expect(health.checks[`modem:${name}`]?.[0]?.registration).toBe("home");
      expect(typeof health.checks[`modem:${name}`]?.[0]?.signalDbm).toBe("number");
    }

    d.child.kill("SIGTERM");
    expect(await d.exited).toBe(0);
    expect(d.stdout()).toMatch(/"msg":"stopped"/);
    // sd_notify: READY once the API listened (not waiting for modems), STATUS updates, STOPPING at the end.
    const calls = notify.calls();
    expect(calls[0]).toMatch(new RegExp(`^--ready --status=API on ${url}`));
    expect(calls).toContain(`--status=2/2 modem(s) ready; API on ${url}`);
    expect(calls.indexOf("STOPPING=1")).toBeGreaterThan(0);
    // Clean stop: the WAL was checkpointed into the main file.
    expect(existsSync(join(d.cwd, "data", "smsgw.db-wal"))).toBe(false);
    const db = new Database(join(d.cwd, "data", "smsgw.db"), { readonly: true });
    try {
      const out = db.prepare("SELECT to_number, body, status FROM messages WHERE id = ?").get(id);
      expect(out).toMatchObject({ to_number: SIM2, body: "Bonjour de sim1" });
      expect(["sent", "delivered"]).toContain((out as { status: string }).status);
      const rows = db.prepare("SELECT from_number, text FROM inbound_messages").all();
      expect(rows).toContainEqual({ from_number: SIM1, text: "Bonjour de sim1" });
    } finally {
      db.close();
    }
  }, 45_000);

  it("a second SIGINT forces the exit with 130 while the graceful stop waits for a request", async () => {
    const { d, url } = await startDefault();
    // A request whose body never comes holds the HTTP close for its grace period (5 s).
    const sock = connect(Number(new URL(url).port), "127.0.0.1");
    await new Promise((r) => sock.once("connect", r));
    sock.write(
      "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    );
    await new Promise((r) => setTimeout(r, 200));
    d.child.kill("SIGINT");
    await poll(async () => (/"msg":"stopping"/.test(d.stdout()) ? true : undefined), 5000, "stopping");
    const t0 = Date.now();
    d.child.kill("SIGINT");
    expect(await d.exited).toBe(130);
    expect(Date.now() - t0).toBeLessThan(3000);
    sock.destroy();
    expect(d.stdout()).toMatch(/second SIGINT/);
  }, 30_000);

  it("a broken TOML file exits 78 naming the line, before anything starts", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "smsgw-proc-"));
    writeFileSync(join(cwd, "bad.toml"), 'version = 1\n[http\nlisten = "x"\n');
    const d = spawnSmsgw(["start", "--config", "bad.toml"], {}, cwd);
    daemon = d;
    expect(await d.exited).toBe(78);
    expect(d.stderr()).toMatch(/TOML syntax error at line 2/);
    expect(existsSync(join(d.cwd, "data"))).toBe(false);
  }, 30_000);

  it("an unknown key exits 78 with the key path on stderr", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "smsgw-proc-"));
    writeFileSync(
      join(cwd, "typo.toml"),
      'version = 1\n[http]\nlisten = "127.0.0.1:1"\nlistn = "127.0.0.1:2"\n[[modems]]\nid = "a"\nport = "sim://generic"\n',
    );
    const d = spawnSmsgw(["start", "--config", "typo.toml"], {}, cwd);
    daemon = d;
    expect(await d.exited).toBe(78);
    expect(d.stderr()).toMatch(/http\.listn: unknown key/);
  }, 30_000);
});
