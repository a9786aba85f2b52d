/**
 * The daemon-facing CLI commands against a real in-process gateway (createGateway on two simulated
 * modems), through a socket, with the URL and key given as $SMSGW_URL/$SMSGW_API_KEY.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run as inbox } from "../../src/cli/inbox.js";
import { run as messages } from "../../src/cli/messages.js";
import { run as modems, runModem } from "../../src/cli/modems.js";
import { run as send } from "../../src/cli/send.js";
import { run as status } from "../../src/cli/status.js";
import { systemClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config/index.js";
import { createGateway, type Gateway } from "../../src/gateway.js";
import { createLogger } from "../../src/log.js";
import { freePort, poll } from "../process/daemon.js";

const SIM1 = "+33612345601";
const SIM2 = "+33612345602";
let gw: Gateway;
let env: Record<string, string>;
let dir: string;

function io(extraEnv: Record<string, string> = {}, stop?: Promise<void>) {
  let out = "";
  let err = "";
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      stdin: (async function* () {})(),
      env: { ...env, ...extraEnv },
      ...(stop && { stop }),
    },
    out: () => out,
    err: () => err,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "smsgw-cli-"));
  const port = await freePort();
  const config = parseConfig(
    [
      "version = 1",
      'data_dir = "./data"',
      `[http]\nlisten = "127.0.0.1:${port}"`,
      '[logging]\nlevel = "silent"',
      '[[modems]]\nid = "sim1"\nport = "sim://generic?seed=1&booted=1"\nmax_per_minute = 60',
      '[[modems]]\nid = "sim2"\nport = "sim://generic?seed=2&booted=1"\nmax_per_minute = 60',
      `[sim.numbers]\nsim1 = "${SIM1}"\nsim2 = "${SIM2}"`,
    ].join("\n"),
    "test.toml",
    { cwd: dir, env: {} },
  );
  gw = createGateway(config, { clock: systemClock, log: createLogger({ level: "silent" }), env: {} });
  const started = await gw.start();
  env = { SMSGW_URL: started.url, SMSGW_API_KEY: started.generatedKey?.key ?? "" };
  await poll(
    async () => (gw.engine.listModems().filter((m) => m.state === "ready").length === 2 ? true : undefined),
    15_000,
    "both modems ready",
  );
}, 30_000);

afterAll(async () => {
  await gw?.stop();
});

describe("smsgw send / status / messages / inbox / modems against a running gateway", () => {
  it("send prints the id; status shows the message and its parts", async () => {
    const s = io();
    expect(await send(["--to", SIM2, "--text", "Bonjour CLI", "--modem", "sim1"], s.io)).toBe(0);
    const id = /^(\S+)\s+queued/m.exec(s.out())?.[1];
    expect(id).toBeDefined();
    await poll(
      async () =>
        ["sent", "delivered"].includes(gw.engine.getMessage(id as string)?.status ?? "") ? true : undefined,
      15_000,
      "sent",
    ).catch((e) => {
      throw new Error(`${e}: ${JSON.stringify(gw.engine.getMessage(id as string))}`);
    });
    const st = io();
    expect(await status([id as string], st.io)).toBe(0);
    expect(st.out()).toMatch(new RegExp(`^to\\s+\\${SIM2}$`, "m"));
    expect(st.out()).toMatch(/PART\s+MODEM\s+MR\s+STATUS/);
    expect(st.out()).toMatch(/^\s*1\s+sim1\s+\d+\s+(sent|delivered)/m);
    const js = io();
    expect(await status([id as string, "--json"], js.io)).toBe(0);
    expect(JSON.parse(js.out())).toMatchObject({ id, contact: SIM2, text: "Bonjour CLI" });
  });

  it("the message arrives on sim2: messages --direction inbound and inbox list it", async () => {
    await poll(
      async () =>
        gw.engine.listMessages({ direction: "inbound" }).items.some((m) => m.text === "Bonjour CLI")
          ? true
          : undefined,
      15_000,
      "inbound",
    );
    const m = io();
    expect(await messages(["--direction", "inbound", "--contact", SIM1], m.io)).toBe(0);
    expect(m.out()).toMatch(/^ID\s+CREATED \(UTC\)\s+DIR\s+STATUS\s+CONTACT\s+MODEM\s+TEXT$/m);
    expect(m.out()).toMatch(new RegExp(`in\\s+received\\s+\\${SIM1}\\s+sim2\\s+Bonjour CLI`));
    const b = io();
    expect(await inbox([], b.io)).toBe(0);
    expect(b.out()).toMatch(new RegExp(`sim2  \\${SIM1}  Bonjour CLI`));
  });

  it("inbox --follow prints a message that arrives after it started, once, until stopped", async () => {
    let stop!: () => void;
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    const f = io({}, stopped);
    const running = inbox(["--follow", "--interval", "1", "--json"], f.io);
    await new Promise((r) => setTimeout(r, 300));
    gw.fleet.sims.get("sim1")?.inject({ from: "+33699999999", text: "arrivé pendant le suivi" });
    await poll(
      async () => (f.out().includes("arrivé pendant le suivi") ? true : undefined),
      15_000,
      "follow",
    );
    await new Promise((r) => setTimeout(r, 1200));
    stop();
    expect(await running).toBe(0);
    const lines = f
      .out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { text: string });
    expect(lines.filter((l) => l.text === "arrivé pendant le suivi")).toHaveLength(1);
  }, 30_000);

  it("send --csv sends the good rows and reports the bad ones by line number", async () => {
    const file = join(dir, "clients.csv");
    writeFileSync(file, `to,name\n${SIM2},Alice\n,Bob\n${SIM2},\n12ab,Carl\n"${SIM2}","Dé, ""Zoé"""\n`);
    const s = io();
    expect(await send(["--csv", file, "--text", "Bonjour {name} !", "--json"], s.io)).toBe(1);
    const r = JSON.parse(s.out()) as {
      sent: number;
      failed: number;
      results: { line: number; error?: string }[];
    };
    expect(r).toMatchObject({ sent: 2, failed: 3 });
    expect(r.results.filter((x) => x.error).map((x) => x.line)).toEqual([3, 4, 5]);
    const texts = gw.engine.listMessages({ direction: "outbound", contact: SIM2 }).items.map((m) => m.text);
    expect(texts).toContain("Bonjour Alice !");
    expect(texts).toContain('Bonjour Dé, "Zoé" !');
    const human = io();
    expect(await send(["--csv", file, "--text", "Re {name}"], human.io)).toBe(1);
    expect(human.err()).toMatch(/clients\.csv:3: -: empty "to"/);
    expect(human.err()).toMatch(/clients\.csv:4: .*no value for \{name\}/);
    expect(human.out()).toBe("2 of 5 message(s) queued, 3 failed\n");
  });

  it("modems lists both; modem disable/enable changes the state", async () => {
    const m = io();
    expect(await modems([], m.io)).toBe(0);
    expect(m.out()).toMatch(/^sim1\s+ready/m);
    expect(m.out()).toMatch(/^sim2\s+ready/m);
    const d = io();
    expect(await runModem(["disable", "sim2"], d.io)).toBe(0);
    expect(d.out()).toBe("sim2: disable done; state disabled\n");
    const e = io();
    expect(await runModem(["enable", "sim2", "--json"], e.io)).toBe(0);
    expect(JSON.parse(e.out())).toMatchObject({ name: "sim2", enabled: true });
    const bad = io();
    expect(await runModem(["reboot", "sim2"], bad.io)).toBe(2);
    const missing = io();
    expect(await runModem(["disable", "nope"], missing.io)).toBe(1);
    expect(missing.err()).toMatch(/^smsgw modem: 404 /);
  });

  it("an unreachable daemon is one line naming the URL, exit 1; a wrong key says so", async () => {
    const port = await freePort();
    const u = io({ SMSGW_URL: `http://127.0.0.1:${port}` });
    expect(await modems([], u.io)).toBe(1);
    expect(u.err()).toBe(
      `smsgw modems: cannot reach the smsgw daemon at http://127.0.0.1:${port} (ECONNREFUSED); is it running? (smsgw start)\n`,
    );
    const k = io({ SMSGW_API_KEY: "smsgw_wrong" });
    expect(await messages([], k.io)).toBe(1);
    expect(k.err()).toMatch(/401 .*--key/);
  });
});
