/**
 * PDU codec throughput: our encoder/decoder against node-pdu 2.1.1 on the same inputs in the same
 * process, plus a disagreement count against Gammu on a sample. Run: `npx tsx bench/pdu.ts`
 * (`--no-write` to skip updating bench/RESULTS.md, `--quick` for a short smoke run).
 */
import { fileURLToPath } from "node:url";
import { Submit as NpSubmit, parse as npParse } from "node-pdu";
import { decodePdu, encodeSubmit, segmentPreview } from "../src/pdu/index.js";
import { makeNumber, makeText, mulberry32, type Rng } from "../test/oracle/cases.js";
import { gammuSafe, gammuText, startGammu } from "../test/oracle/gammu.js";
import { writeSection } from "./lib/results.js";
import { compare, formatOps, machineInfo, type RoundsResult } from "./lib/timing.js";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const timing = quick
  ? { warmupMs: 100, rounds: 3, roundMs: 100 }
  : { warmupMs: 800, rounds: 9, roundMs: 500 };

interface Mix {
  name: string;
  texts: string[];
}

function mixes(rng: Rng): Mix[] {
  const n = 64;
  // Gammu-safe texts (no '~' in what goes out as UCS-2, see gammu.ts) so the oracle count is exact.
  const make = (f: () => string) =>
    Array.from({ length: n }, () => {
      const t = f();
      return gammuSafe(t, segmentPreview(t).coding === "ucs2");
    });
  return [
    { name: "short GSM-7", texts: make(() => makeText(rng, "gsm7", 20 + Math.floor(rng() * 60))) },
    { name: "French accents", texts: make(() => makeText(rng, "accents", 60 + Math.floor(rng() * 90))) },
    { name: "long multi-part", texts: make(() => makeText(rng, "gsm7-ext", 400 + Math.floor(rng() * 400))) },
    { name: "UCS-2 emoji", texts: make(() => makeText(rng, "emoji", 30 + Math.floor(rng() * 100))) },
  ];
}

interface Row {
  mix: string;
  op: "encode" | "decode";
  ours: RoundsResult;
  theirs: RoundsResult;
}

function bench(): { rows: Row[]; pdus: { number: string; text: string; parts: string[] }[] } {
  const rng = mulberry32(0xbe7c);
  const rows: Row[] = [];
  const pdus: { number: string; text: string; parts: string[] }[] = [];
  for (const mix of mixes(rng)) {
    const numbers = mix.texts.map(() => makeNumber(rng));
    const encodeOurs = () => {
      for (let i = 0; i < mix.texts.length; i++)
        encodeSubmit({ to: numbers[i]!, text: mix.texts[i]!, concatRef: i & 0xff });
    };
    const encodeTheirs = () => {
      for (let i = 0; i < mix.texts.length; i++) new NpSubmit(numbers[i]!, mix.texts[i]!).getPartStrings();
    };
    const enc = compare(encodeOurs, encodeTheirs, mix.texts.length, timing);
    rows.push({ mix: mix.name, op: "encode", ours: enc.a, theirs: enc.b });
    // Decode the same PDUs with both: ours as encoded (SMSC "00" first, as +CMGR prints them).
    const all = mix.texts.map((text, i) => ({
      number: numbers[i]!,
      text,
      parts: encodeSubmit({ to: numbers[i]!, text, concatRef: i & 0xff }).parts.map((p) => p.pdu),
    }));
    pdus.push(...all);
    const flat = all.flatMap((m) => m.parts);
    const dec = compare(
      () => {
        for (const p of flat) decodePdu(p);
      },
      () => {
        for (const p of flat) npParse(p);
      },
      flat.length,
      timing,
    );
    rows.push({ mix: mix.name, op: "decode", ours: dec.a, theirs: dec.b });
  }
  return { rows, pdus };
}

/** Our PDUs read back by Gammu: number, reassembled text and part count must agree. */
async function gammuDisagreements(sample: { number: string; text: string; parts: string[] }[]) {
  const gammu = await startGammu();
  try {
    const answers = await gammu.decode(sample.flatMap((m) => m.parts.map((pdu) => ({ pdu }))));
    let k = 0;
    let disagreements = 0;
    for (const m of sample) {
      let text = "";
      let ok = true;
      for (let j = 0; j < m.parts.length; j++) {
        const g = answers[k++]!;
        if (!g.ok || g.number !== m.number) ok = false;
        else text += gammuText(g);
        if (g.ok && m.parts.length > 1 && g.concat?.total !== m.parts.length) ok = false;
      }
      if (!ok || text !== m.text) disagreements++;
    }
    return { messages: sample.length, pdus: k, disagreements, version: gammu.version };
  } finally {
    await gammu.close();
  }
}

const geo = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

const { rows, pdus } = bench();
const oracle = await gammuDisagreements(pdus);
const m = machineInfo();
const table = [
  "| mix | op | ours (median) | node-pdu (median) | ours / node-pdu | per-round range |",
  "| --- | --- | ---: | ---: | ---: | ---: |",
  ...rows.map((r) => {
    const per = r.ours.rounds.map((x, i) => x / (r.theirs.rounds[i] ?? Number.NaN));
    const range = `${Math.min(...per).toFixed(1)}–${Math.max(...per).toFixed(1)}×`;
    return `| ${r.mix} | ${r.op} | ${formatOps(r.ours.median)} | ${formatOps(r.theirs.median)} | ${(r.ours.median / r.theirs.median).toFixed(2)}× | ${range} |`;
  }),
];
const ratio = (op: string) =>
  geo(rows.filter((r) => r.op === op).map((r) => r.ours.median / r.theirs.median));
const summary = [
  `Geometric mean ratio ours / node-pdu: encode ${ratio("encode").toFixed(2)}×, decode ${ratio("decode").toFixed(2)}× (target ≥ 3×).`,
  `Gammu ${oracle.version} read back ${oracle.messages} of our messages (${oracle.pdus} PDUs): ${oracle.disagreements} disagreements.`,
];
const body = [
  `Measured ${m.date} on ${m.nproc} × ${m.cpu}, Node ${m.node}, load average ${m.load.toFixed(1)}${quick ? " (quick run)" : ""}.`,
  "Command: `npx tsx bench/pdu.ts`. Units: messages per CPU-second for encode, PDUs per CPU-second for decode " +
    "(process CPU time, so load from other processes does not count); median of " +
    `${timing.rounds} rounds of ${timing.roundMs} ms after ${timing.warmupMs} ms warm-up; 64 inputs per mix, ` +
    "same inputs and same process for both codecs (node-pdu 2.1.1).",
  "",
  ...table,
  "",
  ...summary,
  "",
  "Per-round range: ours/node-pdu of each interleaved round pair, to show the noise on a shared machine.",
  "Profile a run with `node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/pdu.ts --quick --no-write`.",
].join("\n");
process.stdout.write(`${body}\n`);
if (!args.has("--no-write")) {
  writeSection(fileURLToPath(new URL("./RESULTS.md", import.meta.url)), "PDU codec", body);
}
