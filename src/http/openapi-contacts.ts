/**
 * OpenAPI description of /v1/contacts: `CONTACT_OPS`, in the `Op` shape of openapi.ts, which
 * builds them into the document with the other routes.
 *
 * Importing this module registers the component schemas of schemas-contacts.ts in `apiRegistry`.
 */
import type { Op } from "./openapi.js";
import { ListContactsQuery } from "./schemas-contacts.js";

const P = "/v1/contacts/{e164}";

export const CONTACT_OPS: readonly Op[] = [
  {
    method: "get",
    path: "/v1/contacts",
    summary: "List contacts (filter by tag, zone, opt-out, text; cursor pagination)",
    tag: "contacts",
    scope: "read",
    query: ListContactsQuery,
    ok: { status: 200, schema: "ContactList" },
    problems: [400, 422],
  },
  {
    method: "get",
    path: P,
    summary: "One contact (number E.164 with + as %2B, or national)",
    tag: "contacts",
    scope: "read",
    ok: { status: 200, schema: "Contact" },
    problems: [404, 422],
  },
  {
    method: "patch",
    path: P,
    summary: "Create or update a contact: name, time-zone override, fields (merged), tags",
    tag: "contacts",
    scope: "send",
    body: "ContactPatchRequest",
    ok: { status: 200, schema: "Contact", description: "Updated (201 when created)" },
    problems: [422],
  },
  {
    method: "delete",
    path: P,
    summary: "Erase everything about the number (GDPR art. 17); an opt-out survives as a peppered hash",
    tag: "contacts",
    scope: "admin",
    ok: { status: 200, schema: "Erasure" },
    problems: [404, 409, 422],
  },
  {
    method: "post",
    path: `${P}/consents`,
    summary: "Append to the consent ledger; a marketing withdrawal cancels queued marketing",
    tag: "contacts",
    scope: "send",
    body: "ConsentRequest",
    ok: { status: 201, schema: "ConsentRecorded" },
    problems: [422],
  },
  {
    method: "get",
    path: `${P}/consents`,
    summary: "The consent ledger (oldest first) and the consent in force per purpose",
    tag: "contacts",
    scope: "read",
    ok: { status: 200, schema: "ConsentState" },
    problems: [404, 422],
  },
  {
    method: "get",
    path: `${P}/export`,
    summary: "Everything held about the number as JSON (GDPR art. 15 and 20)",
    tag: "contacts",
    scope: "read",
    ok: { status: 200, schema: "ContactExport" },
    problems: [404, 422],
  },
];
