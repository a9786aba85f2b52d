/**
 * Secrets (SIM PIN, API keys, webhook secrets) are never written in the config file: the file holds a
 * reference, and the value is read when needed. Three kinds:
 *   { file = "/etc/smsgw/sim-pin" }   a file readable by the service user
 *   { credential = "sim-pin" }        $CREDENTIALS_DIRECTORY/sim-pin (systemd LoadCredential=)
 *   { env = "SMSGW_PIN" }             an environment variable (development)
 * A reference is safe to print; a value never is.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { z } from "zod";

export type SecretRef =
  | { readonly file: string }
  | { readonly credential: string }
  | { readonly env: string };

const CREDENTIAL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const SECRET_EXPECTED =
  'expected a secret reference: { file = "/absolute/path" }, { credential = "name" } (systemd LoadCredential) or { env = "VARIABLE" }';

function describeSecret(value: unknown): string | null {
  if (typeof value === "string")
    return `${SECRET_EXPECTED}; inline secrets are refused so that they never sit in a config file or a log, got a string`;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return `${SECRET_EXPECTED}, got ${Array.isArray(value) ? "an array" : typeof value}`;
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  if (keys.length !== 1) return `${SECRET_EXPECTED}, got a table with keys [${keys.join(", ")}]`;
  if ("file" in v) {
    if (typeof v.file !== "string" || !isAbsolute(v.file))
      return `file: expected an absolute path, got ${JSON.stringify(v.file)}`;
    return null;
  }
  if ("credential" in v) {
    if (typeof v.credential !== "string" || !CREDENTIAL_NAME.test(v.credential))
      return `credential: expected a systemd credential name (letters, digits, "_.-"), got ${JSON.stringify(v.credential)}`;
    return null;
  }
  if ("env" in v) {
    if (typeof v.env !== "string" || !ENV_NAME.test(v.env))
      return `env: expected an environment variable name, got ${JSON.stringify(v.env)}`;
    return null;
  }
  return `${SECRET_EXPECTED}, got a table with key "${keys[0]}"`;
}

/** zod schema of a secret reference; its messages never echo a value that might be a secret. */
export const secretRefSchema = z.custom<SecretRef>().superRefine((value, ctx) => {
  const problem = describeSecret(value);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem, params: { secret: true } });
});

export class SecretError extends Error {
  override readonly name = "SecretError";
  readonly code = "config_invalid" as const;
}

export function describeSecretRef(ref: SecretRef): string {
  if ("file" in ref) return `file ${ref.file}`;
  if ("credential" in ref) return `credential "${ref.credential}"`;
  return `environment variable ${ref.env}`;
}

/**
 * Reads the value behind a reference. One trailing newline is dropped (`echo 1234 > pin` writes one).
 * Throws SecretError naming the reference and the fix, never the value.
 */
export function readSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env): string {
  let value: string | undefined;
  if ("env" in ref) {
    value = env[ref.env];
    if (value === undefined) throw new SecretError(`environment variable ${ref.env} is not set`);
  } else {
    let path: string;
    if ("credential" in ref) {
      const dir = env.CREDENTIALS_DIRECTORY;
      if (!dir)
        throw new SecretError(
          `credential "${ref.credential}": $CREDENTIALS_DIRECTORY is not set; run under systemd with ` +
            `LoadCredential=${ref.credential}:/etc/smsgw/${ref.credential}, or use { file = … } / { env = … }`,
        );
      path = join(dir, ref.credential);
    } else {
      path = ref.file;
    }
    try {
      value = readFileSync(path, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "error";
      throw new SecretError(`${describeSecretRef(ref)}: cannot read ${path} (${code})`);
    }
  }
  value = value.replace(/\r?\n$/, "");
  if (value === "") throw new SecretError(`${describeSecretRef(ref)} is empty`);
  return value;
}
