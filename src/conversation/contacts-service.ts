/**
 * The contacts, consent and GDPR operations behind /v1/contacts (src/http/routes/contacts.ts), one
 * store transaction each. Built once by the composition root:
 *
 *   const contacts = createContactsService({ db: engine.db, bus: engine.bus, pepper, now: clock.now,
 *     recipient: (n) => engine.recipient(n) });
 *
 * Building it registers the pepper for the connection (pepper-hash.ts), so the send policy honours
 * the opt-outs kept as hashes after an erasure from then on.
 */
import { toE164 } from "../engine/phone.js";
import { EventBus, type GatewayEvents } from "../events.js";
import type { Db } from "../store/db.js";
import { createIdFactory, type IdFactory } from "../store/ids.js";
import { runTx, type StoreDeps, type Tx } from "../store/tx.js";
import { cancelWaiting } from "./cancel.js";
import {
  ConsentError,
  type ConsentInput,
  currentConsents,
  history,
  recordConsent,
  suppressionOf,
} from "./consent.js";
import {
  ContactError,
  type ContactFilter,
  type ContactPatch,
  type Ctx,
  ensureContact,
  getContact,
  listContacts,
  updateContact,
} from "./contacts.js";
import { EraseError, type ErasureResult, eraseContact, knowsNumber } from "./erase.js";
import { type ContactExport, consentJson, exportContact, profileJson } from "./gdpr.js";
import { iso } from "./gdpr-messages.js";
import { hashedObjections, registerPepper } from "./pepper-hash.js";

export interface ContactsServiceOptions {
  readonly db: Db;
  /** Secret of the suppression hashes (HMAC-SHA256 key), at least 16 bytes; never change it. */
  readonly pepper: Buffer;
  readonly now: () => number;
  /** The send path's number rule (engine.recipient), so the API and the queue agree on a number. */
  readonly recipient?: (input: string) => string;
  /** Country of national numbers when `recipient` is not given, default "FR". */
  readonly defaultCountry?: string;
  /** The engine's bus: status events of canceled messages and the outbox wake-up reach listeners. */
  readonly bus?: EventBus<GatewayEvents>;
  readonly ids?: IdFactory;
  /** Consent purpose marketing needs (policy.ts), default "marketing". */
  readonly marketingPurpose?: string;
}

export type ContactsErrorCode = "not_found" | "invalid" | "erase_in_flight";

export class ContactsServiceError extends Error {
  override readonly name = "ContactsServiceError";
  constructor(
    readonly code: ContactsErrorCode,
    message: string,
    /** Request field the error is about (for `invalid`). */
    readonly field?: string,
    readonly messageIds: readonly string[] = [],
  ) {
    super(message);
  }
}

export type ContactView = ReturnType<typeof profileJson> & {
  readonly optedOut: { readonly since: string | null; readonly via: string } | null;
};

export interface ConsentState {
  readonly contact: string;
  /** The ledger, oldest first. */
  readonly ledger: readonly ReturnType<typeof consentJson>[];
  /** The consent in force per purpose. */
  readonly current: readonly ReturnType<typeof consentJson>[];
  readonly optedOut: ContactView["optedOut"];
}

export function createContactsService(o: ContactsServiceOptions) {
  registerPepper(o.db, o.pepper);
  const store: StoreDeps = {
    db: o.db,
    bus: o.bus ?? new EventBus(),
    ids: o.ids ?? createIdFactory(),
    now: o.now,
  };
  const recipient = o.recipient ?? ((n: string) => toE164(n, o.defaultCountry ?? "FR"));
  const purpose = o.marketingPurpose ?? "marketing";
  const tx = <T>(fn: (t: Tx) => T): T => runTx(store, fn);
  const read = (): Ctx => ({ db: o.db, at: o.now() });

  const optedOut = (c: Ctx, e164: string): ContactView["optedOut"] => {
    const s = suppressionOf(c, e164);
    return s ? { since: iso(s.since), via: s.via } : null;
  };
  const view = (c: Ctx, e164: string): ContactView | undefined => {
    const k = getContact(c, e164);
    return k && { ...profileJson(k), optedOut: optedOut(c, e164) };
  };
  const consentState = (c: Ctx, e164: string): ConsentState => ({
    contact: e164,
    ledger: history(c, e164).map(consentJson),
    current: currentConsents(c, e164).map(consentJson),
    optedOut: optedOut(c, e164),
  });

  return {
    /**
     * The stored key of a number from the API: E.164 by the send path's rule (national numbers in
     * the business's country); a "+digits" number outside the numbering plan is accepted only when
     * the gateway already holds it (an inbound originator is stored as received).
     */
    resolve(raw: string): string {
      try {
        return recipient(raw);
      } catch (e) {
        if (/^\+\d{6,15}$/.test(raw) && knowsNumber({ db: o.db }, raw)) return raw;
        throw new ContactsServiceError("invalid", e instanceof Error ? e.message : String(e), "e164");
      }
    },

    list(filter: ContactFilter, page: { limit: number; after?: string }) {
      const c = read();
      const r = listContacts(c, filter, page);
      return {
        items: r.items.map((k) => ({ ...profileJson(k), optedOut: optedOut(c, k.e164) })),
        next: r.next,
      };
    },

    get(e164: string): ContactView | undefined {
      return view(read(), e164);
    },

    /** Creates or updates; `created` tells which. */
    patch(e164: string, p: ContactPatch): { contact: ContactView; created: boolean } {
      return guard(() =>
        tx((t) => {
          const created = getContact(t, e164) === undefined;
          updateContact(t, e164, p);
          return { contact: view(t, e164)!, created };
        }),
      );
    },

    /**
     * Appends to the ledger (creating the contact). A withdrawal of the marketing purpose cancels
     * the contact's queued marketing at once, as STOP does (cancel.ts): the dispatch-time check
     * would stop it anyway, but the caller sees the effect now.
     */
    recordConsent(e164: string, i: Omit<ConsentInput, "contact">) {
      return guard(() =>
        tx((t) => {
          ensureContact(t, e164);
          const record = recordConsent(t, { ...i, contact: e164 });
          const canceled =
            i.status === "withdrawn" && i.purpose === purpose
              ? cancelWaiting(t, e164, WITHDRAWN_DETAIL, "marketing")
              : [];
          return { record: consentJson(record), canceled, state: consentState(t, e164) };
        }),
      );
    },

    consents(e164: string): ConsentState | undefined {
      const c = read();
      if (!getContact(c, e164) && history(c, e164).length === 0) return undefined;
      return consentState(c, e164);
    },

    export(e164: string): ContactExport | undefined {
      const c = read();
      if (!knowsNumber(c, e164) && hashedObjections(c, e164).length === 0) return undefined;
      return exportContact(o.db, e164, c.at);
    },

    erase(e164: string, requestedBy?: string): ErasureResult {
      return guard(() =>
        tx((t) =>
          eraseContact(t, e164, { pepper: o.pepper, ...(requestedBy !== undefined && { requestedBy }) }),
        ),
      );
    },
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;

/** Domain errors as the service's typed error; anything else is a bug and propagates. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ContactError) throw new ContactsServiceError("invalid", e.message, e.field);
    if (e instanceof ConsentError) throw new ContactsServiceError("invalid", e.message);
    if (e instanceof EraseError) throw new ContactsServiceError(e.code, e.message, undefined, e.messageIds);
    throw e;
  }
}

export const WITHDRAWN_DETAIL = "marketing consent withdrawn";
