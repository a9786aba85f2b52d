/**
 * Rules that span several keys. They run even when some fields failed validation (so that one
 * `config check` lists everything), hence every access here is defensive.
 */
import type { z } from "zod";
import { profiles } from "../../drivers/index.js";
import { normalise } from "../conversation/keywords.js";

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

  retentionChecks(rec(c.retention), ctx);
  keywordChecks(rec(rec(c.compliance).keywords), ctx);
}

function retentionChecks(r: Rec, ctx: Ctx): void {
  if (typeof r.bodies_days === "number" && typeof r.metadata_days === "number")
    if (r.metadata_days < r.bodies_days)
      ctx.addIssue({
        code: "custom",
        params: CROSS,
        path: ["retention", "metadata_days"],
        message: `expected at least bodies_days (${r.bodies_days}): a deleted row has no body left to keep`,
      });
  // Erasing a contact deletes its messages too: a shorter inactivity period would cut the
  // message metadata period short without saying so. 0 turns the contact job off.
  const inactive = r.contacts_inactive_days;
  if (typeof inactive === "number" && typeof r.metadata_days === "number")
    if (inactive > 0 && inactive < r.metadata_days)
      ctx.addIssue({
        code: "custom",
        params: CROSS,
        path: ["retention", "contacts_inactive_days"],
        message: `expected 0 (off) or at least metadata_days (${r.metadata_days}): erasing a contact deletes its messages`,
      });
}

const words = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((p) => typeof p === "string").map((p) => normalise(p).join(" ")) : [];

/**
 * The active lists (every language of `languages`, merged as the hook merges them) must let people
 * object with STOP, the keyword af2m 2026 and the CNIL's SMS guidance name and that every default
 * reply tells them to send; START must work when the opt-out reply offers it; and one phrase cannot
 * be two kinds of keyword at once (which would win would depend on list order).
 */
function keywordChecks(k: Rec, ctx: Ctx): void {
  const langs = Array.isArray(k.languages) ? k.languages.filter((l) => typeof l === "string") : [];
  if (langs.length === 0) return;
  const kinds = ["optout", "optin", "help", "filler"] as const;
  const active = Object.fromEntries(
    kinds.map((kind) => [kind, new Set(langs.flatMap((l) => words(rec(k[l])[kind])))]),
  ) as Record<(typeof kinds)[number], Set<string>>;
  const first = langs[0] as string;
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", params: CROSS, path: ["compliance", "keywords", ...path], message });
  // Defaults fill every list, so an empty set here means the owner wrote the lists.
  if (!active.optout.has("stop"))
    issue([first, "optout"], `expected the active opt-out lists (${langs.join(", ")}) to include STOP`);
  const replyLang = typeof k.reply_language === "string" ? k.reply_language : undefined;
  const optoutReply = replyLang ? rec(rec(k[replyLang]).replies).optout : undefined;
  if (typeof optoutReply === "string" && /\bSTART\b/.test(optoutReply) && !active.optin.has("start"))
    issue(
      [replyLang as string, "replies", "optout"],
      "the reply offers START but no active opt-in list has it",
    );
  const label = {
    optout: "an opt-out keyword",
    optin: "an opt-in keyword",
    help: "a help keyword",
    filler: "filler",
  };
  for (const [i, a] of kinds.entries())
    for (const b of kinds.slice(i + 1))
      for (const w of active[a]) {
        if (!active[b].has(w)) continue;
        // Point at the list that holds the second kind, in the language where it is written.
        const lang = langs.find((l) => words(rec(k[l])[b]).includes(w)) ?? first;
        issue([lang, b], `"${w.toUpperCase()}" is both ${label[a]} and ${label[b]}`);
      }
}
