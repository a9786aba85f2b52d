/**
 * The keyword rule of threads on the real engine (ingest transaction + keyword hook): STOP, START
 * and HELP are answered automatically, so they open nothing and reopen nothing; a free-text opt-out
 * wish is for an agent, so it opens or reopens the thread and its flag shows there. Bus events of
 * opt-out/opt-in and threads arrive after the commit.
 */
import { afterEach, describe, expect, it } from "vitest";
import { inTxEnqueuer } from "../../src/conversation/enqueue-in-tx.js";
import { createKeywordHook } from "../../src/conversation/hook.js";
import { threadOfContact } from "../../src/conversation/threads.js";
import { resolve } from "../../src/conversation/threads-actions.js";
import { listThreads } from "../../src/conversation/threads-query.js";
import type { Engine } from "../../src/engine/engine.js";
import { EventBus } from "../../src/events.js";
import { createIdFactory } from "../../src/store/ids.js";
import { runTx } from "../../src/store/tx.js";
import { deliverPdu } from "../helpers/engine-fakes.js";
import { A, B, type Setup, setupEngine } from "../helpers/engine-setup.js";

let s: Setup | null = null;
afterEach(async () => {
  await s?.engine.stop();
  s = null;
});

function setup(): Setup {
  let engine: Engine | undefined;
  const hook = createKeywordHook(
    { businessName: "Boulangerie Martin", businessContact: "05 90 12 34 56" },
    { enqueueInTx: inTxEnqueuer({ defaultCountry: "FR" }), wake: () => engine?.wake() },
  );
  s = setupEngine({ keywordHook: hook });
  engine = s.engine;
  return s;
}

async function inbound(st: Setup, text: string, from = A): Promise<void> {
  const coding = /^[\x20-\x7e]*$/.test(text) ? "gsm7" : "ucs2";
  await st.modems[0]!.deliver(deliverPdu({ from, text, at: st.clock.now(), coding }));
  await st.clock.advance(1000);
}

const thread = (st: Setup, contact = A) => threadOfContact({ db: st.engine.db }, contact);
const resolveNow = (st: Setup, id: string) =>
  runTx({ db: st.engine.db, bus: new EventBus(), ids: createIdFactory(), now: () => st.clock.now() }, (tx) =>
    resolve(tx, id, { flagsHandled: true }),
  );

describe("keywords and threads", () => {
  it("STOP, START and HELP from a new number open no thread, and still opt out and in", async () => {
    const st = setup();
    const events: string[] = [];
    st.engine.bus.on("contact.opted_out", (e) =>
      events.push(`out:${e.keyword}:${st.engine.db.inTransaction}`),
    );
    st.engine.bus.on("contact.opted_in", (e) => events.push(`in:${e.keyword}:${st.engine.db.inTransaction}`));
    for (const text of ["AIDE", "STOP", "STOP", "START"]) await inbound(st, text);
    expect(thread(st)).toBeUndefined();
    // A repeated STOP changes nothing, so it has no event; both events came after the commit.
    expect(events).toEqual(["out:STOP:false", "in:START:false"]);
  });

  it("a keyword from a customer with a resolved thread is noted there without reopening it", async () => {
    const st = setup();
    await inbound(st, "Avez-vous du pain complet ?");
    const t = thread(st)!;
    resolveNow(st, t.id);
    await inbound(st, "STOP");
    await inbound(st, "HELP");
    expect(thread(st)).toMatchObject({ id: t.id, status: "resolved", reopenCount: 0 });
    const types = st.engine.db
      .prepare("SELECT type FROM conversation_events WHERE conversation_id = ? ORDER BY id")
      .all(t.id) as { type: string }[];
    expect(types.map((r) => r.type)).toEqual(["opened", "resolved", "keyword", "keyword"]);
  });

  it("a free-text opt-out wish reopens the resolved thread and flags it for an agent", async () => {
    const st = setup();
    await inbound(st, "Bonjour");
    resolveNow(st, thread(st)!.id);
    await inbound(st, "Je ne veux plus recevoir vos SMS");
    expect(thread(st)).toMatchObject({ status: "open", reopenCount: 1 });
    const [item] = listThreads(st.engine.db, { flagged: true }, { limit: 10 }).items;
    expect(item).toMatchObject({ contact: A, openFlags: 1 });
    // A first-time wish opens the thread too.
    await inbound(st, "arrêtez de m'écrire", B);
    expect(thread(st, B)?.status).toBe("open");
  });

  it("regression: a failing thread update does not lose the inbound message nor block its ingest", async () => {
    const st = setup();
    st.engine.db.exec("DROP TABLE conversation_events");
    await inbound(st, "Bonjour, toujours ouvert dimanche ?");
    expect(st.modems[0]!.acked).toHaveLength(1);
    const stored = st.engine.db.prepare("SELECT text FROM inbound_messages WHERE from_number = ?").all(A);
    expect(stored).toEqual([{ text: "Bonjour, toujours ouvert dimanche ?" }]);
    // The savepoint rolled the half-made thread back with it.
    expect(thread(st)).toBeUndefined();
  });
});
