/**
 * The hardware-free default config has no [api] keys: at first start the daemon generates one, stores
 * it in "<data_dir>/api-key" (mode 0600, created exclusively so two starts cannot race) and prints it
 * once. Later starts read the same file. A configured [api] key list replaces this entirely.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const GENERATED_KEY_FILE = "api-key";

export interface GeneratedKey {
  readonly key: string;
  readonly path: string;
  /** true when this call created it (the daemon prints it then). */
  readonly created: boolean;
}

/** 32 random bytes, base64url, with a recognisable prefix for secret scanners. */
export function newApiKey(): string {
  return `smsgw_${randomBytes(32).toString("base64url")}`;
}

export function ensureGeneratedApiKey(dataDir: string): GeneratedKey {
  const path = join(dataDir, GENERATED_KEY_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o750 });
  const key = newApiKey();
  try {
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: "wx" });
    return { key, path, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const existing = readFileSync(path, "utf8").trim();
  if (existing === "") throw new Error(`${path} is empty; delete it to generate a new key`);
  return { key: existing, path, created: false };
}
