/**
 * file → environment overrides → validation → resolved paths → frozen Config. The result is passed
 * down from the composition root; nothing re-reads it through a global.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, TomlError } from "smol-toml";
import { applyEnvOverrides } from "./env.js";
import { ConfigError, type ConfigProblem, problemsFromZod } from "./errors.js";
import { migrate } from "./migrate.js";
import { configSchema, type ParsedConfig } from "./schema.js";

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated configuration: every default filled in, paths absolute, frozen. */
export type Config = DeepReadonly<Omit<ParsedConfig, "database"> & { database: { path: string } }>;
export type ModemConfig = Config["modems"][number];

export interface LoadOptions {
  /** Environment for SMSGW_* overrides and SMSGW_CONFIG; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Base for relative paths (data_dir, database.path); default process.cwd(). */
  readonly cwd?: string;
}

export const SYSTEM_CONFIG_PATH = "/etc/smsgw/smsgw.toml";

/** Directory holding package.json, found from this file in both src/ (tsx) and dist/src/ (build). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "config"))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** --config FILE, else $SMSGW_CONFIG, else /etc/smsgw/smsgw.toml when present, else config/default.toml. */
export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env.SMSGW_CONFIG) return env.SMSGW_CONFIG;
  if (existsSync(SYSTEM_CONFIG_PATH)) return SYSTEM_CONFIG_PATH;
  return join(packageRoot(), "config", "default.toml");
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Parses and validates TOML text; throws ConfigError listing every problem. */
export function parseConfig(text: string, source: string, options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  let raw: Record<string, unknown>;
  try {
    raw = parse(text) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? `line ${e.line}, column ${e.column}: ` : "";
    const first = (e as Error).message.split("\n")[0] ?? "";
    throw new ConfigError(source, [{ path: "", message: `TOML syntax error at ${where}${first}` }]);
  }
  const migrated = migrate(raw);
  if (!migrated.ok) throw new ConfigError(source, [{ path: "version", message: migrated.message }]);
  raw = migrated.value;

  const topLevel = Object.keys(configSchema.shape);
  const { applied, problems: envProblems } = applyEnvOverrides(raw, env, topLevel);
  const problems: ConfigProblem[] = envProblems.map((p) => ({ path: p.variable, message: p.message }));

  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) problems.push(...problemsFromZod(result.error.issues, applied));
  if (problems.length > 0 || !result.success) throw new ConfigError(source, problems);

  const parsed = result.data;
  const dataDir = resolve(cwd, parsed.data_dir);
  const config = {
    ...parsed,
    data_dir: dataDir,
    database: { path: resolve(cwd, parsed.database.path ?? join(dataDir, "smsgw.db")) },
  };
  return deepFreeze(config) as Config;
}

/** Reads `path` and returns the frozen Config; throws ConfigError (exit 78) on any problem. */
export function loadConfig(path: string, options: LoadOptions = {}): Config {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new ConfigError(path, [{ path: "", message: `cannot read the config file (${code})` }]);
  }
  return parseConfig(text, path, options);
}
