import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { InboundReceivedEvent } from "../../../src/events.js";
import { stmt } from "../../../src/store/tx.js";
import { deliverPdu, ManualClock, reportPdu } from "../../helpers/engine-fakes.js";
import { A, B, setupEngine } from "../../helpers/engine-setup.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmpDb = () => {
  const d = mkdtempSync(join(tmpdir(), "smsgw-in-"));
  dirs.push(d);
  return join(d, "g.db");
};

describe("inbound ingest", () => {
  it("stores a message, its webhook outbox row and runs the keyword hook in the same transaction", async () => {
    const seen: string[] = [];
    const { engine, clock, modems } = setupEngine({
      keywordHook: (tx, m) => {
        seen.push(m.text);
        stmt(tx.db, "INSERT INTO sticky_routes (contact, modem_id, last_at) VALUES ('hook', ?, 0)").run(
          m.modemId,
        );
      },
    });
    const events: InboundReceivedEvent[] = [];
    engine.bus.on("message.received", (e) => events.push(e));
    await modems[0]!.deliver(deliverPdu({ from: A, text: "STOP", at: clock.now() }));
    expect(seen).toEqual(["STOP"]);
    expect(events).toMatchObject([{ from: A, text: "STOP", partial: false }]);
    const list = engine.listMessages({ direction: "inbound" }).items;
    expect(list).toMatchObject([{ contact: A, text: "STOP", status: "received" }]);
    expect(engine.db.prepare("SELECT event_type, contact_key FROM webhook_outbox").all()).toEqual([
      { event_type: "message.received", contact_key: A },
    ]);
    expect(engine.db.prepare("SELECT COUNT(*) AS n FROM sticky_routes WHERE contact = 'hook'").get()).toEqual(
      { n: 1 },
    );
  });

  it("does not acknowledge when the hook throws, and loses nothing", async () => {
    const { engine, clock, modems } = setupEngine({
      keywordHook: () => {
        throw new Error("consent store unavailable");
      },
    });
    const pdu = deliverPdu({ from: A, text: "hello", at: clock.now() });
    await expect(modems[0]!.deliver(pdu)).rejects.toThrow(/consent/);
    expect(modems[0]?.acked).toEqual([]);
    expect(engine.listMessages().items).toHaveLength(0);
    expect(engine.db.prepare("SELECT COUNT(*) AS n FROM inbound_pdus").get()).toEqual({ n: 0 });
  });

  it("recognises a PDU re-read after a crash and stores it once (regression: duplicate inbound after restart)", async () => {
    const db = tmpDb();
    const clock = new ManualClock();
    const pdu = deliverPdu({ from: A, text: "once", at: clock.now() });
    const first = setupEngine({ db, clock });
    await first.modems[0]!.deliver(pdu);
    await first.engine.stop();
    const second = setupEngine({ db, clock });
    await second.modems[0]!.deliver(pdu);
    expect(second.modems[0]?.acked).toEqual([pdu]); // still acknowledged, so the SIM slot is freed
    expect(second.engine.listMessages({ direction: "inbound" }).items).toHaveLength(1);
    await second.engine.stop();
  });

  it("stores the same text sent twice (different SCTS) twice", async () => {
    const { engine, clock, modems } = setupEngine();
    await modems[0]!.deliver(deliverPdu({ from: A, text: "yes", at: clock.now() }));
    await modems[0]!.deliver(deliverPdu({ from: A, text: "yes", at: clock.now() + 1000 }));
    expect(engine.listMessages({ direction: "inbound" }).items).toHaveLength(2);
  });

  it("quarantines a malformed PDU with its error, still acknowledges it, and goes on", async () => {
    const { engine, clock, modems } = setupEngine();
    await modems[0]!.deliver("07913396050066F0040B913316325476F8000862"); // truncated after the SCTS
    await modems[0]!.deliver(deliverPdu({ from: A, text: "after", at: clock.now() }));
    expect(modems[0]?.acked).toHaveLength(2);
    const q = engine.db.prepare("SELECT pdu, error FROM quarantine").all() as {
      pdu: string;
      error: string;
    }[];
    expect(q).toHaveLength(1);
    expect(q[0]?.error.length).toBeGreaterThan(0);
    expect(engine.listMessages({ direction: "inbound" }).items.map((i) => i.text)).toEqual(["after"]);
  });
});

describe("reassembly", () => {
  const parts = (ref: number, refBits: 8 | 16, at: number, from = A) =>
    ["Hello ", "wide ", "world"].map((text, i) =>
      deliverPdu({ from, text, at: at + i, concat: { ref, total: 3, seq: i + 1, refBits } }),
    );

  it("joins parts out of order, ignores duplicates, for 8- and 16-bit refs (regression: chan-quectel #11 1,3,2)", async () => {
    const { engine, clock, modems } = setupEngine();
    const p8 = parts(7, 8, clock.now());
    const p16 = parts(700, 16, clock.now(), B);
    for (const p of [p8[0]!, p8[2]!, p16[1]!, p8[2]!, p16[0]!, p8[1]!, p16[2]!]) await modems[0]!.deliver(p);
    const inbox = engine.listMessages({ direction: "inbound" }).items;
    expect(inbox.map((i) => [i.contact, i.text]).sort()).toEqual([
      [A, "Hello wide world"],
      [B, "Hello wide world"],
    ]);
  });

  it("keeps two sets with the same ref from different senders apart", async () => {
    const { engine, clock, modems } = setupEngine();
    const a = parts(1, 8, clock.now(), A);
    const b = parts(1, 8, clock.now(), B);
    for (let i = 0; i < 3; i++) {
      await modems[0]!.deliver(a[i]!);
      await modems[0]!.deliver(b[i]!);
    }
    expect(engine.listMessages({ direction: "inbound" }).items).toHaveLength(2);
  });

  it("survives a restart between parts", async () => {
    const db = tmpDb();
    const clock = new ManualClock();
    const p = parts(9, 8, clock.now());
    const first = setupEngine({ db, clock });
    await first.modems[0]!.deliver(p[1]!);
    await first.engine.stop();
    const second = setupEngine({ db, clock });
    await second.modems[0]!.deliver(p[2]!);
    await second.modems[0]!.deliver(p[0]!);
    expect(second.engine.listMessages({ direction: "inbound" }).items.map((i) => i.text)).toEqual([
      "Hello wide world",
    ]);
    await second.engine.stop();
  });

  it("releases an incomplete set as partial after the timeout", async () => {
    const { engine, clock, modems } = setupEngine({ config: { reassemblyTimeoutMs: 600_000 } });
    const p = parts(3, 8, clock.now());
    await modems[0]!.deliver(p[0]!);
    await modems[0]!.deliver(p[2]!);
    await clock.advance(599_000);
    expect(engine.listMessages({ direction: "inbound" }).items).toHaveLength(0);
    await clock.advance(61_000);
    const items = engine.listMessages({ direction: "inbound" }).items;
    expect(items.map((i) => i.text)).toEqual(["Hello world"]);
    expect(engine.getMessage(items[0]!.id)).toMatchObject({ partial: true });
  });
});

describe("status reports", () => {
  async function sent(s: ReturnType<typeof setupEngine>, to: string, text: string) {
    const r = s.engine.enqueue({ to, text, category: "transactional", statusReport: true });
    await s.clock.advance(100);
    return { id: r.id, mr: s.engine.getMessage(r.id)!.parts[0]!.mr! };
  }

  it("marks the part delivered, keeps pending as sent, failed as undelivered", async () => {
    const s = setupEngine();
    const m = s.modems[0]!;
    const a = await sent(s, A, "a");
    const b = await sent(s, B, "b");
    await m.deliver(reportPdu({ mr: a.mr, recipient: A, at: s.clock.now(), status: 0x20 }), "status-report");
    expect(s.engine.getMessage(a.id)?.status).toBe("sent");
    await m.deliver(
      reportPdu({ mr: a.mr, recipient: A, at: s.clock.now() + 1, status: 0x00 }),
      "status-report",
    );
    await m.deliver(reportPdu({ mr: b.mr, recipient: B, at: s.clock.now(), status: 0x41 }), "status-report");
    expect(s.engine.getMessage(a.id)?.status).toBe("delivered");
    expect(s.engine.getMessage(b.id)).toMatchObject({
      status: "undelivered",
      parts: [{ errorCode: "tp_st_65" }],
    });
    expect(s.engine.getMessage(a.id)?.events.some((e) => e.detail?.includes("pending"))).toBe(true);
  });

  it("matches the most recent part when the MR wrapped, and only the same recipient (regression: Gammu #87)", async () => {
    const s = setupEngine();
    const old = await sent(s, A, "old");
    for (let i = 0; i < 255; i++) await sent(s, B, `filler ${i}`);
    const fresh = await sent(s, A, "fresh");
    expect(fresh.mr).toBe(old.mr);
    await s.modems[0]!.deliver(
      reportPdu({ mr: fresh.mr, recipient: "0612345678", at: s.clock.now(), status: 0 }),
      "status-report",
    );
    expect(s.engine.getMessage(fresh.id)?.status).toBe("delivered");
    expect(s.engine.getMessage(old.id)?.status).toBe("sent");
  });

  it("delivers a multipart message only when every part is delivered", async () => {
    const s = setupEngine();
    const r = s.engine.enqueue({
      to: A,
      text: "Lorem ipsum ".repeat(20),
      category: "marketing",
      statusReport: true,
    });
    await s.clock.advance(1000);
    const mrs = s.engine.getMessage(r.id)!.parts.map((p) => p.mr!);
    await s.modems[0]!.deliver(
      reportPdu({ mr: mrs[0]!, recipient: A, at: s.clock.now(), status: 0 }),
      "status-report",
    );
    expect(s.engine.getMessage(r.id)?.status).toBe("sent");
    expect(s.engine.getMessage(r.id)?.parts.map((p) => p.status)).toEqual(["delivered", "sent"]);
    await s.modems[0]!.deliver(
      reportPdu({ mr: mrs[1]!, recipient: A, at: s.clock.now() + 1, status: 0 }),
      "status-report",
    );
    expect(s.engine.getMessage(r.id)?.status).toBe("delivered");
  });

  it("keeps late and unmatched reports visible", async () => {
    const s = setupEngine({ config: { reportWindowMs: 60_000 } });
    const a = await sent(s, A, "a");
    await s.clock.advance(120_000);
    await s.modems[0]!.deliver(
      reportPdu({ mr: a.mr, recipient: A, at: s.clock.now(), status: 0 }),
      "status-report",
    );
    await s.modems[0]!.deliver(
      reportPdu({ mr: 99, recipient: B, at: s.clock.now() + 1, status: 0 }),
      "status-report",
    );
    expect(s.engine.getMessage(a.id)?.status).toBe("sent");
    expect(
      s.engine
        .listUnmatchedReports()
        .map((r) => r.mr)
        .sort(),
    ).toEqual([99, a.mr].sort());
  });
});

describe("listMessages", () => {
  it("pages newest first with a cursor and filters by contact and direction", async () => {
    const { engine, clock, modems } = setupEngine({ start: false });
    for (let i = 0; i < 5; i++) {
      engine.enqueue({ to: i % 2 ? A : B, text: `o${i}`, category: "marketing" });
      clock.t += 10;
    }
    await modems[0]!.deliver(deliverPdu({ from: A, text: "i0", at: clock.now() }));
    const p1 = engine.listMessages({ limit: 4 });
    expect(p1.items.map((i) => i.text)).toEqual(["i0", "o4", "o3", "o2"]);
    const p2 = engine.listMessages({ limit: 4, cursor: p1.nextCursor! });
    expect(p2.items.map((i) => i.text)).toEqual(["o1", "o0"]);
    expect(p2.nextCursor).toBeNull();
    expect(engine.listMessages({ contact: A }).items.map((i) => i.text)).toEqual(["i0", "o3", "o1"]);
    expect(engine.listMessages({ contact: "06 12 34 56 78" }).items.map((i) => i.text)).toEqual([
      "i0",
      "o3",
      "o1",
    ]);
    expect(engine.listMessages({ contact: A, direction: "outbound" }).items).toHaveLength(2);
    expect(engine.queueStats()).toEqual([{ modemId: null, depth: 5, oldestAgeMs: 50 }]);
  });
});
