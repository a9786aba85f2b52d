/**
 * /v1/contacts: contacts (read, create/update), the consent ledger (append, read), and the GDPR
 * rights: export (art. 15/20) and erasure (art. 17, scope admin).
 *
 * The number in the path is E.164 with its `+` URL-encoded (`/v1/contacts/%2B33612345678`), or a
 * national number read in the business's country (`/v1/contacts/0612345678`), as `to` is when
 * sending. A number that is not one is 422; a number the gateway holds nothing about is 404.
 */
import { type Context, Hono } from "hono";
import type { ContactsService } from "../../conversation/contacts-service.js";
import { ContactsServiceError } from "../../conversation/contacts-service.js";
import { type AuthVariables, requireScope } from "../auth.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { PROBLEM_BASE, ProblemError, validationProblem } from "../problems.js";
import { jsonBody, queryObject, toIso, validate } from "../request.js";
import { PhoneNumber } from "../schemas.js";
import { ConsentRequest, ContactPatchRequest, ListContactsQuery } from "../schemas-contacts.js";

type Env = { Variables: AuthVariables };

const notFound = () => new ProblemError("not-found", "No contact with this number");

/** 409 while a modem holds one of the contact's messages: retry once it has been handed over. */
function eraseInFlight(c: Context, e: ContactsServiceError): Response {
  return c.body(
    JSON.stringify({
      type: `${PROBLEM_BASE}erase-in-flight`,
      title: "A message to this contact is being sent",
      status: 409,
      detail: `${e.message}; retry in a few seconds`,
      instance: c.req.path,
      messageIds: e.messageIds,
    }),
    409,
    { "content-type": "application/problem+json", "Retry-After": "5" },
  );
}

function toProblem(e: unknown): unknown {
  if (!(e instanceof ContactsServiceError)) return e;
  if (e.code === "not_found") return notFound();
  return validationProblem([{ field: e.field ?? "", message: e.message }], e.message);
}

export function contactsRoutes(svc: ContactsService) {
  const app = new Hono<Env>();
  const number = (c: Context<Env>): string => {
    const raw = c.req.param("e164") ?? "";
    const p = PhoneNumber.safeParse(raw);
    if (!p.success) throw validationProblem([{ field: "e164", message: "must be a phone number" }]);
    try {
      return svc.resolve(p.data);
    } catch (e) {
      throw toProblem(e);
    }
  };
  const run = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw toProblem(e);
    }
  };

  app.get("/", requireScope("read"), (c) => {
    const q = validate(ListContactsQuery, queryObject(c));
    const filter = {
      ...(q.tag !== undefined && { tag: q.tag }),
      ...(q.zone !== undefined && { zone: q.zone }),
      ...(q.opted_out !== undefined && { optedOut: q.opted_out === "true" }),
      ...(q.q !== undefined && { q: q.q }),
    };
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, filter);
    const page = svc.list(filter, { limit: q.limit, ...(after !== undefined && { after }) });
    let next: string | null = null;
    if (page.next !== undefined) {
      const params = new URLSearchParams(new URL(c.req.url).search);
      params.set("cursor", encodeCursor(page.next, filter));
      params.set("limit", String(q.limit));
      next = `/v1/contacts?${params.toString()}`;
      c.header("Link", `<${next}>; rel="next"`);
    }
    return c.json({ items: page.items, next });
  });

  app.get("/:e164", requireScope("read"), (c) => {
    const contact = svc.get(number(c));
    if (!contact) throw notFound();
    return c.json(contact);
  });

  app.patch("/:e164", requireScope("send"), async (c) => {
    const e164 = number(c);
    const body = await jsonBody(c, ContactPatchRequest);
    const r = run(() => svc.patch(e164, body));
    if (!r.created) return c.json(r.contact);
    c.header("Location", `/v1/contacts/${encodeURIComponent(e164)}`);
    return c.json(r.contact, 201);
  });

  app.delete("/:e164", requireScope("admin"), (c) => {
    const e164 = number(c);
    try {
      const r = svc.erase(e164, c.get("principal")?.name);
      return c.json({ ...r, at: toIso(r.at) });
    } catch (e) {
      if (e instanceof ContactsServiceError && e.code === "erase_in_flight") return eraseInFlight(c, e);
      throw toProblem(e);
    }
  });

  app.get("/:e164/consents", requireScope("read"), (c) => {
    const state = svc.consents(number(c));
    if (!state) throw notFound();
    return c.json(state);
  });

  app.post("/:e164/consents", requireScope("send"), async (c) => {
    const e164 = number(c);
    const b = await jsonBody(c, ConsentRequest);
    const r = run(() =>
      svc.recordConsent(e164, {
        purpose: b.purpose,
        status: b.status,
        source: b.source,
        ...(b.basis !== undefined && { basis: b.basis }),
        ...(b.evidence !== undefined && { evidence: b.evidence }),
        ...(b.at !== undefined && { at: Date.parse(b.at) }),
      }),
    );
    c.header("Location", `/v1/contacts/${encodeURIComponent(e164)}/consents`);
    return c.json(r, 201);
  });

  app.get("/:e164/export", requireScope("read"), (c) => {
    const e164 = number(c);
    const doc = svc.export(e164);
    if (!doc) throw notFound();
    return c.json(doc, 200, { "Content-Disposition": `attachment; filename="contact-export.json"` });
  });

  return app;
}
