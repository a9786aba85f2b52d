/**
 * Crash test: the engine runs in a child process (test/helpers/engine-crash-child.ts) with two
 * simulated modems, outbound and inbound traffic; it is SIGKILLed at seeded random instants ten
 * times and restarted on the same DB file, then allowed to finish. From the DB and the durable
 * logs: every acknowledged message exists and ended in a final state, no part reached the network
 * twice (a part interrupted mid-submission is `unknown`, never resent), every inbound message the
 * modem was allowed to delete is stored exactly once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../src/sim/prng.js";
import { INBOUND, inboundFrom, inboundPlan, OUTBOUND } from "../helpers/engine-crash-plan.js";

const CHILD = fileURLToPath(new URL("../helpers/engine-crash-child.ts", import.meta.url));
const KILLS = 10;
const dir = mkdtempSync(join(tmpdir(), "smsgw-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (name: string) =>
  existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8").split("\n").filter(Boolean) : [];

function run(args: string[]): {
  child: ChildProcess;
  output: Promise<string>;
  ready: Promise<void>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    onReady = r;
  });
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
    if (out.includes("READY")) onReady();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, output: exited.then(() => out + err), ready, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("engine crash safety", () => {
  it("loses nothing and sends nothing twice across ten SIGKILLs", async () => {
    const rng = mulberry32(20261126);
    const recoveries: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const r = run([]);
      await Promise.race([r.ready, r.exited]);
      await sleep(Math.floor(rng() * 400));
      r.child.kill("SIGKILL");
      await r.exited;
      const out = await r.output;
      expect(out, out).not.toMatch(/Error/);
      recoveries.push(out.match(/READY (.*)/)?.[1] ?? "killed before ready");
    }
    const sentBeforeFinal = lines("network.log").length;
    const final = run(["--finish"]);
    const code = await Promise.race([final.exited, sleep(40_000).then(() => "timeout")]);
    if (code === "timeout") final.child.kill("SIGKILL");
    expect(code, await final.output).toBe(0);
    // The kills hit live traffic, otherwise this test proves nothing.
    expect(sentBeforeFinal).toBeGreaterThan(0);

    const db = new Database(join(dir, "gateway.db"), { readonly: true });
    const acked = new Map(lines("acked.log").map((l) => l.split(" ") as [string, string]));
    expect(acked.size).toBe(OUTBOUND);
    const messages = db.prepare("SELECT id, status, idempotency_key FROM messages").all() as {
      id: string;
      status: string;
      idempotency_key: string;
    }[];
    // Idempotency: one message per key, whatever the number of restarts.
    expect(messages).toHaveLength(OUTBOUND);
    const byId = new Map(messages.map((m) => [m.id, m]));
    for (const [key, id] of acked) {
      expect(byId.get(id)?.idempotency_key, `acknowledged ${key} is stored`).toBe(key);
      expect(["sent", "delivered", "unknown"]).toContain(byId.get(id)?.status);
    }
    const parts = db.prepare("SELECT pdu, status, lease_owner FROM parts").all() as {
      pdu: string;
      status: string;
      lease_owner: string | null;
    }[];
    expect(parts.filter((p) => p.lease_owner !== null)).toEqual([]);
    const onNetwork = new Map<string, number>();
    for (const l of lines("network.log")) {
      const pdu = (JSON.parse(l) as { pdu: string }).pdu.toUpperCase();
      onNetwork.set(pdu, (onNetwork.get(pdu) ?? 0) + 1);
    }
    const known = new Set(parts.map((p) => p.pdu.toUpperCase()));
    expect([...onNetwork.keys()].filter((p) => !known.has(p))).toEqual([]);
    for (const p of parts) {
      const n = onNetwork.get(p.pdu.toUpperCase()) ?? 0;
      expect(n, `part ${p.status} transmitted ${n} times`).toBeLessThanOrEqual(1);
      if (p.status === "sent" || p.status === "delivered") expect(n).toBe(1);
    }

    const inbound = db
      .prepare("SELECT from_number, text FROM inbound_messages ORDER BY from_number")
      .all() as { from_number: string; text: string }[];
    expect(inbound).toEqual(inboundPlan().map((p) => ({ from_number: inboundFrom(p.k), text: p.text })));
    expect(inbound).toHaveLength(INBOUND);
    const unknownParts = parts.filter((p) => p.status === "unknown").length;
    console.log(
      `crash test: ${KILLS} kills, recoveries ${recoveries.join(" | ")}; ${unknownParts} unknown parts`,
    );
    db.close();
  }, 150_000);
});
