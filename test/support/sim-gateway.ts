/**
 * A gateway as the daemon builds it (createGateway from TOML), on simulated SIMs, listening on a free
 * local port, with one admin API key read from the environment. Resolves once `ready` modems are.
 * The caller stops it (afterEach).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config/index.js";
import { createGateway, type Gateway } from "../../src/gateway.js";
import { createLogger } from "../../src/log.js";
import { freePort, poll } from "../process/daemon.js";

export async function startSimGateway(o: {
  /** API key name; its key is `key`. */
  readonly keyName: string;
  readonly key: string;
  /** TOML after [http], [logging] and [[api.keys]]: business, compliance, modems, sim numbers. */
  readonly toml: string;
  /** How many modems must be ready. */
  readonly ready: number;
  /** Receives the gateway as soon as it is built, so a failed start is still stopped. */
  readonly onCreated: (g: Gateway) => void;
}): Promise<{ g: Gateway; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-simgw-"));
  const env = { GATEWAY_TEST_KEY: o.key };
  const text = `version = 1
[http]
listen = "127.0.0.1:${await freePort()}"
[logging]
level = "silent"
[[api.keys]]
name = "${o.keyName}"
key = { env = "GATEWAY_TEST_KEY" }
scopes = ["admin"]
${o.toml}`;
  const config = parseConfig(text, "test.toml", { cwd: dir, env });
  const g = createGateway(config, { clock: systemClock, log: createLogger({ level: "silent" }), env });
  o.onCreated(g);
  const { url } = await g.start();
  await poll(
    async () =>
      g.engine.listModems().filter((m) => m.state === "ready").length === o.ready ? true : undefined,
    15_000,
    `${o.ready} modem(s) ready`,
  );
  return { g, url };
}
