/**
 * OpenAPI description of /v1/contacts, to be merged into the document of openapi.ts:
 *
 * - `CONTACT_OPS`: the operations in the `Op` shape openapi.ts lists (its `method` union needs
 *   "patch" and "delete" added), so they can be appended to its OPS;
 * - or `contactPaths()`: ready path items (`Object.assign(doc.paths, contactPaths())`).
 *
 * Importing this module registers the component schemas of schemas-contacts.ts in `apiRegistry`.
 */
import { z } from "zod";
import { ListContactsQuery } from "./schemas-contacts.js";

export interface ContactOp {
  readonly method: "get" | "post" | "patch" | "delete";
  readonly path: string;
  readonly summary: string;
  readonly tag: "contacts";
  readonly scope: "send" | "read" | "admin";
  readonly body?: string;
  readonly ok: { readonly status: number; readonly schema?: string; readonly description?: string };
  readonly query?: z.ZodObject;
  readonly problems?: number[];
}

const P = "/v1/contacts/{e164}";

export const CONTACT_OPS: readonly ContactOp[] = [
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

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const problem = { "application/problem+json": { schema: ref("Problem") } };

function queryParams(schema: z.ZodObject) {
  const js = z.toJSONSchema(schema, { io: "input" }) as { properties?: Record<string, unknown> };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: false,
    schema: s,
  }));
}

/** Path items in OpenAPI 3.1 form, keyed by path. */
export function contactPaths(): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of CONTACT_OPS) {
    const responses: Record<string, unknown> = {
      [op.ok.status]: {
        description: op.ok.description ?? "OK",
        ...(op.ok.schema && { content: { "application/json": { schema: ref(op.ok.schema) } } }),
      },
    };
    if (op.method === "patch")
      responses[201] = {
        description: "Created",
        content: { "application/json": { schema: ref("Contact") } },
      };
    for (const s of new Set([...(op.body ? [400, 413, 415, 422] : []), 401, 403, ...(op.problems ?? [])]))
      responses[s] = { description: `Problem (${s})`, content: problem };
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        tags: [op.tag],
        operationId: `${op.method}${op.path.replace(/[{}]/g, "").replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
        description: `Requires scope \`${op.scope}\` (admin implies all).`,
        parameters: [
          ...(op.path.includes("{e164}")
            ? [
                {
                  name: "e164",
                  in: "path",
                  required: true,
                  schema: { type: "string", examples: ["%2B33612345678"] },
                },
              ]
            : []),
          ...(op.query ? queryParams(op.query) : []),
          ...(op.method === "post"
            ? [
                {
                  name: "Idempotency-Key",
                  in: "header",
                  required: false,
                  schema: { type: "string", maxLength: 255 },
                },
              ]
            : []),
        ],
        ...(op.body && {
          requestBody: { required: true, content: { "application/json": { schema: ref(op.body) } } },
        }),
        responses,
      },
    };
  }
  return paths;
}
