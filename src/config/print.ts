/**
 * The effective configuration for `smsgw config check`: every default filled in, secrets shown only as
 * their references, passwords in webhook URLs masked. Also lists every secret reference with whether
 * it can be read here, never with its value.
 */
import { stringify } from "smol-toml";
import type { Config } from "./load.js";
import { describeSecretRef, readSecret, type SecretRef } from "./secret.js";

export const MASK = "********";

function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password === "" && u.username === "") return url;
    if (u.password !== "") u.password = MASK;
    return u.toString();
  } catch {
    return url;
  }
}

/** A plain, mutable, masked copy (smol-toml cannot write frozen objects' undefined members). */
export function maskedConfig(config: Config): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(config)) as Record<string, unknown> & {
    webhooks: { url: string }[];
  };
  for (const w of copy.webhooks) w.url = maskUrl(w.url);
  return copy;
}

export function effectiveToml(config: Config): string {
  return stringify(maskedConfig(config));
}

export interface SecretStatus {
  readonly path: string;
  readonly ref: string;
  /** null when readable; otherwise why not (never the value). */
  readonly problem: string | null;
}

export function secretRefs(config: Config): { path: string; ref: SecretRef }[] {
  const out: { path: string; ref: SecretRef }[] = [];
  config.modems.forEach((m, i) => {
    if (m.sim_pin) out.push({ path: `modems[${i}].sim_pin`, ref: m.sim_pin });
  });
  config.api.keys.forEach((k, i) => {
    out.push({ path: `api.keys[${i}].key`, ref: k.key });
  });
  config.webhooks.forEach((w, i) => {
    out.push({ path: `webhooks[${i}].secret`, ref: w.secret });
  });
  if (config.privacy.pepper) out.push({ path: "privacy.pepper", ref: config.privacy.pepper });
  return out;
}

export function checkSecrets(config: Config, env: NodeJS.ProcessEnv = process.env): SecretStatus[] {
  return secretRefs(config).map(({ path, ref }) => {
    try {
      readSecret(ref, env);
      return { path, ref: describeSecretRef(ref), problem: null };
    } catch (e) {
      return { path, ref: describeSecretRef(ref), problem: (e as Error).message };
    }
  });
}
