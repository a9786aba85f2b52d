/**
 * `smsgw pdu`: the codec offline, for operators and scripts. Encode a SUBMIT ready for
 * `AT+CMGS=<tpduLength>`, decode what a modem printed after `+CMGR:`/`+CMT:`/`+CDS:`, count parts.
 * Output is JSON (one object, or one per line in stream modes) so it can be piped into jq.
 */
import { decodePdu, encodeSubmit, PduDecodeError, PduEncodeError, segmentPreview } from "../pdu/index.js";
import type { DecodedPdu, EncodedSubmit, SubmitOptions } from "../pdu/types.js";
import {
  type CliIo,
  type CommandSpec,
  oneLine,
  type ParsedArgs,
  parseIntOption,
  processIo,
  readLines,
  runCommand,
  UsageError,
} from "./args.js";

const DECODE: CommandSpec = {
  command: "smsgw pdu decode",
  synopsis: ["[--no-smsc] <hex>", "[--no-smsc] < pdus.txt"],
  summary: "Decode an SMS-DELIVER, SMS-SUBMIT or SMS-STATUS-REPORT PDU (3GPP TS 23.040) to JSON.",
  options: {
    "no-smsc": { type: "boolean", description: "the PDU has no SMSC field (it starts at the TPDU)" },
  },
  notes: [
    "Without <hex>, reads one PDU per line from stdin (blank lines skipped) and prints one JSON",
    'object per line. A line that does not decode prints {"line","error","field","offset"} and the',
    "stream goes on; the exit code is then 2 and one summary line goes to stderr.",
    "Exit codes: 0 decoded, 2 bad PDU or usage.",
  ],
};

const ENCODE: CommandSpec = {
  command: "smsgw pdu encode",
  synopsis: ["--to <number> --text <text> [options]", "--jsonl < requests.jsonl"],
  summary:
    'Encode an SMS-SUBMIT; prints {"coding","parts":[{"pdu","tpduLength"}]} (pdu includes the SMSC octets).',
  options: {
    to: { type: "string", value: "<number>", description: "recipient, e.g. +33612345678" },
    text: { type: "string", value: "<text>", description: "message text" },
    "status-report": { type: "boolean", description: "request a delivery report (TP-SRR)" },
    class: { type: "string", value: "<0-3>", description: "message class (0 = flash)" },
    validity: { type: "string", value: "<seconds>", description: "relative validity period" },
    smsc: { type: "string", value: "<number>", description: "SMSC address (default: the SIM's, '00')" },
    coding: { type: "string", value: "auto|gsm7|ucs2", description: "alphabet (default auto)" },
    smart: { type: "boolean", description: "replace look-alike punctuation to stay in GSM-7" },
    ref: { type: "string", value: "<n>", description: "concatenation reference (default: hash of to+text)" },
    ref16: { type: "boolean", description: "use a 16-bit concatenation reference" },
    jsonl: { type: "boolean", description: "read one JSON request per line from stdin" },
  },
  notes: [
    'A multi-part message also prints "ref", the concatenation reference used (23.040 §9.2.3.24.1).',
    'JSONL request: {"to","text","statusReport","class","validity","smsc","coding","smart","ref","ref16"}.',
    'A bad request prints {"line","error","option"} and the stream goes on (exit code 2 at the end).',
    "Exit codes: 0 encoded, 2 bad input or usage.",
  ],
};

const COUNT: CommandSpec = {
  command: "smsgw pdu count",
  synopsis: ["[--smart] [--coding auto|gsm7|ucs2] <text>"],
  summary: "Print how a text splits into SMS parts (coding, parts, units left, characters forcing UCS-2).",
  options: {
    smart: { type: "boolean", description: "count after replacing look-alike punctuation" },
    coding: { type: "string", value: "auto|gsm7|ucs2", description: "alphabet (default auto)" },
  },
};

const USAGE = [
  "usage: smsgw pdu <decode|encode|count> [options]",
  "",
  "  decode   decode a PDU (hex) to JSON",
  "  encode   encode an SMS-SUBMIT for AT+CMGS",
  "  count    show the segment preview of a text",
  "",
  "Run `smsgw pdu <subcommand> --help` for its options.",
].join("\n");

export async function run(args: string[], io: CliIo = processIo()): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case "decode":
      return runCommand(DECODE, rest, io, (a) => decodeCommand(a, io));
    case "encode":
      return runCommand(ENCODE, rest, io, (a) => encodeCommand(a, io));
    case "count":
      return runCommand(COUNT, rest, io, (a) => countCommand(a, io));
    case "--help":
    case "-h":
    case "help":
      io.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      io.stderr.write(
        sub === undefined ? `${USAGE}\n` : `smsgw pdu: unknown subcommand '${sub}' (decode|encode|count)\n`,
      );
      return 2;
  }
}

// ---- decode ------------------------------------------------------------------------------------

/** The flat JSON shape printed by `decode`: only the fields that apply to the PDU type. */
export function pduToJson(p: DecodedPdu): Record<string, unknown> {
  const smsc = p.smsc?.number ?? null;
  if (p.type === "status-report")
    return {
      type: p.type,
      smsc,
      number: p.recipient.number,
      mr: p.mr,
      status: p.status,
      statusClass: p.statusClass,
      scts: p.scts.iso,
      dischargeTime: p.dischargeTime.iso,
    };
  const body = {
    ...(p.text !== undefined ? { text: p.text } : {}),
    ...(p.dataHex !== undefined ? { dataHex: p.dataHex } : {}),
    coding: p.coding,
    class: p.messageClass,
    concat: p.concat ? { ref: p.concat.ref, total: p.concat.total, seq: p.concat.seq } : null,
  };
  if (p.type === "deliver")
    return { type: p.type, smsc, number: p.originator.number, ...body, scts: p.scts.iso };
  return {
    type: p.type,
    smsc,
    number: p.recipient.number,
    ...body,
    mr: p.mr,
    statusReport: p.statusReportRequest,
    validity: p.validity,
  };
}

interface DecodeFailure {
  error: string;
  field: string;
  offset: number;
}

function decodeError(e: unknown): DecodeFailure {
  if (e instanceof PduDecodeError) return { error: oneLine(e.reason), field: e.field, offset: e.offset };
  throw e;
}

/** One line naming the field path and the octet offset, e.g. "tpdu.oa.digits at octet 11: truncated". */
function describeDecodeError(d: DecodeFailure): string {
  return `${d.field} at octet ${d.offset}: ${d.error}`;
}

async function decodeCommand(a: ParsedArgs, io: CliIo): Promise<number> {
  const smsc = !a.flag("no-smsc");
  if (a.positionals.length > 1) throw new UsageError("expected one PDU (hex); pass several on stdin");
  const hex = a.positionals[0];
  if (hex !== undefined) {
    try {
      io.stdout.write(`${JSON.stringify(pduToJson(decodePdu(hex.replace(/\s+/g, ""), { smsc })))}\n`);
      return 0;
    } catch (e) {
      throw new UsageError(describeDecodeError(decodeError(e)));
    }
  }
  if (io.stdinIsTTY) throw new UsageError("expected a PDU (hex) argument, or PDUs on stdin");
  let line = 0;
  let failed = 0;
  let first = "";
  for await (const raw of readLines(io.stdin)) {
    line++;
    const hexLine = raw.replace(/\s+/g, "");
    if (hexLine === "") continue;
    try {
      io.stdout.write(`${JSON.stringify(pduToJson(decodePdu(hexLine, { smsc })))}\n`);
    } catch (e) {
      const d = decodeError(e);
      io.stdout.write(`${JSON.stringify({ line, ...d })}\n`);
      if (failed++ === 0) first = `line ${line}: ${describeDecodeError(d)}`;
    }
  }
  if (failed === 0) return 0;
  io.stderr.write(`${DECODE.command}: ${failed} of the input lines failed; first ${first}\n`);
  return 2;
}

// ---- encode ------------------------------------------------------------------------------------

interface EncodeRequest {
  to: string;
  text: string;
  statusReport?: boolean;
  class?: number;
  validity?: number;
  smsc?: string;
  coding?: "auto" | "gsm7" | "ucs2";
  smart?: boolean;
  ref?: number;
  ref16?: boolean;
}

/** FNV-1a over the UTF-8 of recipient and text: the same message always gets the same reference. */
export function defaultConcatRef(to: string, text: string, bits: 8 | 16): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(`${to}\u0000${text}`)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return bits === 8 ? (h ^ (h >>> 8) ^ (h >>> 16) ^ (h >>> 24)) & 0xff : (h ^ (h >>> 16)) & 0xffff;
}

const CODINGS = ["auto", "gsm7", "ucs2"] as const;
// 23.040 §9.2.3.12.1: the relative format reaches 63 weeks.
const MAX_VALIDITY_S = 63 * 7 * 24 * 3600;

function submitOptions(r: EncodeRequest): SubmitOptions {
  const bits = r.ref16 ? 16 : 8;
  return {
    to: r.to,
    text: r.text,
    coding: r.coding ?? "auto",
    smart: r.smart ?? false,
    statusReport: r.statusReport ?? false,
    messageClass: (r.class ?? null) as SubmitOptions["messageClass"],
    ...(r.validity !== undefined ? { validity: { format: "relative", seconds: r.validity } } : {}),
    smsc: r.smsc ?? null,
    concatRef: r.ref ?? defaultConcatRef(r.to, r.text, bits),
    concatRef16: bits === 16,
  };
}

function encodedToJson(e: EncodedSubmit, ref: number): Record<string, unknown> {
  return {
    coding: e.coding,
    ...(e.parts.length > 1 ? { ref } : {}),
    parts: e.parts.map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength })),
  };
}

/** Maps a codec error to the option the user typed; the codec's own field name when unknown. */
function encodeOrUsage(r: EncodeRequest): Record<string, unknown> {
  const opts = submitOptions(r);
  try {
    return encodedToJson(encodeSubmit(opts), opts.concatRef ?? 0);
  } catch (e) {
    if (!(e instanceof PduEncodeError)) throw e;
    throw new UsageError(oneLine(e.reason), optionForField(e.field));
  }
}

function optionForField(field: string): string {
  const f = field.toLowerCase();
  if (/^(to|recipient|da|address)/.test(f)) return "to";
  if (/smsc/.test(f)) return "smsc";
  if (/valid|vp/.test(f)) return "validity";
  if (/class|dcs/.test(f)) return "class";
  if (/ref|concat/.test(f)) return "ref";
  if (/coding/.test(f)) return "coding";
  return "text";
}

function fromArgs(a: ParsedArgs): EncodeRequest {
  const ref16 = a.flag("ref16");
  const r: EncodeRequest = { to: a.required("to"), text: a.string("text") ?? "" };
  if (a.string("text") === undefined) throw new UsageError("--text is required", "text");
  const cls = a.int("class", { min: 0, max: 3 });
  const validity = a.int("validity", { min: 1, max: MAX_VALIDITY_S });
  const ref = a.int("ref", { min: 0, max: ref16 ? 0xffff : 0xff });
  const coding = a.choice("coding", CODINGS);
  const smsc = a.string("smsc");
  return {
    ...r,
    statusReport: a.flag("status-report"),
    smart: a.flag("smart"),
    ref16,
    ...(cls !== undefined ? { class: cls } : {}),
    ...(validity !== undefined ? { validity } : {}),
    ...(ref !== undefined ? { ref } : {}),
    ...(coding !== undefined ? { coding } : {}),
    ...(smsc !== undefined ? { smsc } : {}),
  };
}

/** Validates one JSONL request with the same rules (and option names) as the flags. */
export function fromJson(line: string): EncodeRequest {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new UsageError("not a JSON object", "jsonl");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new UsageError("not a JSON object", "jsonl");
  const o = v as Record<string, unknown>;
  const str = (k: string, opt = k) => {
    if (o[k] === undefined || o[k] === null) return undefined;
    if (typeof o[k] !== "string") throw new UsageError(`${k} must be a string`, opt);
    return o[k] as string;
  };
  const bool = (k: string, opt: string) => {
    if (o[k] === undefined || o[k] === null) return undefined;
    if (typeof o[k] !== "boolean") throw new UsageError(`${k} must be a boolean`, opt);
    return o[k] as boolean;
  };
  const int = (k: string, opt: string, range: { min: number; max: number }) => {
    if (o[k] === undefined || o[k] === null) return undefined;
    return parseIntOption(typeof o[k] === "number" ? String(o[k]) : "x", opt, range);
  };
  const to = str("to");
  if (!to) throw new UsageError("to is required", "to");
  const text = str("text");
  if (text === undefined) throw new UsageError("text is required", "text");
  const coding = str("coding");
  if (coding !== undefined && !(CODINGS as readonly string[]).includes(coding))
    throw new UsageError(`coding must be one of ${CODINGS.join("|")}`, "coding");
  const ref16 = bool("ref16", "ref16") ?? false;
  const r: EncodeRequest = { to, text, ref16 };
  const fields: Partial<EncodeRequest> = {
    statusReport: bool("statusReport", "status-report"),
    smart: bool("smart", "smart"),
    class: int("class", "class", { min: 0, max: 3 }),
    validity: int("validity", "validity", { min: 1, max: MAX_VALIDITY_S }),
    ref: int("ref", "ref", { min: 0, max: ref16 ? 0xffff : 0xff }),
    smsc: str("smsc"),
    coding: coding as EncodeRequest["coding"],
  };
  for (const [k, val] of Object.entries(fields)) if (val !== undefined) Object.assign(r, { [k]: val });
  return r;
}

async function encodeCommand(a: ParsedArgs, io: CliIo): Promise<number> {
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  if (a.flag("jsonl") && io.stdinIsTTY) throw new UsageError("--jsonl reads requests from stdin", "jsonl");
  if (!a.flag("jsonl")) {
    io.stdout.write(`${JSON.stringify(encodeOrUsage(fromArgs(a)))}\n`);
    return 0;
  }
  let line = 0;
  let failed = 0;
  let first = "";
  for await (const raw of readLines(io.stdin)) {
    line++;
    if (raw.trim() === "") continue;
    try {
      io.stdout.write(`${JSON.stringify(encodeOrUsage(fromJson(raw)))}\n`);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      io.stdout.write(`${JSON.stringify({ line, error: e.message, option: e.option ?? null })}\n`);
      if (failed++ === 0) first = `line ${line}: ${e.message} (option ${e.option ?? "?"})`;
    }
  }
  if (failed === 0) return 0;
  io.stderr.write(`${ENCODE.command}: ${failed} of the requests failed; first ${first}\n`);
  return 2;
}

// ---- count -------------------------------------------------------------------------------------

async function countCommand(a: ParsedArgs, io: CliIo): Promise<number> {
  if (a.positionals.length !== 1) throw new UsageError("expected exactly one <text> argument (quote it)");
  const coding = a.choice("coding", CODINGS);
  try {
    const preview = segmentPreview(a.positionals[0] ?? "", {
      smart: a.flag("smart"),
      ...(coding !== undefined ? { coding } : {}),
    });
    io.stdout.write(`${JSON.stringify(preview)}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof PduEncodeError)) throw e;
    throw new UsageError(oneLine(e.reason), optionForField(e.field));
  }
}
