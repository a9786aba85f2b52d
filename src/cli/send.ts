/**
 * `smsgw send`: one message (--to, --text), or one per row of a CSV file (--csv) with the text as a
 * template whose {names} come from the header row. CSV rows are independent: a row that fails (no
 * number, a {variable} it has no value for, a number the daemon refuses) is reported with its line
 * number and the others still go. Exit 0 when everything was accepted, 1 when any row failed or the
 * daemon could not be reached, 2 for a bad command line.
 */
import { readFileSync } from "node:fs";
import { type CliIo, type CommandSpec, type ParsedArgs, processIo, runCommand, UsageError } from "./args.js";
import { type ApiClient, type ApiCliIo, ApiError, clientFrom, clientOptions } from "./client.js";
import { CsvError, type CsvRecord, fillTemplate, parseCsv } from "./csv.js";

const CATEGORIES = ["transactional", "conversational", "marketing"] as const;
/** Header names accepted for the recipient column (case-insensitive). */
const RECIPIENT_COLUMNS = [
  "to",
  "phone",
  "number",
  "mobile",
  "tel",
  "telephone",
  "téléphone",
  "numero",
  "numéro",
];

const spec: CommandSpec = {
  command: "smsgw send",
  synopsis: ["--to <number> --text <text> [options]", "--csv <file> --text <template> [options]"],
  summary: "Queue an SMS on the running gateway (202 Accepted: `smsgw status <id>` follows it).",
  json: true,
  options: {
    to: { type: "string", value: "<number>", description: "recipient, E.164 (+33612345678) or national" },
    text: { type: "string", value: "<text>", description: "message text; with --csv a template: {name}" },
    csv: {
      type: "string",
      value: "<file>",
      description: "one message per row; header row names the variables",
    },
    category: {
      type: "string",
      value: "<c>",
      description: `${CATEGORIES.join("|")} (default transactional)`,
    },
    modem: { type: "string", value: "<name>", description: "send from this modem" },
    "status-report": { type: "boolean", description: "ask for a delivery report" },
    "idempotency-key": {
      type: "string",
      value: "<k>",
      description: "same key → same message, never a second SMS (with --csv: <k>:<line> per row)",
    },
    ...clientOptions,
  },
  notes: [
    'CSV: the header row gives the variable names; the recipient column is "to" (or phone, number,',
    "mobile). Example: to,name / +33612345678,Alice with --text 'Bonjour {name}, …'.",
    "Rows that fail are listed with their line number; the other rows are still sent.",
    "Exit status: 0 all accepted, 1 some failed or daemon unreachable, 2 usage.",
  ],
};

interface Accepted {
  readonly id: string;
  readonly status: string;
  readonly coding: string;
  readonly parts: number;
}

export async function run(args: string[], io: ApiCliIo = processIo()): Promise<number> {
  return runCommand(spec, args, io, async (p) => {
    const text = p.required("text");
    const base = {
      ...(p.choice("category", CATEGORIES) !== undefined && { category: p.choice("category", CATEGORIES) }),
      ...(p.string("modem") !== undefined && { modem: p.string("modem") }),
      ...(p.flag("status-report") && { statusReport: true }),
    };
    const csv = p.string("csv");
    if (csv !== undefined && p.string("to") !== undefined)
      throw new UsageError("use either --to or --csv, not both", "csv");
    const client = clientFrom(p, { env: io.env ?? process.env, ...(io.fetch && { fetch: io.fetch }) });
    if (csv === undefined) return sendOne(client, p, { ...base, to: p.required("to"), text }, io);
    return sendCsv(client, p, csv, text, base, io);
  });
}

const idemHeader = (key: string | undefined): Record<string, string> =>
  key === undefined ? {} : { "idempotency-key": key };

async function sendOne(client: ApiClient, p: ParsedArgs, body: object, io: CliIo): Promise<number> {
  const r = await client.request<Accepted>("POST", "/v1/messages", {
    body,
    headers: idemHeader(p.string("idempotency-key")),
  });
  if (p.flag("json")) io.stdout.write(`${JSON.stringify(r)}\n`);
  else
    io.stdout.write(
      `${r.id}  ${r.status}  (${r.parts} part${r.parts === 1 ? "" : "s"}, ${r.coding})\n` +
        `Follow it with: smsgw status ${r.id}\n`,
    );
  return 0;
}

interface RowResult {
  readonly line: number;
  readonly to: string | null;
  readonly id?: string;
  readonly error?: string;
}

/** Header + rows → one request body per row, or the reason the row cannot be sent. */
function prepareRows(records: CsvRecord[], template: string) {
  const [header, ...rows] = records;
  if (!header) throw new UsageError("the CSV file is empty (expected a header row)", "csv");
  const names = header.fields.map((h) => h.trim());
  const toIndex = names.findIndex((h) => RECIPIENT_COLUMNS.includes(h.toLowerCase()));
  if (toIndex < 0)
    throw new UsageError(
      `no recipient column in the header (${names.join(", ")}); name it "to" (or phone, number, mobile)`,
      "csv",
    );
  return rows.map((r) => {
    const to = (r.fields[toIndex] ?? "").trim();
    if (r.fields.length !== names.length)
      return { line: r.line, to, error: `${r.fields.length} fields, the header has ${names.length}` };
    if (to === "") return { line: r.line, to: null, error: `empty "${names[toIndex]}"` };
    const vars = new Map<string, string>();
    names.forEach((n, i) => {
      const v = r.fields[i] ?? "";
      if (v.trim() !== "") vars.set(n, v.trim()).set(n.toLowerCase(), v.trim());
    });
    const filled = fillTemplate(template, vars);
    if ("missing" in filled)
      return { line: r.line, to, error: `no value for ${filled.missing.map((m) => `{${m}}`).join(", ")}` };
    return { line: r.line, to, text: filled.text };
  });
}

function progress(io: CliIo, done: number, total: number, failed: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  io.stderr.write(
    `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}${failed ? ` (${failed} failed)` : ""}`,
  );
}

async function sendCsv(
  client: ApiClient,
  p: ParsedArgs,
  file: string,
  template: string,
  base: object,
  io: CliIo,
): Promise<number> {
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? "error"})`, "csv");
  }
  let records: CsvRecord[];
  try {
    records = parseCsv(content);
  } catch (e) {
    if (e instanceof CsvError) throw new UsageError(`${file}: ${e.message}`, "csv");
    throw e;
  }
  const rows = prepareRows(records, template);
  const key = p.string("idempotency-key");
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true && !p.flag("json");
  const results: RowResult[] = [];
  let failed = 0;
  for (const row of rows) {
    if ("error" in row && row.error !== undefined) {
      results.push({ line: row.line, to: row.to || null, error: row.error });
      failed++;
    } else if ("text" in row) {
      try {
        const r = await client.request<Accepted>("POST", "/v1/messages", {
          body: { ...base, to: row.to, text: row.text },
          headers: idemHeader(key === undefined ? undefined : `${key}:${row.line}`),
        });
        results.push({ line: row.line, to: row.to, id: r.id });
      } catch (e) {
        // An unreachable daemon fails every row the same way: stop and say so once.
        if (!(e instanceof ApiError)) throw e;
        results.push({ line: row.line, to: row.to, error: e.message });
        failed++;
      }
    }
    if (tty) progress(io, results.length, rows.length, failed);
  }
  if (tty) io.stderr.write("\n");
  const sent = results.length - failed;
  if (p.flag("json")) io.stdout.write(`${JSON.stringify({ sent, failed, results })}\n`);
  else {
    for (const r of results)
      if (r.error !== undefined) io.stderr.write(`${file}:${r.line}: ${r.to ?? "-"}: ${r.error}\n`);
    io.stdout.write(`${sent} of ${results.length} message(s) queued, ${failed} failed\n`);
  }
  return failed > 0 ? 1 : 0;
}
