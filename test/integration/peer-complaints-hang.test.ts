/**
 * Peer complaints about modems that hang (docs/peer-complaints.md, peers.md §3.1), replayed on a
 * gateway built from TOML as the daemon builds it, with one simulated modem that never answers.
 *
 * - serialport-gsm #48: "ATZ timeout on 1 of N modems" took the whole instance down.
 * - Gammu #126/#138: a hung Huawei E1752 left gammu-smsd unkillable short of `kill -9`.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/gateway.js";
import { poll } from "../process/daemon.js";
import { startSimGateway } from "../support/sim-gateway.js";

const KEY = "smsgw_peer-hang-test-key";
const OUTSIDE = "+33699999911";
let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

describe("a modem that never answers (peers.md §3.1)", () => {
  it("does not keep the other modem from sending (serialport-gsm #48), and stop needs no kill -9 (Gammu #126/#138)", async () => {
    // `hang:600` swallows every command line for ten minutes from the first one: init never gets
    // an answer, as with the E1752 in Gammu #126 and the modem that timed out on ATZ in #48.
    const { g } = await startSimGateway({
      keyName: "ops",
      key: KEY,
      ready: 1,
      onCreated: (x) => {
        gw = x;
      },
      toml: `[[modems]]
id = "good"
port = "sim://sim800?seed=1&booted=1"
[[modems]]
id = "hung"
port = "sim://quectel?seed=2&booted=1&fault=hang:600"
[sim.numbers]
good = "+33612345611"
hung = "+33612345612"
`,
    });
    const good = g.fleet.names.idOf("good");
    expect(
      g.engine
        .listModems()
        .filter((m) => m.state === "ready")
        .map((m) => m.id),
    ).toEqual([good]);
    const { id } = g.engine.enqueue({ to: OUTSIDE, text: "envoi", category: "transactional" });
    await poll(
      async () => (g.engine.getMessage(id)?.status === "sent" ? true : undefined),
      15_000,
      "sent through the modem that answers",
    );
    const sim = g.fleet.sims.get("good");
    expect(sim?.network.log.filter((e) => e.outcome === "accepted").map((e) => e.modem)).toEqual([
      "+33612345611",
    ]);
    // The hung modem is still inside its init (or its reopen backoff) when stop is asked: stop
    // settles on its own. Were it to wait on the silent line, this test would hit its timeout.
    gw = undefined;
    await expect(g.stop()).resolves.toBeUndefined();
  }, 20_000);
});
