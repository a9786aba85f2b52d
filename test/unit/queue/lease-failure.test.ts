/**
 * The outcome of a part and the lease of the next share one commit. Should the lease fail, the
 * outcome must still be recorded: the part went out, and losing that would leave it `sending`
 * until a restart turned it `unknown`.
 */
import { describe, expect, it } from "vitest";
import { EventBus } from "../../../src/events.js";
import { encodeSubmit } from "../../../src/pdu/index.js";
import { defaultEngineConfig } from "../../../src/queue/config.js";
import { enqueueMessage } from "../../../src/queue/enqueue.js";
import { FailureWindow, SendPolicy } from "../../../src/queue/policy.js";
import { ModemWorker, type WorkerContext } from "../../../src/queue/worker.js";
import { openDb } from "../../../src/store/db.js";
import { createIdFactory } from "../../../src/store/ids.js";
import type { StoreDeps } from "../../../src/store/tx.js";
import { FakeModem, ManualClock } from "../../helpers/engine-fakes.js";

describe("worker: the lease after an outcome fails", () => {
  it("commits the outcome on its own and waits", async () => {
    const clock = new ManualClock();
    const db = openDb({ path: ":memory:" });
    const store: StoreDeps = { db, bus: new EventBus(), ids: createIdFactory(), now: () => clock.now() };
    const cfg = { ...defaultEngineConfig, ratePerMinute: 600, rateBurst: 10 };
    const modem = new FakeModem("imei:350000000000000", clock);
    let calls = 0;
    const ctx: WorkerContext = {
      store,
      clock,
      cfg,
      policy: new SendPolicy(cfg),
      failures: new FailureWindow(cfg),
      random: () => 0.5,
      owner: "test",
      compliance: null,
      // Read by the lease only: the second lease (after the first part's outcome) throws.
      healthy: () => {
        if (++calls === 2) throw new Error("routing table unreadable");
        return [modem.id];
      },
      isEnabled: () => true,
      disable: () => {},
      stateChanged: () => {},
      setCapped: () => {},
    };
    db.prepare("INSERT INTO modems (id, created_at, updated_at) VALUES (?, 0, 0)").run(modem.id);
    const opts = { defaultCountry: "FR", knownModem: () => true };
    const add = (to: string) =>
      enqueueMessage(store, { encodeSubmit }, { to, text: "hello", category: "transactional" }, opts);
    const first = add("+33612345678");
    const second = add("+33612345679");

    const wait = await new ModemWorker(modem, ctx).step();

    expect(wait).toBe(1000);
    expect(modem.sent).toHaveLength(1);
    const status = (id: string) =>
      db.prepare("SELECT status, lease_owner FROM parts WHERE message_id = ?").get(id) as {
        status: string;
        lease_owner: string | null;
      };
    expect(status(first.id)).toEqual({ status: "sent", lease_owner: null });
    expect(status(second.id)).toEqual({ status: "queued", lease_owner: null });
    db.close();
  });
});
