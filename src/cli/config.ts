/**
 * `smsgw config check [--config FILE]`: validates the configuration (file, then SMSGW_* overrides),
 * prints the effective configuration with secrets shown only as references, and lists secrets that
 * cannot be read here. Exit 0 when valid, 78 (EX_CONFIG) with every problem listed otherwise, 2 on
 * bad usage.
 */
import { parseArgs } from "node:util";
import { ConfigError } from "../config/errors.js";
import { loadConfig, resolveConfigPath } from "../config/load.js";
import { checkSecrets, effectiveToml } from "../config/print.js";

const USAGE = `usage: smsgw config check [--config FILE]

Validates FILE (default: $SMSGW_CONFIG, else /etc/smsgw/smsgw.toml, else config/default.toml) with the
SMSGW_* environment overrides applied, and prints the effective configuration with every default
filled in. Secrets appear only as references ({ credential = "…" }), never as values.
Exit status: 0 valid, 78 invalid (every error is listed), 2 usage.`;

export interface ConfigCliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

const defaultIo: ConfigCliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
};

export async function run(args: string[], io: ConfigCliIo = defaultIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    io.stderr(`smsgw config: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (positionals[0] !== "check" || positionals.length > 1) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  const path = resolveConfigPath(values.config, io.env);
  try {
    const config = loadConfig(path, { env: io.env });
    io.stdout(`# effective configuration from ${path}\n${effectiveToml(config)}`);
    const secrets = checkSecrets(config, io.env);
    const unreadable = secrets.filter((s) => s.problem !== null);
    for (const s of unreadable)
      io.stderr(`warning: ${s.path} (${s.ref}) cannot be read here: ${s.problem}\n`);
    if (unreadable.length > 0)
      io.stderr(
        "note: credentials and files may be readable only by the service (systemd LoadCredential=, user smsgw)\n",
      );
    io.stderr(`${path}: configuration is valid\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`${e.message}\n`);
      return ConfigError.EXIT_CODE;
    }
    throw e;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: "string", short: "c" }, help: { type: "boolean", short: "h" } },
  });
}
