/** The shared argument helper (src/cli/args.ts) that `smsgw pdu` and other subcommands build on. */
import { describe, expect, it } from "vitest";
import {
  type CliIo,
  type CommandSpec,
  helpText,
  parseCommand,
  parseIntOption,
  readLines,
  runCommand,
  UsageError,
} from "../../src/cli/args.js";

const SPEC: CommandSpec = {
  command: "smsgw demo",
  synopsis: ["[--count <n>] <name>"],
  summary: "A demo command.",
  json: true,
  options: {
    count: { type: "string", value: "<n>", description: "how many" },
    mode: { type: "string", value: "a|b", description: "which mode" },
    verbose: { type: "boolean", short: "v", description: "say more" },
  },
  notes: ["Exit codes: 0 ok, 2 usage."],
};

function io(): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: (async function* () {})(),
    out: () => out,
    err: () => err,
  };
}

describe("parseCommand", () => {
  it("gives typed values, flags and positionals, with --json and -h added", () => {
    const a = parseCommand(SPEC, ["-v", "--count", "3", "--json", "x"]);
    expect(a.flag("verbose")).toBe(true);
    expect(a.flag("json")).toBe(true);
    expect(a.int("count", { min: 0, max: 9 })).toBe(3);
    expect(a.positionals).toEqual(["x"]);
    expect(parseCommand(SPEC, ["-h"]).help).toBe(true);
  });

  it("turns an unknown option into a one-line UsageError naming it", () => {
    const e = (() => {
      try {
        parseCommand(SPEC, ["--nope"]);
      } catch (err) {
        return err;
      }
    })() as UsageError;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.option).toBe("nope");
    expect(e.message).not.toContain("\n");
    expect(e.message).not.toContain("To specify");
  });

  it("rejects a bad choice and a missing required value by option name", () => {
    const a = parseCommand(SPEC, ["--mode", "c"]);
    expect(() => a.choice("mode", ["a", "b"] as const)).toThrow(/--mode must be one of a\|b/);
    expect(() => a.required("count")).toThrow(/--count is required/);
  });
});

describe("parseIntOption", () => {
  it.each(["1e3", "0x10", "12abc", "", " ", "1.5"])("refuses %j instead of guessing", (v) => {
    expect(() => parseIntOption(v, "n", { min: 0, max: 10_000 })).toThrow(UsageError);
  });

  it("accepts plain decimals inside the range and names the range otherwise", () => {
    expect(parseIntOption("-3", "n", { min: -5, max: 5 })).toBe(-3);
    expect(() => parseIntOption("6", "n", { min: -5, max: 5 })).toThrow(/between -5 and 5, got 6/);
  });
});

describe("runCommand", () => {
  it("prints the help with exit 0", async () => {
    const t = io();
    expect(await runCommand(SPEC, ["--help"], t, () => 9)).toBe(0);
    expect(t.out()).toBe(helpText(SPEC));
    expect(t.out()).toMatch(/^usage: smsgw demo \[--count <n>\] <name>\n/);
    expect(t.out()).toContain("-v, --verbose");
    expect(t.out()).toContain("Exit codes: 0 ok, 2 usage.");
  });

  it("maps a UsageError to exit 2 and one stderr line that names the option", async () => {
    const t = io();
    const code = await runCommand(SPEC, [], t, () => {
      throw new UsageError("not a valid thing\nsecond line", "count");
    });
    expect(code).toBe(2);
    expect(t.err()).toBe("smsgw demo: --count: not a valid thing second line\n");
  });

  it("maps any other error to exit 1, still on one line", async () => {
    const t = io();
    expect(await runCommand(SPEC, [], t, () => Promise.reject(new Error("disk\nfull")))).toBe(1);
    expect(t.err()).toBe("smsgw demo: disk full\n");
  });
});

describe("readLines", () => {
  it("splits on LF and CRLF across chunk boundaries, including a UTF-8 character cut in two", async () => {
    const bytes = new TextEncoder().encode("un\r\nd€ux\ntrois");
    const chunks = [bytes.slice(0, 3), bytes.slice(3, 6), bytes.slice(6)]; // "€" spans chunks 2 and 3
    async function* input() {
      yield* chunks;
    }
    const lines: string[] = [];
    for await (const l of readLines(input())) lines.push(l);
    expect(lines).toEqual(["un", "d€ux", "trois"]);
  });
});
