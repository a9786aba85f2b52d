/**
 * The inactive-contact retention job on a database with CONTACTS contacts (half inactive for four
 * years, half active last month), MSGS delivered messages each and a marketing consent: what one
 * erasure costs (each walks every table keyed by contact, through the same path as an art. 17
 * request) and how long a batch holds the write lock.
 * Run: `CONTACTS=2000 MSGS=5 BATCH=10 npx tsx bench/retention-contacts.ts` (prints one JSON line).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerPepper } from "../src/conversation/pepper-hash.js";
import { inactiveContacts } from "../src/retention/jobs-contacts.js";
import { RetentionRunner } from "../src/retention/runner.js";
import { openDb } from "../src/store/db.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26);
const CONTACTS = Number(process.env.CONTACTS ?? 20000);
const MSGS = Number(process.env.MSGS ?? 5);
const BATCH = Number(process.env.BATCH ?? 500);
const path = join(mkdtempSync(join(tmpdir(), "rcb-")), "db.sqlite");
const db = openDb({ path });
registerPepper(db, Buffer.alloc(32, 7));
const c = db.prepare(
  "INSERT INTO contacts (e164, region, time_zone, created_at, updated_at, last_contact_at) VALUES (?, 'FR', 'Europe/Paris', ?, ?, ?)",
);
const m =
  db.prepare(`INSERT INTO messages (id, to_number, body, category, coding, priority, status, status_report, created_at, updated_at)
     VALUES (?, ?, 'b', 'transactional', 'gsm7', 0, 'delivered', 0, ?, ?)`);
const p =
  db.prepare(`INSERT INTO parts (message_id, seq, total, pdu, tpdu_length, status, priority, to_number, next_attempt_at)
     VALUES (?, 1, 1, 'p', 10, 'delivered', 0, ?, 0)`);
const l = db.prepare(
  `INSERT INTO consent_ledger (contact, purpose, status, basis, source, evidence, at, recorded_at) VALUES (?, 'marketing', 'granted', 'opt-in', 'web-form', '{}', ?, ?)`,
);
db.transaction(() => {
  for (let i = 0; i < CONTACTS; i++) {
    const n = `+3361${String(i).padStart(7, "0")}`;
    // Half inactive (4 years), half active (last month).
    const at = i % 2 === 0 ? NOW - 1500 * DAY : NOW - 30 * DAY;
    c.run(n, at, at, at);
    l.run(n, at, at);
    for (let k = 0; k < MSGS; k++) {
      m.run(`m${i}_${k}`, n, at, at);
      p.run(`m${i}_${k}`, n);
    }
  }
})();
const batches: number[] = [];
let t = performance.now();
const r = new RetentionRunner({
  db,
  clock: { now: () => NOW, setTimeout: () => ({ clear() {} }) },
  policy: {
    bodiesMs: 365 * DAY,
    metadataMs: 36500 * DAY,
    webhookDeliveriesMs: 30 * DAY,
    idempotencyMs: DAY,
    inboundDedupeMs: DAY,
    batchSize: BATCH,
    contactsInactiveMs: 1095 * DAY,
  },
  intervalMs: 1e9,
  jobs: [inactiveContacts],
  pause: async () => {
    const now = performance.now();
    batches.push(now - t);
    t = now;
  },
});
const rep = await r.runOnce();
batches.sort((a, b) => a - b);
const q = (f: number) => batches[Math.min(batches.length - 1, Math.floor(f * batches.length))]?.toFixed(1);
console.log(
  JSON.stringify({
    contacts: CONTACTS,
    messagesPerContact: MSGS,
    batch: BATCH,
    erased: rep.counts.contacts_erased,
    rows: rep.counts.contact_rows_deleted,
    transactions: rep.transactions,
    seconds: rep.seconds.toFixed(2),
    perContactMs: ((rep.seconds * 1000) / rep.counts.contacts_erased).toFixed(2),
    batchMsP50: q(0.5),
    batchMsMax: q(0.999),
  }),
);
