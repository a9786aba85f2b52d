/**
 * Config file versions (zigbee2mqtt `CURRENT_VERSION` + migrations). A file without `version` is read
 * as version 1. Each migration takes the raw table of version N and returns version N+1; a file newer
 * than this build is refused rather than half-understood.
 */
import { CURRENT_CONFIG_VERSION } from "./defaults.js";

type Raw = Record<string, unknown>;

/** migrations[n] turns version n into version n+1. None yet: version 1 is the first. */
const migrations: Record<number, (raw: Raw) => Raw> = {};

export type MigrateResult = { ok: true; value: Raw; from: number } | { ok: false; message: string };

export function migrate(raw: Raw): MigrateResult {
  const version = raw.version ?? 1;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1)
    return { ok: false, message: `expected a positive integer, got ${JSON.stringify(version)}` };
  if (version > CURRENT_CONFIG_VERSION)
    return {
      ok: false,
      message: `the file is version ${version}, newer than this build reads (${CURRENT_CONFIG_VERSION}); upgrade smsgw`,
    };
  let value = raw;
  for (let v = version; v < CURRENT_CONFIG_VERSION; v++) {
    const step = migrations[v];
    if (!step) return { ok: false, message: `no migration from version ${v}` };
    value = { ...step(value), version: v + 1 };
  }
  return { ok: true, value, from: version };
}
