/**
 * ConfigError carries every problem found, not just the first, each naming the key path and what was
 * expected: `modems[1].port: expected a path like /dev/serial/by-id/… or tcp://host:port or
 * sim://persona, got 42`. Values under secret-bearing keys are never echoed.
 */
import type { z } from "zod";
import type { EnvOverride } from "./env.js";

export interface ConfigProblem {
  /** "modems[1].port"; "" for the whole file. */
  readonly path: string;
  readonly message: string;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "config_invalid" as const;
  /** Process exit code for a configuration error (sysexits.h EX_CONFIG). */
  static readonly EXIT_CODE = 78;
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`${source}: ${problems.length} configuration error(s)\n${problems.map(formatProblem).join("\n")}`);
  }
}

export function formatProblem(p: ConfigProblem): string {
  return p.path === "" ? `  ${p.message}` : `  ${p.path}: ${p.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Keys whose values may be secrets: never shown in an error message. */
const SECRET_KEYS = new Set(["sim_pin", "key", "secret", "pin", "password", "token", "pepper"]);

function describeInput(input: unknown): string {
  if (input === undefined) return "nothing";
  if (typeof input === "string")
    return JSON.stringify(input.length > 80 ? `${input.slice(0, 77)}...` : input);
  if (typeof input === "number" || typeof input === "boolean") return String(input);
  if (Array.isArray(input)) return input.length === 0 ? "an empty list" : `a list of ${input.length}`;
  if (input === null) return "null";
  if (typeof input === "object" && "isTime" in input) return `a TOML date/time (${String(input)})`;
  return "a table";
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `"${k}"`).join(", ");
    return `unknown key${issue.keys.length > 1 ? "s" : ""} ${keys} (keys are checked strictly so that a typo is not silently ignored)`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined)
    return `required: ${issue.message.replace(/^Invalid (input|option): /, "").replace(/, received \w+$/, "")}`;
  const secret = issue.path.some((p) => typeof p === "string" && SECRET_KEYS.has(p));
  // zod's own wording ("Invalid input: expected string, received number") → "expected string", and
  // the value itself follows as ", got …".
  const message = issue.message.replace(/^Invalid (input|option): /, "").replace(/, received \w+$/, "");
  const cross = issue.code === "custom" && issue.params?.cross === true;
  if (/\bgot\b/.test(message) || secret || cross || !("input" in issue)) return message;
  return `${message}, got ${describeInput(issue.input)}`;
}

/** Turns zod issues into problems, tagging those whose value came from an environment variable. */
export function problemsFromZod(
  issues: readonly z.core.$ZodIssue[],
  applied: readonly EnvOverride[],
): ConfigProblem[] {
  return issues.map((issue) => {
    const path =
      issue.code === "unrecognized_keys" && issue.keys.length === 1
        ? [...issue.path, issue.keys[0] as string]
        : issue.path;
    let message =
      issue.code === "unrecognized_keys" && issue.keys.length === 1
        ? "unknown key (keys are checked strictly so that a typo is not silently ignored)"
        : messageOf(issue);
    const from = applied.find((o) => o.path.length <= path.length && o.path.every((p, i) => p === path[i]));
    if (from) message += ` (set by ${from.variable})`;
    return { path: formatPath(path), message };
  });
}
