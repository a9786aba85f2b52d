import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/index.js";
import type { SendOutcome } from "../../src/modem/types.js";
import { FakeModem, ManualClock } from "../helpers/engine-fakes.js";
import { A, setupEngine } from "../helpers/engine-setup.js";

const ID = "imei:350000000000000";
const MEFailure: SendOutcome = {
  kind: "rejected",
  code: 300,
  category: "modem-fault",
  text: "+CMS ERROR: 300",
};
const config = { failureMinSamples: 3 };

let dir = "";
let running: Engine | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "smsgw-auto-"));
});
afterEach(async () => {
  await running?.stop();
  running = null;
  rmSync(dir, { recursive: true, force: true });
});

const enabled = (e: Engine) => e.listModems().find((m) => m.id === ID)?.enabled;

/** A first daemon whose modem the failure window disables; stopped (DB closed) before it comes back. */
async function disabledThenStopped(db: string): Promise<number> {
  const { engine, clock, modems } = setupEngine({ db, config });
  running = engine;
  modems[0]!.script.push(MEFailure, MEFailure, MEFailure);
  for (let i = 0; i < 3; i++) engine.enqueue({ to: A, text: `m${i}`, category: "transactional" });
  await clock.advance(10_000);
  expect(engine.listModems().find((m) => m.id === ID)).toMatchObject({
    enabled: false,
    disabledReason: expect.stringMatching(/failure rate/),
  });
  await engine.stop();
  running = null;
  return clock.now();
}

/** The next daemon on the same file, one minute later, its modem attached again and ready. */
function restarted(db: string, at: number) {
  const clock = new ManualClock(at + 60_000);
  const { engine } = setupEngine({ db, config, clock, modems: 0, start: false });
  running = engine;
  engine.addModem(new FakeModem(ID, clock));
  engine.start();
  return { engine, clock };
}

describe("automatic disable across a restart", () => {
  it("a modem the failure window disabled stayed disabled after a restart", async () => {
    const db = join(dir, "gateway.db");
    const { engine, clock } = restarted(db, await disabledThenStopped(db));
    const back: string[] = [];
    engine.bus.on("modem.enabled", (e) => back.push(e.id));
    await clock.advance(3 * 60_000); // four minutes after the disable: still cooling down
    expect(enabled(engine)).toBe(false);
    await clock.advance(2 * 60_000); // past the five-minute cool-down
    expect(enabled(engine)).toBe(true);
    expect(back).toEqual([ID]);
    expect(engine.listModems().find((m) => m.id === ID)?.disabledReason).toBeNull();
  });

  it("a cool-down that ended while the daemon was down re-enables the modem once it is attached", async () => {
    const db = join(dir, "gateway.db");
    const at = await disabledThenStopped(db);
    const { engine, clock } = restarted(db, at + 10 * 60_000);
    await clock.advance(1);
    expect(enabled(engine)).toBe(true);
  });

  it("a modem an operator disabled stays disabled across a restart", async () => {
    const db = join(dir, "gateway.db");
    const first = setupEngine({ db, config });
    running = first.engine;
    first.modems[0]!.script.push(MEFailure, MEFailure, MEFailure);
    for (let i = 0; i < 3; i++) first.engine.enqueue({ to: A, text: `m${i}`, category: "transactional" });
    await first.clock.advance(10_000);
    expect(enabled(first.engine)).toBe(false);
    first.engine.disableModem(ID, "maintenance");
    await first.engine.stop();
    running = null;
    const { engine, clock } = restarted(db, first.clock.now());
    await clock.advance(2 * 60 * 60_000);
    expect(engine.listModems().find((m) => m.id === ID)).toMatchObject({ enabled: false });
  });

  it("an operator's disable after a restart cancels the cool-down taken up from the database", async () => {
    const db = join(dir, "gateway.db");
    const { engine, clock } = restarted(db, await disabledThenStopped(db));
    engine.disableModem(ID, "maintenance");
    await clock.advance(2 * 60 * 60_000);
    expect(engine.listModems().find((m) => m.id === ID)).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/failure rate/),
    });
  });
});
