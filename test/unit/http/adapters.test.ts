import { describe, expect, it } from "vitest";
import { type Engine, EngineError } from "../../../src/engine/index.js";
import { engineMessages } from "../../../src/http/adapters.js";
import { ServiceError } from "../../../src/http/deps.js";

function engineThrowing(err: unknown, seen: unknown[] = []): Engine {
  return {
    enqueue: (req: unknown) => {
      seen.push(req);
      throw err;
    },
  } as unknown as Engine;
}

const msg = { to: "+33612345678", text: "hi" };

describe("engine error mapping", () => {
  it("maps every engine refusal to a ServiceError (a 4xx), and lets real faults through", async () => {
    const cases: [unknown, string, string | undefined][] = [
      [new EngineError("bad number", "invalid_number"), "invalid", "to"],
      [new EngineError("bad time", "invalid_request", { field: "sendAt" }), "invalid", "sendAt"],
      [new EngineError("key reused", "idempotency_conflict"), "conflict", undefined],
      [new EngineError("recipient opted out", "opted_out" as never), "opted_out", "to"],
      [new EngineError("something new", "brand_new_refusal" as never), "invalid", undefined],
    ];
    for (const [err, code, field] of cases) {
      const e = await engineMessages(engineThrowing(err))
        .enqueue(msg)
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ServiceError);
      expect((e as ServiceError).code).toBe(code);
      expect((e as ServiceError).field).toBe(field);
    }
    const disk = new Error("SQLITE_IOERR");
    await expect(engineMessages(engineThrowing(disk)).enqueue(msg)).rejects.toBe(disk);
  });

  it("pins by configured name, and an unknown name is a 422 on modem before reaching the engine", async () => {
    const seen: unknown[] = [];
    const names = {
      nameOf: (id: string) => id.replace("imei:1", "gsm1"),
      idOf: (n: string) => (n === "gsm1" ? "imei:1" : undefined),
    };
    const svc = engineMessages(engineThrowing(new EngineError("x", "invalid_request"), seen), names);
    await svc.enqueue({ ...msg, modem: "gsm1" }).catch(() => undefined);
    expect(seen).toEqual([{ to: msg.to, text: msg.text, category: "transactional", modem: "imei:1" }]);
    const e = await svc.enqueue({ ...msg, modem: "gsm9" }).catch((x: unknown) => x);
    expect((e as ServiceError).field).toBe("modem");
    expect(seen).toHaveLength(1);
  });
});
