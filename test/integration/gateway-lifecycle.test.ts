/**
 * createGateway as the daemon builds it, in-process: what is wired depends on the configuration
 * (disabled modems, sim routes, configured vs generated keys), and stop() is ordered and idempotent.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { type Config, parseConfig, SecretError } from "../../src/config/index.js";
import { createGateway, type Gateway } from "../../src/gateway.js";
import { createLogger } from "../../src/log.js";
import { freePort, poll } from "../process/daemon.js";

const SIM2 = "+33612345602";
let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

async function config(body: string, env: NodeJS.ProcessEnv = {}): Promise<{ config: Config; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-gw-"));
  const port = await freePort();
  const text = `version = 1\n[http]\nlisten = "127.0.0.1:${port}"\n[logging]\nlevel = "silent"\n${body}`;
  return { config: parseConfig(text, "test.toml", { cwd: dir, env }), dir };
}

const SIMS = `
[business]
name = "Demo Shop"
[[modems]]
id = "sim1"
port = "sim://generic?seed=1&booted=1"
max_per_minute = 60
[[modems]]
id = "sim2"
port = "sim://generic?seed=2&booted=1"
[[modems]]
id = "spare"
port = "sim://generic?seed=3"
enabled = false
[sim.numbers]
sim1 = "+33612345601"
sim2 = "${SIM2}"
`;

const bothReady = (g: Gateway) =>
  poll(
    async () => (g.engine.listModems().filter((m) => m.state === "ready").length === 2 ? true : undefined),
    15_000,
    "ready",
  );

/** An inbound SMS at the simulated sim2, through the API; returns the HTTP status. */
async function injectInbound(url: string, headers: Record<string, string>, from: string, text: string) {
  const r = await fetch(`${url}/v1/sim/sim2/inject`, {
    method: "POST",
    headers,
    body: JSON.stringify({ kind: "inbound", from, text }),
  });
  return r.status;
}

const stopConfirmation = (g: Gateway, contact: string) =>
  poll(
    async () =>
      g.engine
        .listMessages({ direction: "outbound", contact })
        .items.find((m) => /vous ne recevrez plus de SMS/.test(m.text)),
    15_000,
    `the STOP confirmation to ${contact}`,
  );

const host = (env: NodeJS.ProcessEnv = {}) => ({
  clock: systemClock,
  log: createLogger({ level: "silent" }),
  env,
});

describe("gateway composition", () => {
  it("skips disabled modems, mounts the sim routes and generates a key only once", async () => {
    const { config: c, dir } = await config(SIMS);
    gw = createGateway(c, host());
    expect([...gw.fleet.supervisors.keys()]).toEqual(["sim1", "sim2"]);
    expect([...gw.fleet.sims.keys()]).toEqual(["sim1", "sim2"]);
    const started = await gw.start();
    expect(started.generatedKey).toMatchObject({ created: true, path: join(dir, "data", "api-key") });
    const auth = { authorization: `Bearer ${started.generatedKey?.key}`, "content-type": "application/json" };
    const doc = (await (await fetch(`${started.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/v1/sim/"))).toBe(true);
    await bothReady(gw);
    expect(await injectInbound(started.url, auth, "+33699999999", "injecté")).toBe(202);
    // STOP goes through the keyword hook wired into the engine: one confirmation, queued at once.
    await injectInbound(started.url, auth, "+33699999999", "STOP");
    const confirmation = await stopConfirmation(gw, "+33699999999");
    expect(confirmation.text).toMatch(/^Demo Shop : /);
    await gw.stop();
    // A second gateway on the same data_dir reads the same key instead of generating one.
    gw = createGateway(c, host());
    const again = await gw.start();
    expect(again.generatedKey).toMatchObject({ created: false, key: started.generatedKey?.key });
  }, 30_000);

  it("a STOP from a simulated SIM in the fiction range gets its confirmation (regression: refused as an invalid number)", async () => {
    const fiction = SIMS.replace('sim1 = "+33612345601"', 'sim1 = "+33639980001"');
    const { config: c } = await config(fiction);
    gw = createGateway(c, host());
    const started = await gw.start();
    const auth = { authorization: `Bearer ${started.generatedKey?.key}`, "content-type": "application/json" };
    await bothReady(gw);
    expect(await injectInbound(started.url, auth, "+33639980001", "STOP")).toBe(202);
    const confirmation = await stopConfirmation(gw, "+33639980001");
    expect(confirmation.text).toMatch(/^Demo Shop : /);
  }, 30_000);

  it("uses the configured API keys (secret references), without sim routes for real ports", async () => {
    const { config: c, dir } = await config(
      `[[api.keys]]\nname = "shop"\nkey = { env = "SHOP_KEY" }\nscopes = ["read"]\n[[modems]]\nid = "gsm0"\nport = "tcp://127.0.0.1:1"\n`,
    );
    gw = createGateway(c, host({ SHOP_KEY: "smsgw_shop-key-for-tests" }));
    const started = await gw.start();
    expect(started.generatedKey).toBeUndefined();
    expect(existsSync(join(dir, "data", "api-key"))).toBe(false);
    const ok = await fetch(`${started.url}/v1/modems`, {
      headers: { authorization: "Bearer smsgw_shop-key-for-tests" },
    });
    expect(ok.status).toBe(200);
    const doc = (await (await fetch(`${started.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/v1/sim/"))).toBe(false);
    expect((await fetch(`${started.url}/readyz`)).status).toBe(503);
  });

  it("an unreadable secret is a SecretError naming the key path, before anything listens", async () => {
    const { config: c } = await config(
      `[[api.keys]]\nname = "shop"\nkey = { env = "MISSING_KEY" }\n[[modems]]\nid = "sim1"\nport = "sim://generic"\n`,
    );
    expect(() => createGateway(c, host())).toThrow(SecretError);
    expect(() => createGateway(c, host())).toThrow(/api\.keys\[0\]\.key: environment variable MISSING_KEY/);
  });

  it("a webhook secret that cannot sign is a SecretError naming the key path (exit 78), not a worker crash", async () => {
    const { config: c } = await config(
      `[[webhooks]]\nurl = "http://127.0.0.1:9/hook"\nsecret = { env = "HOOK_SECRET" }\n[[modems]]\nid = "sim1"\nport = "sim://generic"\n`,
    );
    expect(() => createGateway(c, host({ HOOK_SECRET: "whsec_not base64!" }))).toThrow(SecretError);
    expect(() => createGateway(c, host({ HOOK_SECRET: "short" }))).toThrow(/webhooks\[0\]\.secret: must be/);
  });
});

describe("gateway stop", () => {
  it("is idempotent and lets a submission already handed to the modem finish as sent, not unknown", async () => {
    const { config: c } = await config(SIMS);
    gw = createGateway(c, host());
    await gw.start();
    const g = gw;
    await poll(
      async () => (g.engine.listModems().filter((m) => m.state === "ready").length === 2 ? true : undefined),
      15_000,
      "ready",
    );
    const sim1 = g.fleet.names.idOf("sim1") as string;
    // The simulated SMSC answers AT+CMGS after ~1.8 s (generic persona): time to stop mid-submit.
    const { id } = g.engine.enqueue({ to: SIM2, text: "en vol", category: "transactional", modem: sim1 });
    await poll(
      async () => (g.engine.getMessage(id)?.parts[0]?.status === "sending" ? true : undefined),
      10_000,
      "sending",
    );
    const first = g.stop();
    expect(g.stop()).toBe(first);
    await first;
    // Checked before reopening: opening a WAL database creates the -wal file again.
    expect(existsSync(`${c.database.path}-wal`)).toBe(false);
    const db = new Database(c.database.path, { readonly: true });
    try {
      const part = db.prepare("SELECT status FROM parts WHERE message_id = ?").get(id) as { status: string };
      expect(part.status).toBe("sent");
    } finally {
      db.close();
    }
  }, 30_000);
});
