/**
 * Contacts keyed by E.164, with the time zone that sending windows use. The zone is derived from the
 * number's region (libphonenumber-js "max" metadata tells +262 639… Mayotte from +262 692… Réunion)
 * and can be overridden per contact: a mainland number used overseas cannot be detected
 * (ecosystem §4.6).
 */
import { type CountryCode, parsePhoneNumberWithError } from "libphonenumber-js/max";
import type { Db } from "../store/db.js";
import { stmt } from "../store/tx.js";
import { restoreSuppression } from "./pepper-hash.js";

/** A transaction (store Tx) or any open connection with the time to stamp rows with. */
export interface Ctx {
  readonly db: Db;
  readonly at: number;
}

/** Region → IANA zone, for the French territories and the neighbours a French business texts. */
export const REGION_ZONES: Readonly<Record<string, string>> = {
  FR: "Europe/Paris",
  GP: "America/Guadeloupe",
  MF: "America/Marigot",
  BL: "America/St_Barthelemy",
  MQ: "America/Martinique",
  GF: "America/Cayenne",
  RE: "Indian/Reunion",
  YT: "Indian/Mayotte",
  PM: "America/Miquelon",
  NC: "Pacific/Noumea",
  PF: "Pacific/Tahiti",
  WF: "Pacific/Wallis",
  BE: "Europe/Brussels",
  CH: "Europe/Zurich",
  LU: "Europe/Luxembourg",
  MC: "Europe/Monaco",
  DE: "Europe/Berlin",
  ES: "Europe/Madrid",
  IT: "Europe/Rome",
  AD: "Europe/Andorra",
};

export const DEFAULT_ZONE = "Europe/Paris";

export interface Locale {
  readonly region: string | null;
  readonly zone: string;
}

/** Region and zone of a number; unknown regions get `fallbackZone` (the business's own). */
export function localeOf(e164: string, fallbackZone = DEFAULT_ZONE): Locale {
  let region: string | null = null;
  try {
    region = parsePhoneNumberWithError(e164, "FR" as CountryCode).country ?? null;
  } catch {
    region = null;
  }
  return { region, zone: (region && REGION_ZONES[region]) ?? fallbackZone };
}

export interface Contact {
  readonly e164: string;
  readonly name: string | null;
  readonly region: string | null;
  readonly timeZone: string;
  readonly zoneOverridden: boolean;
  readonly fields: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
  readonly firstContactAt: number | null;
  readonly lastContactAt: number | null;
  readonly lastInboundAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface Row {
  e164: string;
  name: string | null;
  region: string | null;
  time_zone: string;
  zone_overridden: number;
  fields: string;
  tags: string;
  first_contact_at: number | null;
  last_contact_at: number | null;
  last_inbound_at: number | null;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): Contact => ({
  e164: r.e164,
  name: r.name,
  region: r.region,
  timeZone: r.time_zone,
  zoneOverridden: r.zone_overridden === 1,
  fields: JSON.parse(r.fields) as Record<string, string>,
  tags: JSON.parse(r.tags) as string[],
  firstContactAt: r.first_contact_at,
  lastContactAt: r.last_contact_at,
  lastInboundAt: r.last_inbound_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function getContact(c: Ctx, e164: string): Contact | undefined {
  const r = stmt(c.db, "SELECT * FROM contacts WHERE e164 = ?").get(e164) as Row | undefined;
  return r && fromRow(r);
}

/**
 * Creates the contact if needed (zone derived from the number) and returns it. A number erased
 * after an opt-out gets its suppression back here (pepper-hash.ts): the objection outlives the
 * erasure (GDPR art. 21(3)), whichever way the number comes back (inbound, API, import).
 */
export function ensureContact(c: Ctx, e164: string, fallbackZone = DEFAULT_ZONE): Contact {
  const l = localeOf(e164, fallbackZone);
  const created = stmt(
    c.db,
    `INSERT OR IGNORE INTO contacts (e164, region, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
  ).run(e164, l.region, l.zone, c.at, c.at);
  if (created.changes > 0) restoreSuppression(c, e164);
  return getContact(c, e164)!;
}

/** Records an exchange: first/last contact, and last inbound (which reopens conversational replies). */
export function touchContact(c: Ctx, e164: string, direction: "inbound" | "outbound"): Contact {
  ensureContact(c, e164);
  stmt(
    c.db,
    `UPDATE contacts SET first_contact_at = COALESCE(first_contact_at, @at), last_contact_at = @at,
       last_inbound_at = CASE WHEN @inbound = 1 THEN @at ELSE last_inbound_at END, updated_at = @at
     WHERE e164 = @e164`,
  ).run({ at: c.at, inbound: direction === "inbound" ? 1 : 0, e164 });
  return getContact(c, e164)!;
}

export interface ContactPatch {
  readonly name?: string | null;
  /** An IANA zone to use instead of the derived one; null goes back to the derived zone. */
  readonly timeZone?: string | null;
  /** Merged into the current fields (RFC 7396 style): a key set to null is removed. */
  readonly fields?: Readonly<Record<string, string | null>>;
  /** Replaces the tags (duplicates dropped). */
  readonly tags?: readonly string[];
}

export class ContactError extends Error {
  override readonly name = "ContactError";
  readonly code = "invalid_contact" as const;
  constructor(
    message: string,
    /** The patch member at fault. */
    readonly field: "timeZone" | "fields" = "timeZone",
  ) {
    super(message);
  }
}

/** Fields per contact after a merge: context for a conversation, not a CRM record. */
export const MAX_FIELDS = 100;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Applies the patch, creating the contact if needed; a bad zone throws before anything is written. */
export function updateContact(c: Ctx, e164: string, p: ContactPatch): Contact {
  if (p.timeZone && !isTimeZone(p.timeZone)) throw new ContactError(`unknown time zone '${p.timeZone}'`);
  const cur = ensureContact(c, e164);
  const fields: Record<string, string> = { ...cur.fields };
  for (const [k, v] of Object.entries(p.fields ?? {})) {
    if (v === null) delete fields[k];
    else fields[k] = v;
  }
  if (Object.keys(fields).length > MAX_FIELDS)
    throw new ContactError(`a contact holds at most ${MAX_FIELDS} fields`, "fields");
  const zone = p.timeZone === undefined ? null : p.timeZone;
  const derived = localeOf(e164).zone;
  stmt(
    c.db,
    `UPDATE contacts SET name = ?, time_zone = ?, zone_overridden = ?, fields = ?, tags = ?, updated_at = ?
     WHERE e164 = ?`,
  ).run(
    p.name === undefined ? cur.name : p.name,
    p.timeZone === undefined ? cur.timeZone : (zone ?? derived),
    p.timeZone === undefined ? (cur.zoneOverridden ? 1 : 0) : zone ? 1 : 0,
    JSON.stringify(fields),
    JSON.stringify([...new Set(p.tags ?? cur.tags)]),
    c.at,
    e164,
  );
  return getContact(c, e164)!;
}

export interface ContactFilter {
  readonly tag?: string;
  /** IANA zone the contact's messages are timed in. */
  readonly zone?: string;
  readonly optedOut?: boolean;
  /** Case-insensitive substring of the name, the number or a field value. */
  readonly q?: string;
}

const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** Contacts in number order, `limit` at a time after the number `after` (cursor pagination). */
export function listContacts(
  c: Ctx,
  f: ContactFilter,
  page: { readonly limit: number; readonly after?: string },
): { items: Contact[]; next?: string } {
  const rows = stmt(
    c.db,
    `SELECT * FROM contacts k WHERE (@after IS NULL OR k.e164 > @after)
       AND (@tag IS NULL OR EXISTS (SELECT 1 FROM json_each(k.tags) t WHERE t.value = @tag))
       AND (@zone IS NULL OR k.time_zone = @zone)
       AND (@opted IS NULL OR @opted = EXISTS (SELECT 1 FROM suppressions s WHERE s.contact = k.e164))
       AND (@q IS NULL OR k.e164 LIKE @q ESCAPE '\\' OR k.name LIKE @q ESCAPE '\\'
         OR EXISTS (SELECT 1 FROM json_each(k.fields) v WHERE v.value LIKE @q ESCAPE '\\'))
     ORDER BY k.e164 LIMIT @limit`,
  ).all({
    after: page.after ?? null,
    tag: f.tag ?? null,
    zone: f.zone ?? null,
    opted: f.optedOut === undefined ? null : f.optedOut ? 1 : 0,
    q: f.q === undefined ? null : likeEscape(f.q),
    limit: page.limit + 1,
  }) as Row[];
  const items = rows.slice(0, page.limit).map(fromRow);
  const last = items.at(-1);
  return rows.length > page.limit && last ? { items, next: last.e164 } : { items };
}
