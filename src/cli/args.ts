/**
 * Small argument helper shared by the `smsgw` subcommands, on top of `node:util` parseArgs.
 * Every subcommand gets `-h/--help` for free, typed accessors that reject bad values by naming the
 * option, and one convention for failures: a {@link UsageError} becomes exactly one line on stderr
 * and exit code 2 (see main.ts for the exit-code table).
 */
import { parseArgs } from "node:util";

/** Where a command reads and writes; injected so tests can run commands in-process. */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly stdin: AsyncIterable<string | Uint8Array>;
  /** True when stdin is a terminal: a command that would read it then asks for an argument instead. */
  readonly stdinIsTTY?: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdinIsTTY: process.stdin.isTTY,
  };
}

/** Bad command line or bad input: exit code 2. `option` names the flag at fault, when one is. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    readonly option?: string,
  ) {
    super(message);
  }
}

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Placeholder shown in the help, e.g. "<number>". */
  readonly value?: string;
  readonly description: string;
}

export interface CommandSpec {
  /** Full command name for messages, e.g. "smsgw pdu decode". */
  readonly command: string;
  /** Usage lines without the command name, e.g. "[--no-smsc] <hex>". */
  readonly synopsis: readonly string[];
  readonly summary?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Accept `--json` (machine-readable output) as a common flag. */
  readonly json?: boolean;
  /** Free text after the options: input formats, exit codes. */
  readonly notes?: readonly string[];
}

export function helpText(spec: CommandSpec): string {
  const lines = spec.synopsis.map((s, i) => `${i === 0 ? "usage:" : "      "} ${spec.command} ${s}`);
  if (spec.summary) lines.push("", spec.summary);
  const all: [string, OptionSpec][] = Object.entries(spec.options);
  if (spec.json) all.push(["json", { type: "boolean", description: "machine-readable JSON output" }]);
  all.push(["help", { type: "boolean", short: "h", description: "show this help" }]);
  lines.push("", "options:");
  const heads = all.map(
    ([name, o]) => `${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` ${o.value}` : ""}`,
  );
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  all.forEach(([, o], i) => {
    lines.push(`  ${(heads[i] ?? "").padEnd(width)}${o.description}`);
  });
  if (spec.notes?.length) lines.push("", ...spec.notes);
  return `${lines.join("\n")}\n`;
}

/** The parsed command line with typed accessors; each accessor names the option when it rejects. */
export class ParsedArgs {
  constructor(
    readonly values: Readonly<Record<string, string | boolean | undefined>>,
    readonly positionals: readonly string[],
  ) {}

  get help(): boolean {
    return this.values["help"] === true;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  string(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === "string" ? v : undefined;
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === "") throw new UsageError(`--${name} is required`, name);
    return v;
  }

  int(name: string, range: { min: number; max: number }): number | undefined {
    const v = this.string(name);
    return v === undefined ? undefined : parseIntOption(v, name, range);
  }

  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!(choices as readonly string[]).includes(v))
      throw new UsageError(`--${name} must be one of ${choices.join("|")}, got '${v}'`, name);
    return v as T;
  }
}

/** Strict decimal integer in [min, max]; rejects "1e3", "0x10", "12abc", "" (never Number()'s guesses). */
export function parseIntOption(v: string, name: string, range: { min: number; max: number }): number {
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`--${name} must be an integer, got '${v}'`, name);
  const n = Number.parseInt(v, 10);
  if (n < range.min || n > range.max)
    throw new UsageError(`--${name} must be between ${range.min} and ${range.max}, got ${n}`, name);
  return n;
}

export function parseCommand(spec: CommandSpec, args: readonly string[]): ParsedArgs {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  if (spec.json) options["json"] = { type: "boolean" };
  for (const [name, o] of Object.entries(spec.options))
    options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  try {
    const r = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    return new ParsedArgs(r.values as Record<string, string | boolean | undefined>, r.positionals);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (typeof err.code === "string" && err.code.startsWith("ERR_PARSE_ARGS")) {
      const option = /'(?:-\w, )?--?([\w-]+)/.exec(err.message)?.[1];
      // Node appends a hint about "--" for positionals; the first sentence is the message.
      throw new UsageError(oneLine(err.message).replace(/\. To specify .*$/, ""), option);
    }
    throw e;
  }
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * Runs a command body with the shared conventions: `--help` prints the help and exits 0; a
 * UsageError prints one line `<command>: <message>` and exits 2; any other error is a runtime
 * failure (exit 1), also on one line.
 */
export async function runCommand(
  spec: CommandSpec,
  args: readonly string[],
  io: CliIo,
  body: (parsed: ParsedArgs) => Promise<number> | number,
): Promise<number> {
  try {
    const parsed = parseCommand(spec, args);
    if (parsed.help) {
      io.stdout.write(helpText(spec));
      return 0;
    }
    return await body(parsed);
  } catch (e) {
    const usage = e instanceof UsageError;
    let msg = oneLine(e instanceof Error ? e.message : String(e));
    if (usage && e.option && !msg.includes(`--${e.option}`)) msg = `--${e.option}: ${msg}`;
    io.stderr.write(`${spec.command}: ${msg}\n`);
    return usage ? 2 : 1;
  }
}

/** Lines of a text stream without their terminators (CR LF or LF). */
export async function* readLines(input: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of input) {
    buf += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let nl = buf.indexOf("\n");
    while (nl >= 0) {
      yield buf.slice(0, nl).replace(/\r$/, "");
      buf = buf.slice(nl + 1);
      nl = buf.indexOf("\n");
    }
  }
  buf += decoder.decode();
  if (buf.length > 0) yield buf.replace(/\r$/, "");
}
