/**
 * Rules that span several keys. They run even when some fields failed validation (so that one
 * `config check` lists everything), hence every access here is defensive.
 */
import type { z } from "zod";
import { profiles } from "../../drivers/index.js";

type Ctx = z.core.$RefinementCtx<unknown>;
type Rec = Record<string, unknown>;

/** Marks issues whose zod `input` is the whole file, so the message must not echo it. */
export const CROSS = { cross: true } as const;

export function isSimPort(port: unknown): boolean {
  return typeof port === "string" && port.startsWith("sim://");
}

function rec(v: unknown): Rec {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : {};
}

function list(v: unknown): Rec[] {
  return Array.isArray(v) ? v.map(rec) : [];
}

export function crossChecks(value: unknown, ctx: Ctx): void {
  const c = rec(value);
  const modems = list(c.modems);
  const ids = new Map<string, number>();
  const ports = new Map<string, number>();
  modems.forEach((m, i) => {
    if (typeof m.id === "string") {
      const prev = ids.get(m.id.toLowerCase());
      if (prev !== undefined)
        ctx.addIssue({
          code: "custom",
          params: CROSS,
          path: ["modems", i, "id"],
          message: `duplicate id, already used by modems[${prev}]`,
        });
      else ids.set(m.id.toLowerCase(), i);
    }
    if (typeof m.profile === "string" && m.profile !== "auto" && !profiles.some((p) => p.id === m.profile))
      ctx.addIssue({
        code: "custom",
        params: CROSS,
        path: ["modems", i, "profile"],
        message: `expected "auto" or one of ${profiles.map((p) => p.id).join(", ")}, got "${m.profile}"`,
      });
    // Two sim:// modems may share a persona and seed; two real modems cannot share a port.
    if (typeof m.port === "string" && !isSimPort(m.port)) {
      const prev = ports.get(m.port);
      if (prev !== undefined)
        ctx.addIssue({
          code: "custom",
          params: CROSS,
          path: ["modems", i, "port"],
          message: `port already used by modems[${prev}]`,
        });
      else ports.set(m.port, i);
    }
  });

  for (const id of Object.keys(rec(rec(c.sim).numbers))) {
    const m = modems.find((x) => x.id === id);
    if (!m)
      ctx.addIssue({
        code: "custom",
        params: CROSS,
        path: ["sim", "numbers", id],
        message: `no [[modems]] entry has id "${id}"`,
      });
    else if (typeof m.port === "string" && !isSimPort(m.port))
      ctx.addIssue({
        code: "custom",
        params: CROSS,
        path: ["sim", "numbers", id],
        message: `modem "${id}" is not a sim:// modem; a real SIM has its own number`,
      });
  }

  const names = new Set<string>();
  list(rec(c.api).keys).forEach((k, i) => {
    if (typeof k.name !== "string") return;
    if (names.has(k.name))
      ctx.addIssue({
        code: "custom",
        params: CROSS,
        path: ["api", "keys", i, "name"],
        message: "duplicate key name",
      });
    names.add(k.name);
  });

  const w = rec(rec(c.compliance).marketing_window);
  if (typeof w.start === "string" && typeof w.end === "string" && w.start >= w.end)
    ctx.addIssue({
      code: "custom",
      params: CROSS,
      path: ["compliance", "marketing_window"],
      message: `expected start before end, got ${w.start}–${w.end}`,
    });

  const q = rec(c.queue);
  if (typeof q.backoff_initial_seconds === "number" && typeof q.backoff_max_seconds === "number")
    if (q.backoff_initial_seconds > q.backoff_max_seconds)
      ctx.addIssue({
        code: "custom",
        params: CROSS,
        path: ["queue", "backoff_initial_seconds"],
        message: "expected at most backoff_max_seconds",
      });
}
