/**
 * "modem.state" webhooks from the gateway as the daemon builds it: a modem coming up, an operator
 * disable and enable each reach a subscribed endpoint, signed, in order, under the configured name;
 * a health poll that changes nothing sends nothing.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config/index.js";
import { createGateway, type Gateway } from "../../src/gateway.js";
import { createLogger } from "../../src/log.js";
import { generateWebhookSecret } from "../../src/webhooks/signing.js";
import { until } from "../helpers/engine-sim.js";
import { freePort } from "../process/daemon.js";

interface Hook {
  type: string;
  data: { modem: string; state: string; previous: string | null; reason?: string; at: number };
}

let gw: Gateway | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await gw?.stop();
  receiver?.closeAllConnections();
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
  gw = receiver = undefined;
});

async function listen(secret: string, hooks: Hook[], bad: string[]): Promise<string> {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      try {
        hooks.push(new Webhook(secret).verify(body, req.headers as Record<string, string>) as Hook);
      } catch (e) {
        bad.push(String(e));
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
}

describe("modem.state webhooks", () => {
  it("delivers up, disabled and enabled transitions signed, by configured name, once each", async () => {
    const secret = generateWebhookSecret();
    const hooks: Hook[] = [];
    const bad: string[] = [];
    const url = await listen(secret, hooks, bad);
    const dir = mkdtempSync(join(tmpdir(), "smsgw-modem-state-"));
    const text = `version = 1
[http]
listen = "127.0.0.1:${await freePort()}"
[logging]
level = "silent"
[[modems]]
id = "shop1"
port = "sim://generic?seed=1&booted=1"
[[webhooks]]
url = "${url}"
secret = { env = "HOOK_SECRET" }
events = ["modem.up", "modem.down"]
`;
    const env = { HOOK_SECRET: secret };
    const config = parseConfig(text, "test.toml", { cwd: dir, env });
    gw = createGateway(config, { clock: systemClock, log: createLogger({ level: "silent" }), env });
    await gw.start();

    await until(() => hooks.some((h) => h.data.state === "ready"), 20_000, "modem up webhook");
    expect(hooks[0]).toMatchObject({
      type: "modem.state",
      data: { modem: "shop1", state: "ready", previous: "starting" },
    });
    const id = gw.fleet.names.idOf("shop1")!;
    expect(id).toMatch(/^imei:/);

    // Health polls that find the modem as it was write no row.
    const rows = () =>
      (
        gw!.engine.db
          .prepare("SELECT count(*) AS n FROM webhook_outbox WHERE event_type = 'modem.state'")
          .get() as {
          n: number;
        }
      ).n;
    const before = rows();
    const live = gw.fleet.supervisors.get("shop1")!.current!;
    await live.refreshHealth();
    await live.refreshHealth();
    expect(rows()).toBe(before);

    gw.engine.disableModem(id, "SIM out of credit");
    gw.engine.enableModem(id);
    await until(() => hooks.length >= 3, 20_000, "disable and enable webhooks");
    expect(hooks.map((h) => [h.data.modem, h.data.previous, h.data.state])).toEqual([
      ["shop1", "starting", "ready"],
      ["shop1", "ready", "disabled"],
      ["shop1", "disabled", "ready"],
    ]);
    expect(hooks[1]?.data.reason).toBe("SIM out of credit");
    for (const h of hooks) expect(h.data.at).toBeGreaterThan(0);
    // Nothing in the payload identifies the hardware: the configured name only.
    expect(JSON.stringify(hooks)).not.toMatch(/imei/);
    expect(bad).toEqual([]);
  }, 60_000);
});
