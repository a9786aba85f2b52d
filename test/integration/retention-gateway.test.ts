/**
 * The composition root runs the retention jobs on the gateway's own database, schedules them after
 * start and stops them before the database closes, erases inactive contacts with the gateway's
 * pepper, and reports runs on /metrics; and wires the compliance keys ([business] contact in the
 * HELP reply, the generated pepper).
 */
import { mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { type Config, parseConfig } from "../../src/config/index.js";
import { numberHash, pepperOf } from "../../src/conversation/pepper-hash.js";
import { createGateway, type Gateway } from "../../src/gateway.js";
import { createLogger } from "../../src/log.js";
import { openDb } from "../../src/store/db.js";
import { freePort, poll } from "../process/daemon.js";

const DAY = 86_400_000;
let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

const host = () => ({ clock: systemClock, log: createLogger({ level: "silent" }), env: {} });

async function config(body: string, business = ""): Promise<Config> {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-ret-"));
  const port = await freePort();
  const text = `version = 1\n[http]\nlisten = "127.0.0.1:${port}"\n[logging]\nlevel = "silent"\n
[business]\nname = "Demo Shop"\n${business}\n[[modems]]\nid = "sim1"\nport = "sim://generic?seed=1&booted=1"\n${body}`;
  return parseConfig(text, "test.toml", { cwd: dir, env: {} });
}

/** Rows written before the gateway opens the database: `n` delivered 4 years ago, one still queued. */
function seed(c: Config, n: number): void {
  mkdirSync(dirname(c.database.path), { recursive: true });
  const db = openDb({ path: c.database.path });
  const old = Date.now() - 4 * 365 * DAY;
  const m = db.prepare(
    `INSERT INTO messages (id, to_number, body, category, coding, priority, status, status_report, created_at, updated_at)
     VALUES (?, '+33612345678', 'old body', 'transactional', 'gsm7', 0, ?, 0, ?, ?)`,
  );
  const p = db.prepare(
    `INSERT INTO parts (message_id, seq, total, pdu, tpdu_length, status, priority, to_number, next_attempt_at)
     VALUES (?, 1, 1, 'pdu', 10, ?, 0, '+33612345678', ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      m.run(`old${i}`, "delivered", old, old);
      p.run(`old${i}`, "delivered", old);
    }
    m.run("waiting", "scheduled", old, old);
    p.run("waiting", "scheduled", Date.now() + 365 * DAY);
    db.prepare(
      `INSERT INTO consent_ledger (contact, purpose, status, basis, source, evidence, at, recorded_at)
       VALUES ('+33612345678', 'marketing', 'granted', 'opt-in', 'web-form', '{}', ?, ?)`,
    ).run(old, old);
  })();
  db.close();
}

function rows(c: Config, sql: string): number {
  const db = new Database(c.database.path, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${sql}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Contacts 4 years silent: one opted out, one with a message still scheduled, and one active. */
function seedContacts(c: Config): void {
  seed(c, 2);
  const db = openDb({ path: c.database.path });
  const old = Date.now() - 4 * 365 * DAY;
  const contact = db.prepare(
    `INSERT INTO contacts (e164, region, time_zone, created_at, updated_at, last_contact_at)
     VALUES (?, 'FR', 'Europe/Paris', ?, ?, ?)`,
  );
  contact.run("+33612345670", old, old, old);
  db.prepare("INSERT INTO suppressions (contact, since, via) VALUES ('+33612345670', ?, 'sms-keyword')").run(
    old,
  );
  // seed()'s number: its "waiting" message is scheduled, so it stays whatever its age.
  contact.run("+33612345678", old, old, old);
  contact.run("+33612345679", old, old, Date.now() - 30 * DAY);
  db.close();
}

describe("retention in the gateway", () => {
  it("erases contacts silent for 3 years with the gateway's pepper and reports the run on /metrics", async () => {
    const c = await config("");
    seedContacts(c);
    gw = createGateway(c, host());
    const started = await gw.start();
    const report = await gw.retention?.runOnce();
    expect(report?.failures).toEqual([]);
    expect(report?.counts.contacts_erased).toBe(1);
    const hash = numberHash(gw.pepper, "+33612345670");

    const text = await (await fetch(`${started.url}/metrics`)).text();
    const sample = (series: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(`${series} `))
          ?.slice(series.length + 1),
      );
    expect(sample('smsgw_retention_rows_total{kind="messages_deleted"}')).toBe(2);
    expect(sample('smsgw_retention_rows_total{kind="contacts_erased"}')).toBe(1);
    expect(sample("smsgw_retention_last_run_timestamp_seconds")).toBe((report?.at ?? 0) / 1000);
    expect(sample("smsgw_retention_last_success_timestamp_seconds")).toBe((report?.at ?? 0) / 1000);
    expect(sample("smsgw_retention_job_failures_total")).toBe(0);
    expect(sample("smsgw_database_size_bytes")).toBe(report?.database?.bytes);
    expect(sample("smsgw_database_free_bytes")).toBe(report?.database?.freeBytes);

    await gw.stop();
    expect(rows(c, "contacts")).toBe(2);
    expect(rows(c, "contacts WHERE e164 = '+33612345670'")).toBe(0);
    expect(rows(c, `suppression_hashes WHERE hash = '${hash}' AND scope = 'all'`)).toBe(1);
    expect(rows(c, "erasures WHERE requested_by = 'retention: inactive contact'")).toBe(1);
  }, 30_000);

  it("runs on the gateway's database after start and is stopped before the database closes", async () => {
    const c = await config("[retention]\nbatch_size = 10\n");
    seed(c, 25);
    gw = createGateway(c, host());
    const retention = gw.retention;
    expect(retention?.scheduled).toBe(false);
    await gw.start();
    expect(retention?.scheduled).toBe(true);

    const report = await retention?.runOnce();
    expect(report?.counts.messages_deleted).toBe(25);
    expect(report?.failures).toEqual([]);
    // 25 rows in batches of 10: three transactions for that job alone.
    expect(report?.transactions).toBeGreaterThanOrEqual(3);
    expect(gw.engine.getMessage("waiting")?.status).toBe("scheduled");

    await gw.stop();
    expect(retention?.scheduled).toBe(false);
    expect(rows(c, "messages")).toBe(1);
    expect(rows(c, "consent_ledger")).toBe(1);
  }, 30_000);

  it("a stop during a run ends it after the current batch; the database closes intact", async () => {
    const c = await config("[retention]\nbatch_size = 10\n");
    seed(c, 3000);
    gw = createGateway(c, host());
    await gw.start();
    const running = gw.retention?.runOnce();
    const stopped = gw.stop();
    const report = await running;
    await stopped;
    expect(report?.interrupted).toBe(true);
    const left = rows(c, "messages");
    expect(left).toBeGreaterThan(1);
    expect(left).toBeLessThanOrEqual(3001);
    expect(left % 10).toBe(1);
    const db = new Database(c.database.path, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
  }, 30_000);

  it("[retention] enabled = false builds no runner", async () => {
    gw = createGateway(await config("[retention]\nenabled = false\n"), host());
    expect(gw.retention).toBeUndefined();
  });
});

describe("compliance keys in the gateway", () => {
  it("the HELP reply carries [business] contact", async () => {
    const c = await config('[sim.numbers]\nsim1 = "+33612345601"\n', 'contact = "02 40 12 34 56"');
    gw = createGateway(c, host());
    const started = await gw.start();
    const auth = { authorization: `Bearer ${started.generatedKey?.key}`, "content-type": "application/json" };
    const g = gw;
    await poll(
      async () => (g.engine.listModems().some((m) => m.state === "ready") ? true : undefined),
      15_000,
      "ready",
    );
    const r = await fetch(`${started.url}/v1/sim/sim1/inject`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ kind: "inbound", from: "+33699999998", text: "AIDE" }),
    });
    expect(r.status).toBe(202);
    const reply = await poll(
      async () =>
        g.engine
          .listMessages({ direction: "outbound", contact: "+33699999998" })
          .items.find((m) => m.text.includes("02 40 12 34 56")),
      15_000,
      "the HELP reply",
    );
    expect(reply.text).toBe("Demo Shop : 02 40 12 34 56. Répondez STOP pour ne plus recevoir de SMS.");
  }, 30_000);

  it("generates the pepper in data_dir (0600) when [privacy] has none, the same on every start", async () => {
    const c = await config("");
    gw = createGateway(c, host());
    const first = gw.pepper;
    // Registered on the gateway's connection, so hashed objections count from the start.
    expect(pepperOf(gw.engine.db)?.equals(first)).toBe(true);
    expect(statSync(join(c.data_dir, "pepper")).mode & 0o777).toBe(0o600);
    await gw.stop();
    gw = createGateway(c, host());
    expect(gw.pepper.equals(first)).toBe(true);
    expect(first.length).toBeGreaterThanOrEqual(32);
  });
});
