/**
 * Request and response schemas of /v1/contacts (contacts, consent ledger, GDPR export and
 * erasure). Registered in `apiRegistry` like schemas.ts, so the OpenAPI components come from the
 * same zod objects that validate the requests.
 */
import { z } from "zod";
import { isTimeZone } from "../conversation/contacts.js";
import { apiRegistry } from "./schemas.js";

function reg<T extends z.ZodType>(schema: T, id: string, description?: string): T {
  apiRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

const isoDateTime = z.iso.datetime({ offset: true });
const Tag = z
  .string()
  .trim()
  .regex(/^[^\s,]{1,64}$/u, "1 to 64 characters, no spaces or commas");
const FieldName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, _ . - (at most 64)");
const Zone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, "must be an IANA time zone such as Europe/Paris")
  .meta({ examples: ["Indian/Reunion"] });

export const ContactPatchRequest = reg(
  z
    .object({
      name: z.string().trim().min(1).max(200).nullable().optional(),
      timeZone: Zone.nullable()
        .optional()
        .describe("Overrides the zone derived from the number (sending windows); null goes back to it"),
      fields: z
        .record(FieldName, z.string().max(500).nullable())
        .refine((f) => Object.keys(f).length <= 50, "at most 50 fields")
        .optional()
        .describe("Context (order, shop, ticket…), merged: a field set to null is removed"),
      tags: z.array(Tag).max(50).optional().describe("Replaces the tags"),
    })
    .strict(),
  "ContactPatchRequest",
);

export const ListContactsQuery = z
  .object({
    tag: Tag.optional(),
    zone: z.string().min(1).max(64).optional(),
    opted_out: z.enum(["true", "false"]).optional(),
    q: z.string().trim().min(1).max(100).optional().describe("Substring of the name, number or a field"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();

const OptedOut = z.object({ since: isoDateTime.nullable(), via: z.string() }).nullable();

export const Contact = reg(
  z.object({
    e164: z.string(),
    name: z.string().nullable(),
    region: z.string().nullable().describe("ISO 3166 region of the number"),
    timeZone: z.string(),
    zoneOverridden: z.boolean(),
    fields: z.record(z.string(), z.string()),
    tags: z.array(z.string()),
    firstContactAt: isoDateTime.nullable(),
    lastContactAt: isoDateTime.nullable(),
    lastInboundAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    optedOut: OptedOut,
  }),
  "Contact",
);

export const ContactList = reg(
  z.object({ items: z.array(Contact), next: z.string().nullable() }),
  "ContactList",
);

const Purpose = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, "lower-case letters, digits, _ and -, e.g. marketing")
  .refine((p) => p !== "all", "'all' is reserved");
const Source = z.enum(["web-form", "in-store", "sms-keyword", "api", "import"]);
const Basis = z.enum(["opt-in", "soft-opt-in"]);

export const ConsentRequest = reg(
  z
    .object({
      purpose: Purpose,
      status: z.enum(["granted", "withdrawn"]),
      basis: Basis.optional().describe("Required for a grant (CPCE L34-5: prior consent, or soft opt-in)"),
      source: Source,
      evidence: z
        .record(z.string(), z.unknown())
        .refine((e) => JSON.stringify(e).length <= 4096, "at most 4096 characters as JSON")
        .optional()
        .describe("Proof: form version, text shown, checkbox label, agent id…"),
      at: isoDateTime.optional().describe("When it was given or withdrawn (default: now); not in the future"),
    })
    .strict()
    .refine((r) => r.status !== "granted" || r.basis !== undefined, {
      message: "a grant needs a basis",
      path: ["basis"],
    }),
  "ConsentRequest",
);
export type ConsentRequest = z.infer<typeof ConsentRequest>;

export const ConsentRecord = reg(
  z.object({
    id: z.number().int(),
    contact: z.string(),
    purpose: z.string(),
    status: z.enum(["granted", "withdrawn"]),
    basis: Basis.nullable(),
    source: Source,
    evidence: z.record(z.string(), z.unknown()),
    at: isoDateTime,
    recordedAt: isoDateTime,
  }),
  "ConsentRecord",
);

export const ConsentState = reg(
  z.object({
    contact: z.string(),
    ledger: z.array(ConsentRecord).describe("Append-only history, oldest first"),
    current: z.array(ConsentRecord).describe("The consent in force per purpose"),
    optedOut: OptedOut,
  }),
  "ConsentState",
);

export const ConsentRecorded = reg(
  z.object({
    record: ConsentRecord,
    canceled: z.array(z.string()).describe("Queued marketing canceled by a marketing withdrawal"),
    state: ConsentState,
  }),
  "ConsentRecorded",
);

export const ContactExport = reg(
  z.object({ contact: z.string(), exportedAt: isoDateTime }).loose(),
  "ContactExport",
  "Everything held about the number (GDPR art. 15/20): profile, consents, opt-out, messages both ways with parts, events and delivery reports, threads, flags, webhook events",
);

export const Erasure = reg(
  z.object({
    id: z.string().describe("Erasure id, also in the contact.erased webhook event"),
    at: isoDateTime,
    hashPrefix: z.string().nullable().describe("First hex digits of the kept hash; null if nothing was kept"),
    kept: z
      .array(z.string())
      .describe('Objections kept under the hash: "all" (opted out) and withdrawn purposes'),
    counts: z.record(z.string(), z.number().int()).describe("Rows deleted per table"),
  }),
  "Erasure",
);
