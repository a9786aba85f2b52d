/**
 * Accepted messages per second on the HTTP API: `POST /v1/messages` one message per request over
 * keep-alive connections, and `POST /v1/messages/batch` with 100 per request. The server runs in a
 * child process (bench/http-server.ts, fake engine) so the load generator does not share its event
 * loop; on this 2-core box they still share the CPU, so the figures are a floor.
 * If Debian's `wrk` is installed it is also run for the single-message case.
 * Run: `npx tsx bench/http.ts` (`--quick` for a short smoke run, `--no-write` to skip RESULTS.md).
 */
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { writeSection } from "./lib/results.js";
import { machineInfo } from "./lib/timing.js";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const seconds = quick ? 1 : 5;
const concurrency = 16;

async function startServer(engine: "fake" | "real") {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./http-server.ts", import.meta.url)), engine],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (c) => reject(new Error(`server exited ${c}`)));
  });
  return { child, ...(JSON.parse(line) as { url: string; key: string }) };
}

interface Run {
  requests: number;
  accepted: number;
  errors: number;
  p50: number;
  p99: number;
  elapsed: number;
}

// node:http with a keep-alive agent: headers and a small body leave in one write, so the figures
// are not distorted by Nagle/delayed-ACK stalls between a separately written header and body.
// One agent per server: its idle sockets are destroyed before that server is stopped, so a reset
// from a stopping server cannot surface as an error on a pooled socket.
let agent = new Agent({ keepAlive: true, maxSockets: 64 });
function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const buf = Buffer.from(body);
    const req = request(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": String(buf.length) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(buf);
  });
}

async function load(
  url: string,
  headers: Record<string, string>,
  body: () => string,
  perRequest: number,
): Promise<Run> {
  const lat: number[] = [];
  let accepted = 0;
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        const status = await post(url, headers, body());
        lat.push(performance.now() - s);
        if (status === 202) accepted += perRequest;
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0;
  return { requests: lat.length, accepted, errors, p50: q(0.5), p99: q(0.99), elapsed };
}

/** wrk (C, one thread) as a client that is not starved like a Node one: req/s, p99, non-2xx. */
function wrk(
  url: string,
  key: string,
  path: string,
  body: string,
): { rps: number; p99: string; non2xx: number } | undefined {
  if (spawnSync("sh", ["-c", "command -v wrk"]).status !== 0) return undefined;
  const lua = join(tmpdir(), `smsgw-wrk-${process.pid}.lua`);
  writeFileSync(
    lua,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer ${key}"\nwrk.body = [[${body}]]\n`,
  );
  const r = spawnSync(
    "wrk",
    ["-t1", `-c${concurrency}`, `-d${seconds}s`, "--latency", "-s", lua, `${url}${path}`],
    {
      encoding: "utf8",
    },
  );
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1];
  const p99 = /99%\s+([\d.]+\w+)/.exec(r.stdout)?.[1] ?? "?";
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)?.[1] ?? "0");
  return rps ? { rps: Number(rps), p99, non2xx } : undefined;
}

const single = JSON.stringify({ to: "+33612345678", text: "Your code is 123456" });
const batchBody = JSON.stringify({
  messages: Array.from({ length: 100 }, (_, i) => ({
    to: `+336123456${String(i).padStart(2, "0")}`,
    text: "Meeting moved to 15:00",
  })),
});
const rows: string[] = [];
try {
  for (const engine of ["fake", "real"] as const) {
    const srv = await startServer(engine);
    agent = new Agent({ keepAlive: true, maxSockets: 64 });
    try {
      const headers = { authorization: `Bearer ${srv.key}`, "content-type": "application/json" };
      // Warm-up (JIT, connection pool, SQLite page cache).
      await load(`${srv.url}/v1/messages`, headers, () => single, 1);
      const one = await load(`${srv.url}/v1/messages`, headers, () => single, 1);
      const batch = await load(`${srv.url}/v1/messages/batch`, headers, () => batchBody, 100);
      const rate = (r: Run) => Math.round(r.accepted / r.elapsed);
      rows.push(
        `| ${engine} | single | node:http | ${rate(one)} | ${one.p50.toFixed(1)} | ${one.p99.toFixed(1)} | ${one.errors} |`,
        `| ${engine} | batch of 100 | node:http | ${rate(batch)} | ${batch.p50.toFixed(1)} | ${batch.p99.toFixed(1)} | ${batch.errors} |`,
      );
      const w1 = quick ? undefined : wrk(srv.url, srv.key, "/v1/messages", single);
      // With the real engine a batch takes longer than a wrk run (one fsync per message), so wrk
      // would report on a handful of requests: only the node:http figure is kept there.
      const wb =
        quick || engine === "real" ? undefined : wrk(srv.url, srv.key, "/v1/messages/batch", batchBody);
      if (w1)
        rows.push(`| ${engine} | single | wrk | ${Math.round(w1.rps)} | – | ${w1.p99} | ${w1.non2xx} |`);
      if (wb)
        rows.push(
          `| ${engine} | batch of 100 | wrk | ${Math.round(wb.rps * 100)} | – | ${wb.p99} | ${wb.non2xx} |`,
        );
    } finally {
      agent.destroy();
      srv.child.kill("SIGTERM");
    }
  }
} finally {
  agent.destroy();
}
const m = machineInfo();
const text = [
  `Measured ${m.date} with \`npx tsx bench/http.ts\` on ${m.cpu} (${m.nproc} cores), Node ${m.node}; load average at the end ${loadavg()[0]!.toFixed(1)} (other work was running on the box: figures are a floor).`,
  "",
  "Server: the real app (auth, zod validation, problem+json, idempotency middleware, body limit) on 127.0.0.1 in a child process, over a fake engine (HTTP layer alone) or the real engine on a fresh SQLite file (WAL, synchronous=FULL: each 202 is a durable commit; no modems, so messages stay queued).",
  `Clients on the same machine: ${concurrency} concurrent keep-alive \`node:http\` loops for ${seconds} s, and \`wrk -t1 -c${concurrency} -d${seconds}s\` (wrk 4.1 from Debian, \`apt-get install -y wrk\`; a C client, less starved than a Node one).`,
  "",
  "With the real engine the figure is bound by SQLite's commit (synchronous=FULL, one fsync per message); the HTTP layer adds little to it.",
  "",
  "| engine | request | client | accepted msg/s | p50 ms | p99 | non-202 |",
  "|---|---|---|---:|---:|---:|---:|",
  ...rows,
].join("\n");
process.stdout.write(`${text}\n`);
if (!args.has("--no-write") && !quick)
  writeSection(fileURLToPath(new URL("./RESULTS.md", import.meta.url)), "HTTP API", text);
