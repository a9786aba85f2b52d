/**
 * Environment overrides, applied after the file and before validation (file → env → CLI flags).
 *
 * Mapping rule: strip "SMSGW_", split on "__" (double underscore = one level of nesting), lower-case
 * each part; a single "_" stays part of the key name; a part made of digits indexes an array.
 *   SMSGW_HTTP__LISTEN=127.0.0.1:9090        → http.listen = "127.0.0.1:9090"
 *   SMSGW_DATABASE__PATH=/srv/smsgw.db       → database.path
 *   SMSGW_DATA_DIR=/srv/smsgw                → data_dir
 *   SMSGW_HTTP__PUBLIC_HEALTH=false          → http.public_health = false
 *   SMSGW_MODEMS__0__PORT=/dev/ttyUSB2       → modems[0].port
 *   SMSGW_MODEMS__0__SIM_PIN='{ env = "PIN" }' → a secret reference (never a value)
 * The value is read as a TOML value when it is one (false, 42, ["send"], { env = "X" }), else as a
 * string. A variable without "__" whose name is not a top-level key (SMSGW_PIN, SMSGW_CONFIG) is left
 * alone: such names are free for secrets referenced with { env = … } and for the config file path.
 */
import { parse } from "smol-toml";

export const ENV_PREFIX = "SMSGW_";
/** Variables that are not overrides. */
export const RESERVED_ENV = new Set(["SMSGW_CONFIG"]);

export interface EnvOverride {
  readonly variable: string;
  readonly path: readonly (string | number)[];
}

export interface EnvProblem {
  readonly variable: string;
  readonly message: string;
}

function readValue(raw: string): unknown {
  try {
    const t = parse(`v = ${raw}`) as { v: unknown };
    return t.v;
  } catch {
    return raw;
  }
}

type Tree = Record<string, unknown> | unknown[];

function setPath(
  root: Record<string, unknown>,
  path: readonly (string | number)[],
  value: unknown,
): string | null {
  let node: Tree = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as string | number;
    const last = i === path.length - 1;
    const nextIsIndex = typeof path[i + 1] === "number";
    if (typeof key === "number" && !Array.isArray(node))
      return "an index was used where the config has a table";
    if (typeof key === "string" && Array.isArray(node)) return "a key was used where the config has an array";
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return null;
    }
    let child = container[key];
    if (child === undefined || child === null || typeof child !== "object") {
      child = nextIsIndex ? [] : {};
      container[key] = child;
    }
    node = child as Tree;
  }
  return null;
}

/**
 * Applies SMSGW_* variables to `raw` (mutated) and returns what was applied, so that validation
 * errors can say which variable set the bad value.
 */
export function applyEnvOverrides(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  topLevelKeys: readonly string[],
): { applied: EnvOverride[]; problems: EnvProblem[] } {
  const applied: EnvOverride[] = [];
  const problems: EnvProblem[] = [];
  const names = Object.keys(env)
    .filter((n) => n.startsWith(ENV_PREFIX) && !RESERVED_ENV.has(n))
    .sort();
  for (const variable of names) {
    const rest = variable.slice(ENV_PREFIX.length);
    const parts = rest.split("__").map((p) => p.toLowerCase());
    const first = parts[0] ?? "";
    if (parts.length === 1 && !topLevelKeys.includes(first)) continue;
    if (!topLevelKeys.includes(first)) {
      problems.push({
        variable,
        message: `"${first}" is not a config section (known: ${topLevelKeys.join(", ")})`,
      });
      continue;
    }
    if (parts.some((p) => p === "")) {
      problems.push({ variable, message: "empty name part (use exactly two underscores between levels)" });
      continue;
    }
    const path = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const problem = setPath(raw, path, readValue(env[variable] ?? ""));
    if (problem) problems.push({ variable, message: problem });
    else applied.push({ variable, path });
  }
  return { applied, problems };
}
