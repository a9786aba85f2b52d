/**
 * Inactive contacts (GDPR art. 5(1)(e)). The CNIL's "gestion commerciale" referential keeps a
 * prospect's data 3 years from the last contact coming from the prospect, a customer's for the
 * relationship and then 3 years for prospection. smsgw cannot tell customers from prospects; what
 * it knows is each contact's last activity, the latest of:
 *   - the contact's creation (a contact just imported is not erased before its first exchange),
 *   - its last exchange (contacts.last_contact_at / last_inbound_at, both directions),
 *   - any message to or from it still stored (outbound `updated_at`, inbound `received_at`),
 *   - a consent given or withdrawn (consent_ledger.at: the person's act, not when it was typed in),
 *   - an opt-out (suppressions.since), a thread's last activity, an agent flag's creation.
 * An operator's edit of the contact (name, tags: contacts.updated_at) is not the person's activity
 * and does not count: a CRM sync touching every contact would otherwise keep them all forever.
 *
 * Whatever its age, a contact is kept while a thread is open or pending, an agent flag is
 * unresolved, or a message to it is not final (FINAL_MESSAGE: queued, scheduled, being sent,
 * `unknown`, or `sent` still waiting for its report). The erasure itself is eraseContact's, the
 * one an art. 17 request runs: the opt-out and withdrawn purposes stay as HMAC-SHA256(pepper,
 * e164) (art. 21(3)), one `erasures` row and one `contact.erased` event are written, and a
 * message a modem holds makes it refuse (`erase_in_flight`); such a contact is left for the next
 * run. Each contact is erased in a savepoint, so a refusal rolls back only that contact.
 */
import { EraseError, eraseContact } from "../conversation/erase.js";
import { pepperOf } from "../conversation/pepper-hash.js";
import type { EventBus, GatewayEvents } from "../events.js";
import { stmt, type Tx } from "../store/tx.js";
import type { Job, JobContext } from "./job.js";
import { DAY_MS, DEFAULT_CONTACTS_INACTIVE_DAYS, FINAL_MESSAGE, REPORT_WAIT_MS } from "./policy.js";

/** Written as `requested_by` in the erasures log, where an API request writes its key's name. */
export const RETENTION_REQUESTER = "retention: inactive contact";

/**
 * One erasure walks the schema for every table keyed by contact and looks for the number's parts
 * in flight, which costs 15 ms with 10,000 parts stored and 40 ms with 100,000 (measured on the
 * development box; more on a Pi), against well under 1 ms per row for the row jobs. So a batch
 * is the row jobs' batch divided by 500: one contact per transaction by default, and the send
 * loop never waits behind more than one erasure.
 */
export const contactBatch = (batchSize: number) => Math.max(1, Math.floor(batchSize / 500));

/** The scan of erasable contacts (exported for the query-plan test). Keyset order on the key. */
export const INACTIVE_CONTACTS = `SELECT c.e164 FROM contacts c
  WHERE c.e164 > @after AND c.created_at <= @cutoff
    AND COALESCE(c.last_contact_at, 0) <= @cutoff AND COALESCE(c.last_inbound_at, 0) <= @cutoff
    AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.to_number = c.e164
      AND (m.updated_at > @cutoff OR NOT (${FINAL_MESSAGE})))
    AND NOT EXISTS (SELECT 1 FROM inbound_messages i WHERE i.from_number = c.e164 AND i.received_at > @cutoff)
    AND NOT EXISTS (SELECT 1 FROM consent_ledger l WHERE l.contact = c.e164 AND l.at > @cutoff)
    AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.contact = c.e164 AND s.since > @cutoff)
    AND NOT EXISTS (SELECT 1 FROM conversations t WHERE t.contact = c.e164
      AND (t.status <> 'resolved' OR t.last_activity_at > @cutoff))
    AND NOT EXISTS (SELECT 1 FROM agent_flags f WHERE f.contact = c.e164
      AND (f.resolved_at IS NULL OR f.created_at > @cutoff))
  ORDER BY c.e164 LIMIT @batch`;

/** Where each run's scan stands: a contact refused (in flight) is not picked again in that run. */
const cursors = new WeakMap<JobContext, string>();

export const inactiveContacts: Job = {
  name: "inactive contacts",
  step(c) {
    const inactiveMs = c.policy.contactsInactiveMs ?? DEFAULT_CONTACTS_INACTIVE_DAYS * DAY_MS;
    const pepper = pepperOf(c.db);
    // Without the pepper an erasure cannot keep an opt-out (eraseContact refuses): nothing is done.
    if (inactiveMs <= 0 || pepper === undefined) return { handled: 0, more: false, counts: {} };
    const batch = contactBatch(c.policy.batchSize);
    const picked = (
      stmt(c.db, INACTIVE_CONTACTS).all({
        after: cursors.get(c) ?? "",
        cutoff: c.now - inactiveMs,
        reportCutoff: c.now - REPORT_WAIT_MS,
        batch,
      }) as { e164: string }[]
    ).map((r) => r.e164);
    const last = picked.at(-1);
    if (last !== undefined) cursors.set(c, last);

    const tx = txOf(c);
    let erased = 0;
    let rows = 0;
    for (const e164 of picked) {
      try {
        const r = c.db.transaction(() =>
          eraseContact(tx, e164, { pepper, requestedBy: RETENTION_REQUESTER, reason: "retention" }),
        )();
        erased++;
        for (const n of Object.values(r.counts)) rows += n;
      } catch (err) {
        // In flight: a modem holds one of its messages now; the next run will find it final.
        if (!(err instanceof EraseError)) throw err;
      }
    }
    return {
      handled: picked.length,
      more: picked.length === batch,
      counts: { contacts_erased: erased, contact_rows_deleted: rows },
    };
  },
};

/** The runner's transaction as eraseContact's Tx: its events are queued until the batch commits. */
function txOf(c: JobContext): Tx {
  const bus = { emit: c.emit } as unknown as EventBus<GatewayEvents>;
  return { db: c.db, bus, ids: c.ids, now: () => c.now, at: c.now, emit: c.emit };
}
