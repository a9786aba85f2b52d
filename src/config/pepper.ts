/**
 * The pepper of the hashes kept after an erasure (HMAC-SHA256(pepper, e164), ecosystem §4.8: the
 * suppression must keep working once the number itself is gone, GDPR art. 17(3)(b) and 21(3)).
 * Without [privacy] pepper, 32 random bytes are generated once into "<data_dir>/pepper" (mode 0600,
 * created exclusively so two starts cannot race), as text (base64url) so that the same file can
 * later be referenced with { file = … } or moved into a systemd credential and give the same bytes.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SecretError } from "./secret.js";

export const GENERATED_PEPPER_FILE = "pepper";
/** 32 characters of base64url carry 192 bits; less is refused as too guessable for a keyed hash. */
export const MIN_PEPPER_LENGTH = 32;

export interface GeneratedPepper {
  readonly value: string;
  readonly path: string;
  readonly created: boolean;
}

export function ensureGeneratedPepper(dataDir: string): GeneratedPepper {
  const path = join(dataDir, GENERATED_PEPPER_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o750 });
  const value = randomBytes(32).toString("base64url");
  try {
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: "wx" });
    return { value, path, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  let existing: string;
  try {
    existing = readFileSync(path, "utf8").replace(/\r?\n$/, "");
  } catch (e) {
    throw new SecretError(`${path}: cannot read the generated pepper (${(e as NodeJS.ErrnoException).code})`);
  }
  checkPepper(existing, path);
  return { value: existing, path, created: false };
}

/** Throws SecretError (never echoing the value) when a pepper is too short to key a hash. */
export function checkPepper(value: string, where: string): void {
  if (value.length < MIN_PEPPER_LENGTH)
    throw new SecretError(
      `${where}: expected a pepper of at least ${MIN_PEPPER_LENGTH} characters, got ${value.length}` +
        ` (generate one with: head -c 32 /dev/urandom | base64)`,
    );
}
