import { describe, expect, it } from "vitest";
import type { SendOutcome } from "../../../src/modem/types.js";
import { A, B, setupEngine } from "../../helpers/engine-setup.js";

interface EventRow {
  message_id: string;
  part_seq: number | null;
  from_status: string | null;
  to_status: string;
  detail: string | null;
}

/**
 * The rows consumers see (GET /v1/messages/{id} timeline, message.status webhooks) for the send path,
 * written out in full: the send path derives the message status from the part it just changed
 * instead of re-reading the parts, and routes the message in the UPDATE of its status.
 */
function rowsOf(s: ReturnType<typeof setupEngine>, id: string) {
  const events = s.engine.db
    .prepare(
      "SELECT message_id, part_seq, from_status, to_status, detail FROM message_events WHERE message_id = ? ORDER BY id",
    )
    .all(id) as EventRow[];
  const hooks = (
    s.engine.db
      .prepare("SELECT payload FROM webhook_outbox WHERE event_type = 'message.status' ORDER BY id")
      .all() as { payload: string }[]
  )
    .map((r) => JSON.parse(r.payload) as Record<string, unknown>)
    .filter((p) => p.id === id)
    .map(({ at: _at, id: _id, ...rest }) => rest);
  const msg = s.engine.db.prepare("SELECT status, modem_id FROM messages WHERE id = ?").get(id);
  const partModems = (
    s.engine.db.prepare("SELECT modem_id FROM parts WHERE message_id = ? ORDER BY seq").all(id) as {
      modem_id: string | null;
    }[]
  ).map((p) => p.modem_id);
  return { events: events.map(({ message_id: _m, ...e }) => e), hooks, msg, partModems };
}

const long = "Lorem ipsum dolor sit amet ".repeat(7); // 189 GSM-7 characters: two parts

describe("send path timeline and webhooks", () => {
  it("a one-part message: queued → sending (routed) → sent, with its modem in the webhooks", async () => {
    const s = setupEngine();
    const modem = s.modems[0]?.id;
    const r = s.engine.enqueue({ to: A, text: "hi", category: "transactional" });
    await s.clock.advance(2000);
    const { events, hooks, msg } = rowsOf(s, r.id);
    expect(events).toEqual([
      { part_seq: null, from_status: null, to_status: "queued", detail: null },
      { part_seq: 1, from_status: "queued", to_status: "sending", detail: `modem ${modem}` },
      { part_seq: null, from_status: "queued", to_status: "sending", detail: null },
      { part_seq: 1, from_status: "sending", to_status: "sent", detail: expect.stringMatching(/^mr \d+$/) },
      { part_seq: null, from_status: "sending", to_status: "sent", detail: null },
    ]);
    expect(hooks).toEqual([
      { direction: "outbound", from: null, to: "queued", contact: A, modemId: null },
      { direction: "outbound", from: "queued", to: "sending", contact: A, modemId: modem },
      { direction: "outbound", from: "sending", to: "sent", contact: A, modemId: modem },
    ]);
    expect(msg).toEqual({ status: "sent", modem_id: modem });
    expect(rowsOf(s, r.id).partModems).toEqual([modem]);
  });

  it("a two-part message stays sending until its last part is sent", async () => {
    const s = setupEngine();
    const modem = s.modems[0]?.id;
    const r = s.engine.enqueue({ to: B, text: long, category: "transactional" });
    await s.clock.advance(2000);
    const { events, hooks, msg } = rowsOf(s, r.id);
    expect(events.map((e) => [e.part_seq, e.from_status, e.to_status])).toEqual([
      [null, null, "queued"],
      [1, "queued", "sending"],
      [null, "queued", "sending"],
      [1, "sending", "sent"],
      [2, "queued", "sending"],
      [2, "sending", "sent"],
      [null, "sending", "sent"],
    ]);
    expect(hooks.map((h) => [h.from, h.to, h.modemId])).toEqual([
      [null, "queued", null],
      ["queued", "sending", modem],
      ["sending", "sent", modem],
    ]);
    expect(msg).toEqual({ status: "sent", modem_id: modem });
    expect(rowsOf(s, r.id).partModems).toEqual([modem, modem]);
  });

  it("a one-part message whose modem faulted goes back to queued, unrouted, with the reason", async () => {
    const s = setupEngine();
    const modem = s.modems[0];
    const fault: SendOutcome = {
      kind: "rejected",
      code: 500,
      category: "modem-fault",
      text: "+CMS ERROR: 500",
    };
    if (modem) modem.respond = () => fault;
    const r = s.engine.enqueue({ to: A, text: "hi", category: "transactional" });
    await s.clock.advance(500);
    const { events, hooks, msg } = rowsOf(s, r.id);
    expect(events.slice(0, 5)).toEqual([
      { part_seq: null, from_status: null, to_status: "queued", detail: null },
      { part_seq: 1, from_status: "queued", to_status: "sending", detail: `modem ${modem?.id}` },
      { part_seq: null, from_status: "queued", to_status: "sending", detail: null },
      { part_seq: 1, from_status: "sending", to_status: "queued", detail: "rejected: +CMS ERROR: 500" },
      { part_seq: null, from_status: "sending", to_status: "queued", detail: "+CMS ERROR: 500" },
    ]);
    expect(hooks[2]).toEqual({
      direction: "outbound",
      from: "sending",
      to: "queued",
      contact: A,
      modemId: null,
      detail: "+CMS ERROR: 500",
    });
    expect(msg).toEqual({ status: "queued", modem_id: null });
    expect(rowsOf(s, r.id).partModems).toEqual([null]);
  });

  it("a one-part message refused for good is failed with the modem's reason", async () => {
    const s = setupEngine();
    const modem = s.modems[0];
    if (modem)
      modem.respond = () => ({ kind: "rejected", code: 21, category: "permanent", text: "+CMS ERROR: 21" });
    const r = s.engine.enqueue({ to: A, text: "hi", category: "transactional" });
    await s.clock.advance(2000);
    const { events, hooks, msg } = rowsOf(s, r.id);
    expect(events.slice(3)).toEqual([
      { part_seq: 1, from_status: "sending", to_status: "failed", detail: expect.any(String) },
      { part_seq: null, from_status: "sending", to_status: "failed", detail: expect.any(String) },
    ]);
    expect(hooks.map((h) => [h.from, h.to, h.modemId])).toEqual([
      [null, "queued", null],
      ["queued", "sending", modem?.id],
      ["sending", "failed", modem?.id],
    ]);
    expect(msg).toEqual({ status: "failed", modem_id: modem?.id });
  });
});
