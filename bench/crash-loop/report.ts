/** The crash loop's table (stdout) and its bench/RESULTS.md section. */
import type { MachineInfo } from "../lib/timing.js";
import type { ClientStats } from "./client.js";
import type { Tally } from "./tally.js";

export interface KillRecord {
  /** Aimed at a batch request in flight rather than at a uniform instant. */
  readonly aimed: boolean;
  /** Time from the start of that life to its SIGKILL. */
  readonly lifeMs: number;
  /** The API was listening when it was killed. */
  readonly ready: boolean;
  /** Parts the network accepted during that life. */
  readonly partsSent: number;
  /** Messages the API acknowledged during that life. */
  readonly acked: number;
  /** The client still had batches to post. */
  readonly enqueuing: boolean;
}

const pct = (a: number, b: number) => (b === 0 ? "–" : `${((100 * a) / b).toFixed(2)} %`);

export function report(o: {
  t: Tally;
  kills: readonly KillRecord[];
  client: ClientStats;
  settled: boolean;
  /** Routing of each simulated modem at the end (+CNMI). */
  routing: string;
  exitCode: number | null;
  wallS: number;
  n: number;
  m: number;
  seed: number;
  cmd: string;
  /** Results of the placed kills (placed-kills.ts), empty when not run. */
  placed: string;
  /** Which sources were measured. */
  source: string;
  machine: MachineInfo;
}): { table: string; body: string } {
  const { t, kills, client: c } = o;
  const rows: [string, number | string, string][] = [
    ["outbound planned", t.planned, ""],
    ["acknowledged by the API (202)", t.acked, pct(t.acked, t.planned)],
    ["stored (distinct tokens)", t.stored, `${t.storedRows} rows`],
    ["stored twice (request executed again)", t.storedTwice, pct(t.storedTwice, t.planned)],
    ["not final at the end", t.notFinal, ""],
    ["**lost**", t.lost, pct(t.lost, t.planned)],
    ["**duplicated, not recorded as unknown**", t.dupSilent, pct(t.dupSilent, t.planned)],
    ["duplicated, recorded as unknown", t.dupRecorded, pct(t.dupRecorded, t.planned)],
    ["unknown, reached the network once", t.unknownOnNetwork, pct(t.unknownOnNetwork, t.planned)],
    ["unknown, never reached the network", t.unknownNotOnNetwork, pct(t.unknownNotOnNetwork, t.planned)],
    ["failed / undelivered / expired", t.failed, ""],
    ["only some parts reached the network", t.partial, ""],
    ["parts accepted by the network", t.networkParts, `${t.strayOnNetwork} matching no message`],
    ["inbound injected", t.inPlanned, ""],
    ["**inbound lost** (not stored when the run ended)", t.inLost, pct(t.inLost, t.inPlanned)],
    ["**inbound duplicated**", t.inDuplicated, pct(t.inDuplicated, t.inPlanned)],
    ["inbound incomplete (partial or text differs)", t.inIncomplete, ""],
    ["left unread in SIM storage / undelivered by the network", `${t.simUnread} / ${t.simPending}`, ""],
  ];
  const table = [
    "| outcome | count | ratio |",
    "|---|---:|---:|",
    ...rows.map(([a, b, r]) => `| ${a} | ${b} | ${r} |`),
  ].join("\n");
  const ready = kills.filter((k) => k.ready).length;
  const sending = kills.filter((k) => k.partsSent > 0).length;
  const enqueuing = kills.filter((k) => k.enqueuing).length;
  const lifeS = kills.map((k) => k.lifeMs / 1000);
  const killsLine =
    `${kills.length} SIGKILLs, seed ${o.seed}, lives of ${Math.min(...lifeS).toFixed(1)}–${Math.max(...lifeS).toFixed(1)} s: ` +
    `${ready} after the API was up (${kills.length - ready} during start-up), ${sending} in a life that was sending, ` +
    `${enqueuing} while the client still had batches to post, ${kills.filter((k) => k.aimed).length} aimed at a request in flight.`;
  const clientLine =
    `API client: ${c.requests} batch requests; ${c.cut} cut by a kill, ${c.refused} refused while the daemon was down, ` +
    `${c.inFlight409} answered 409 (the cut attempt's claim still held), ${c.replayed} replayed (Idempotent-Replayed), ` +
    `${c.reexecutedAfterCut} executed again after a cut${Object.keys(c.other).length ? `, other: ${JSON.stringify(c.other)}` : ""}.`;
  const end =
    `${o.settled ? "Everything final" : "**Did not settle** before the deadline"}; graceful stop exit code ${o.exitCode}; ` +
    `wall time ${o.wallS.toFixed(0)} s. Routing at the end: ${o.routing}.`;
  const notes = findings(t, c);
  const examples = Object.entries(t.examples)
    .map(([k, v]) => `- ${k}: ${v.join("; ")}`)
    .join("\n");
  const m = o.machine;
  const body = [
    `${o.n} outbound messages (80 % short GSM-7, 10 % UCS-2, 10 % two-part; one in three asks a delivery report) posted through ` +
      `\`POST /v1/messages/batch\` in batches with an Idempotency-Key, and ${o.m} inbound (one in four concatenated) injected on two ` +
      "simulated modems (SIM800 with +CNMA, EC25) served on pseudo-terminals by the bench process, which outlives the daemon. " +
      "The daemon is `src/gateway.ts` as `smsgw start` builds it, with the per-SIM rate and caps lifted (the schema allows 60/min) and the simulator at zero latency. " +
      "Kill instants come from a seeded PRNG: one in six during start-up, one in three aimed at a batch request in flight, the rest uniform after the API is up; after each kill the daemon restarts on the same data directory, and after the last one it runs until everything is final, then stops gracefully. " +
      "Ground truth: the virtual network's record of every accepted SUBMIT, decoded and keyed by the token in each body; the inbound plan. " +
      "Lost: accepted but never (fully) on the network and not recorded as failed or unknown.",
    table,
    killsLine,
    clientLine,
    end,
    notes,
    examples ? `Examples:\n${examples}` : "",
    o.placed,
    `Measured ${m.date} with \`${o.cmd}\` (${o.source}) on ${m.nproc} × ${m.cpu}, Node ${m.node}, load ${m.load.toFixed(2)}.`,
  ]
    .filter(Boolean)
    .join("\n\n");
  return {
    table: `${table}\n\n${killsLine}\n${clientLine}\n${end}\n${notes}\n${examples}\n${o.placed}`,
    body,
  };
}

/** How to read the anomalies this run found (the mechanisms were traced in the daemon's code). */
function findings(t: Tally, c: ClientStats): string {
  const out: string[] = [];
  if (t.storedTwice > 0)
    out.push(
      `Duplicates from the API (${t.storedTwice}): a batch request was killed after its messages were committed but before ` +
        "the Idempotency-Key record got its response (the claim and the messages are separate commits). The retry with the " +
        "same key is answered 409 while the claim is younger than its 60 s lock, then the claim counts as abandoned and the " +
        "whole batch is executed again: every message of the first attempt is stored and sent a second time, with nothing " +
        "marking it unknown.",
    );
  if (t.inLost > 0 || t.simUnread > 0)
    out.push(
      `Inbound left on the modem (${t.inLost} not stored, ${t.simUnread} unread in SIM storage): on a +CNMA modem a kill ` +
        "with a +CMT or +CDS not yet acknowledged leaves the modem's acknowledgement timer running; when it fires after the " +
        "next life has set +CNMI, the modem turns routing off (<mt>=<ds>=0, 27.005 §3.4.4) and stores every later message " +
        "silently, which that life neither notices nor sweeps.",
    );
  if (t.partial > 0)
    out.push(
      `Partly sent (${t.partial}): a part interrupted during submission becomes unknown while its sibling parts are still ` +
        "sent; the message is reported unknown.",
    );
  if (c.cut === 0)
    out.push("No request was cut by a kill in this run: the idempotent retry path was not exercised.");
  return out.join("\n\n");
}
