/**
 * Feeding the smsgw daemon like an application would: a TOML config with one [[modems]] table per
 * pty, then `POST /v1/messages/batch` with a Bearer key. The per-SIM rate limit is a parameter:
 * the bench sets it above what a modem at 3 s per part can send, so the radio is the bottleneck.
 */
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Msg } from "./mix.js";

export const BENCH_KEY_ENV = "SMSGW_BENCH_KEY";

export function writeDaemonConfig(
  dir: string,
  ports: readonly string[],
  o: { listen: string; perMinute: number },
): string {
  const modems = ports.map(
    (port, k) =>
      `[[modems]]\nid = "gsm${k}"\nport = "${port}"\nmax_per_minute = ${o.perMinute}\n` +
      "max_per_day = 100000\nmax_distinct_recipients_30d = 100000\n",
  );
  const file = join(dir, "smsgw.toml");
  writeFileSync(
    file,
    `version = 1\ndata_dir = "${join(dir, "data")}"\n\n[http]\nlisten = "${o.listen}"\n\n` +
      '[logging]\nlevel = "info"\n\n[business]\nname = "Bench"\ndefault_country = "FR"\n\n' +
      `${modems.join("\n")}\n[api]\nkeys = [{ name = "bench", key = { env = "${BENCH_KEY_ENV}" }, scopes = ["send", "read"] }]\n`,
  );
  return file;
}

/** A port that was free a moment ago (the daemon binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (a && typeof a === "object" ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

/** Waits until /readyz counts `modems` ready modems. */
export async function waitReady(
  base: string,
  modems: number,
  ms: number,
  alive: () => boolean,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!alive()) throw new Error("smsgw exited before it was ready");
    try {
      const r = await fetch(`${base}/readyz`);
      const body = (await r.json()) as { modemsReady?: number };
      if ((body.modemsReady ?? 0) >= modems) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`smsgw: fewer than ${modems} modems ready after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Queues every message through the batch endpoint (≤ 1000 per request); returns how many were accepted. */
export async function enqueue(base: string, key: string, messages: readonly Msg[]): Promise<number> {
  let accepted = 0;
  for (let i = 0; i < messages.length; i += 1000) {
    const body = { messages: messages.slice(i, i + 1000).map(({ to, text }) => ({ to, text })) };
    const r = await fetch(`${base}/v1/messages/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const out = (await r.json()) as { accepted?: number };
    if (r.status !== 202) throw new Error(`batch: HTTP ${r.status} ${JSON.stringify(out).slice(0, 500)}`);
    accepted += out.accepted ?? 0;
  }
  return accepted;
}
