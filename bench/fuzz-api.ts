/**
 * API fuzz at scale (issue #8): 100,000 seeded random and mutated requests (bench/fuzz/api-requests.ts)
 * through `app.request()` of the real HTTP stack (createHttpStack: auth, body limit, zod validation,
 * idempotency, problem+json) on the real engine with the gateway's compliance policy, on a temp SQLite
 * file. Asserts: no 5xx; every 4xx is problem+json with a `type`; memory stays bounded (RSS and
 * heap after GC, before and after); every message the API accepted is in the store and the store holds
 * no message it did not accept. Prints requests/s and the status histogram.
 * Run: `npx tsx bench/fuzz-api.ts` (`--quick`: 5,000 requests; `--requests N`; `--seed S`;
 * `--concurrency C`, default 8; `--no-write`). Exit code 1 on any violation.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config/index.js";
import { Engine } from "../src/engine/index.js";
import { complianceFrom, engineConfigFrom } from "../src/gateway-config.js";
import { createHttpStack } from "../src/http/stack.js";
import type { ModemLike } from "../src/modem/types.js";
import { mulberry32 } from "../src/sim/prng.js";
import { type FuzzRequest, type OpenApi, RequestGenerator } from "./fuzz/api-requests.js";
import { writeSection } from "./lib/results.js";
import { machineInfo } from "./lib/timing.js";

const argv = process.argv.slice(2);
const flag = (n: string) => argv.includes(n);
const opt = (n: string, d: number) => {
  const i = argv.indexOf(n);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : d;
};
const quick = flag("--quick");
const total = opt("--requests", quick ? 5_000 : 100_000);
const seed = opt("--seed", 20261126);
const concurrency = opt("--concurrency", 8);

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
/** Heap after full GCs, with turns of the event loop between them so FinalizationRegistry callbacks
 * (undici's Request keeps per-request abort wiring until its finalizer runs) get their chance. */
const memory = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  const u = process.memoryUsage();
  return { rss: u.rss, heap: u.heapUsed };
};

const dir = mkdtempSync(join(tmpdir(), "smsgw-fuzz-api-"));
const config = parseConfig(
  [
    "version = 1",
    `data_dir = ${JSON.stringify(dir)}`,
    "[business]",
    'name = "Fuzz shop"',
    "[[modems]]",
    'id = "gsm0"',
    'port = "sim://generic"',
  ].join("\n"),
  "fuzz.toml",
  { env: {}, cwd: dir },
);
const engine = new Engine({
  db: join(dir, "smsgw.db"),
  config: engineConfigFrom(config),
  compliance: complianceFrom(config, systemClock),
});
// One ready modem that "sends" at once, so /readyz and /health answer 200 and the queue moves
// while the API is hammered (a 503 from them would then be a finding, not the absence of a modem).
let mr = 0;
const modem: ModemLike = {
  id: "imei:356059926749447",
  identity: { profile: "generic" },
  health: () => ({
    state: "ready",
    signalDbm: -71,
    registration: "home",
    operator: "Fuzz",
    storage: null,
    lastSuccessAt: null,
    lastError: null,
  }),
  sendPart: async () => ({ kind: "sent", mr: mr++ & 0xff }),
  onIncoming: () => {},
};
engine.addModem(modem);
engine.start();
const keys = { valid: `ops-${"a".repeat(40)}`, readOnly: `rd-${"b".repeat(40)}` };
const unexpected: string[] = [];
const stack = createHttpStack({
  engine,
  apiKeys: [
    { name: "ops", key: keys.valid, scopes: ["admin"] },
    { name: "reader", key: keys.readOnly, scopes: ["read"] },
  ],
  // What the composition root hands over from the modem fleet: names, the live modem, a reset.
  modems: {
    names: {
      nameOf: (id) => (id === modem.id ? "gsm0" : id),
      idOf: (n) => (n === "gsm0" || n === modem.id ? modem.id : undefined),
    },
    live: (id) => (id === modem.id ? modem : undefined),
    reset: async () => {},
    simulated: () => false,
  },
  onUnexpectedError: (e, info) => unexpected.push(`${info.method} ${info.path}: ${String(e)}`),
});
const doc = (await (await stack.app.request("/openapi.json")).json()) as OpenApi;
const gen = new RequestGenerator(mulberry32(seed), doc, keys);

const histogram = new Map<number, number>();
const fiveXx: string[] = [];
const badProblems: string[] = [];
const clientErrors = new Map<string, number>();
const accepted = new Set<string>();
/** Answers to well-formed sends by their text: where a row the API never acknowledged came from. */
const sendsByText = new Map<string, string>();
let validSends = 0;
let notReady = 0;
/** Well-formed sends not accepted, by status and problem type. */
const validOther = new Map<string, number>();
let validAccepted = 0;

/** A copy that does not keep its parent alive: V8 slices of a 2 MB body would otherwise retain it. */
const own = (s: string) => Buffer.from(s, "utf8").toString("utf8");

const describe = (r: FuzzRequest) => {
  const body =
    r.body === undefined
      ? ""
      : typeof r.body === "string"
        ? ` body ${JSON.stringify(r.body.slice(0, 200))}${r.body.length > 200 ? ` (${r.body.length} chars)` : ""}`
        : ` body bytes ${Buffer.from(r.body).toString("hex").slice(0, 200)}`;
  return `${r.method} ${r.path.slice(0, 200)} headers ${JSON.stringify(r.headers)}${body}`;
};

/** Message ids in a 2xx answer to POST /v1/messages or /v1/messages/batch. */
function collectIds(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) collectIds(x, out);
  else if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.id === "string" && /^[0-9A-Z]{26}$/.test(o.id)) out.add(o.id);
    for (const x of Object.values(o)) collectIds(x, out);
  }
}

async function one(r: FuzzRequest): Promise<void> {
  let res: Response;
  try {
    res = await stack.app.request(r.path, {
      method: r.method,
      headers: r.headers,
      ...(r.body !== undefined && { body: r.body }),
    });
  } catch (e) {
    // The Request could not even be built (a header value Fetch refuses): the client's side, not ours.
    const k = e instanceof Error ? `${e.name}: ${e.message.slice(0, 60)}` : String(e);
    clientErrors.set(k, (clientErrors.get(k) ?? 0) + 1);
    return;
  }
  const text = await res.text();
  histogram.set(res.status, (histogram.get(res.status) ?? 0) + 1);
  // The route the app saw: the URL parser resolves "..", "%2e%2e" and "." segments before routing
  // (WHATWG URL), so POST /v1/conversations/../messages is a send.
  // app.request() prefixes the path with its own origin the same way.
  const route = URL.canParse(`http://localhost${r.path}`)
    ? new URL(`http://localhost${r.path}`).pathname
    : r.path;
  const probe = (r.method === "GET" || r.method === "HEAD") && /^\/(readyz|health)$/.test(route);
  if (res.status === 503 && probe && (r.method === "HEAD" || /"status":"fail"/.test(text))) {
    // Readiness semantics, not an error: the fuzz itself disables the only modem now and then
    // (POST /v1/modems/{id}/disable with its real id), and a gateway with no usable modem is not ready.
    notReady++;
  } else if (res.status >= 500) fiveXx.push(own(`${res.status} ← ${describe(r)} → ${text.slice(0, 200)}`));
  else if (res.status >= 400) {
    let type: unknown;
    try {
      type = (JSON.parse(text) as { type?: unknown }).type;
    } catch {}
    const ct = res.headers.get("content-type") ?? "";
    // HEAD answers carry no body (RFC 9110 §9.3.2): only their content type can be checked.
    // The batch route answers 422 with one result per item when none was accepted (routes/messages.ts):
    // then each refused item must carry its own problem with a type.
    const batchTyped =
      res.status === 422 &&
      route === "/v1/messages/batch" &&
      (() => {
        try {
          const b = JSON.parse(text) as { results?: { ok: boolean; problem?: { type?: unknown } }[] };
          return !!b.results?.every(
            (x) => x.ok || (typeof x.problem?.type === "string" && x.problem.type !== ""),
          );
        } catch {
          return false;
        }
      })();
    const typed = r.method === "HEAD" || batchTyped || (typeof type === "string" && type !== "");
    if (!(ct.startsWith("application/problem+json") || batchTyped) || !typed)
      badProblems.push(own(`${res.status} ${ct} ← ${describe(r)} → ${text.slice(0, 120)}`));
  } else if (res.status < 300 && r.method === "POST" && /^\/v1\/messages(\/batch)?$/.test(route)) {
    const ids = new Set<string>();
    try {
      collectIds(JSON.parse(text), ids);
    } catch {}
    for (const id of ids) {
      accepted.add(id);
      gen.ids.push(id);
    }
  }
  // Kept small (the harness must not be what grows): the unique text of a well-formed send → its answer.
  const fuzzText =
    typeof r.body === "string" ? /"text":"(fuzz \d+)"/.exec(r.body.slice(0, 200))?.[1] : undefined;
  if (fuzzText) sendsByText.set(own(fuzzText), own(`${res.status} ← ${r.method} ${r.path.slice(0, 100)}`));
  if (r.validSend) {
    validSends++;
    if (res.status === 202) validAccepted++;
    else {
      const type = /"type":"[^"]*\/([^"/]+)"/.exec(text)?.[1] ?? "?";
      const k = `${res.status} ${type}`;
      validOther.set(k, (validOther.get(k) ?? 0) + 1);
    }
  }
}

// Warm-up (JIT, prepared statements), then the memory baseline.
for (let i = 0; i < 300; i++) await one(gen.next());
const before = await memory();
let issued = 300;
let busyMs = 0;
// Four quarters with a GC'd heap reading after each: a leak climbs, a bounded process levels off.
const quarters: number[] = [];
for (let q = 1; q <= 4; q++) {
  const until = Math.round((total * q) / 4);
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < until) {
        issued++;
        await one(gen.next());
      }
    }),
  );
  busyMs += performance.now() - t;
  if (q < 4) quarters.push((await memory()).heap);
}
const seconds = busyMs / 1000;
const after = await memory();

const rows = engine.db.prepare("SELECT id FROM messages").all() as { id: string }[];
const inDb = new Set(rows.map((r) => r.id));
const missing = [...accepted].filter((id) => !inDb.has(id));
const phantom = [...inDb].filter((id) => !accepted.has(id));
// What a row the API never acknowledged looks like, to tell where it came from.
const phantomRows = phantom.slice(0, 5).map((id) => {
  const row = engine.db
    .prepare("SELECT id, to_number, body, category, status, idempotency_key FROM messages WHERE id = ?")
    .get(id) as { to_number: string; body: string };
  return `${JSON.stringify(row)}; the request with that text: ${sendsByText.get(row.body) ?? "none found"}`;
});
const integrity = (engine.db.pragma("integrity_check") as { integrity_check: string }[])[0]?.integrity_check;
await stack.stop();
await engine.stop();
rmSync(dir, { recursive: true, force: true });

const m = machineInfo();
const cmd = `npx tsx bench/fuzz-api.ts${quick ? " --quick" : total !== 100_000 ? ` --requests ${total}` : ""}`;
const hist = [...histogram].sort((a, b) => a[0] - b[0]);
const violations = fiveXx.length + badProblems.length + unexpected.length + missing.length + phantom.length;
const body = [
  `Measured ${m.date} on ${m.nproc} × ${m.cpu}, Node ${m.node}, load average ${m.load.toFixed(1)}; command \`${cmd}\` ` +
    `(seed ${seed}, ${concurrency} requests in flight).`,
  "",
  `${total.toLocaleString("en")} requests through \`app.request()\` of \`createHttpStack\` on the real engine (temp SQLite file, ` +
    "the gateway's compliance policy): the routes and query parameters of the app's own OpenAPI document with mutated path " +
    "parameters (ids it handed out, traversal, bad %-escapes, 10,000-character segments), 7 % unknown paths, 15 % other methods; " +
    "bodies valid, near-valid (the document's field names with values of every JSON type), random JSON, 1.6 k–2 MB strings, " +
    "nesting up to 20,000 levels, invalid UTF-8, truncated JSON, none; 20 % missing, read-only, garbage or non-Bearer credentials; " +
    "replayed, conflicting, empty and 300-character idempotency keys; lying Content-Length.",
  "",
  `**${(total / seconds).toFixed(0)} requests/s** (${seconds.toFixed(1)} s after a 300-request warm-up; in-process, no socket).`,
  "",
  `| status | ${hist.map(([s]) => s).join(" | ")} |`,
  `|---|${hist.map(() => "---:").join("|")}|`,
  `| requests | ${hist.map(([, n]) => n.toLocaleString("en")).join(" | ")} |`,
  "",
  `- 5xx: **${fiveXx.length}** (besides ${notReady} × 503 from /readyz or /health while the fuzz had disabled the only modem: readiness, by design); 4xx that are not problem+json with a \`type\` (a 422 from the batch route: each refused item's problem has one): **${badProblems.length}**; errors reported to \`onUnexpectedError\`: **${unexpected.length}**.`,
  `- Memory after GC: RSS ${mb(before.rss)} → ${mb(after.rss)}, heap ${mb(before.heap)} → ${mb(after.heap)} (after each quarter of the run: ${[...quarters, after.heap].map(mb).join(", ")}). ` +
    "The GCs are given event-loop turns, since undici's Request holds per-request abort wiring until its FinalizationRegistry callback runs " +
    "(nodejs/undici#5822): read right after a single GC, the heap reads higher than what stays.",
  `- Store: ${accepted.size.toLocaleString("en")} messages accepted (${validAccepted.toLocaleString("en")} of ${validSends.toLocaleString("en")} well-formed authorised sends got their 202, the others ${
    [...validOther]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${n}× ${k}`)
      .join(", ") || "none"
  }; the others came from batches), ` +
    `${missing.length} of them missing from the store, ${phantom.length} rows the API never accepted; SQLite integrity_check: ${integrity}.`,
  ...(clientErrors.size
    ? [
        `- Requests the Fetch API refused to build (client side, not counted): ${[...clientErrors].map(([k, n]) => `${n}× ${k}`).join("; ")}.`,
      ]
    : []),
  ...(violations
    ? [
        "",
        "Findings:",
        ...[...fiveXx.slice(0, 5), ...badProblems.slice(0, 5), ...unexpected.slice(0, 5)].map(
          (s) => `- ${s}`,
        ),
        ...phantomRows.map((r) => `- in the store, never acknowledged by the API: ${r}`),
      ]
    : []),
  "",
  "`--quick` runs 5,000 requests. The simulator routes (/v1/sim) are not mounted in this run (no simulated modem).",
].join("\n");
process.stdout.write(`${body}\n`);
if (!flag("--no-write")) writeSection(new URL("./RESULTS.md", import.meta.url).pathname, "API fuzz", body);
process.exit(violations > 0 ? 1 : 0);
