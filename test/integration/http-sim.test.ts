/**
 * End to end over a socket: createHttpStack on the real engine, AT channel and modem driver, each
 * modem a simulated one on a shared fake network (test/helpers/engine-sim.ts).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { generateApiKey } from "../../src/http/auth.js";
import { createHttpStack, type HttpStack } from "../../src/http/stack.js";
import { generateWebhookSecret } from "../../src/webhooks/signing.js";
import { type Fleet, startFleet, until } from "../helpers/engine-sim.js";

let fleet: Fleet | undefined;
let stack: HttpStack | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await stack?.stop();
  await fleet?.stop();
  receiver?.closeAllConnections();
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
  fleet = stack = receiver = undefined;
});

describe("HTTP stack on simulated modems", () => {
  it("sends, delivers, receives an injected SMS and signs the webhooks, all through the API", async () => {
    const secret = generateWebhookSecret();
    const hooks: { type: string; ok: boolean }[] = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString();
        let ok = true;
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>);
        } catch {
          ok = false;
        }
        hooks.push({ type: (JSON.parse(body) as { type: string }).type, ok });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver!.listen(0, "127.0.0.1", r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sms`;

    fleet = await startFleet(2);
    const [a, b] = fleet.members;
    const byName = new Map(fleet.members.map((m, i) => [`sim${i}`, m]));
    const nameOf = (id: string) => [...byName].find(([, m]) => m.modem.id === id)?.[0] ?? id;
    const key = generateApiKey();
    stack = createHttpStack({
      engine: fleet.engine,
      apiKeys: [{ name: "ops", key, scopes: ["admin"] }],
      webhooks: [
        {
          url: hookUrl,
          secret,
          events: ["message.delivered", "message.received"],
          timeout_seconds: 5,
          enabled: true,
        },
      ],
      listen: "127.0.0.1:0",
      modems: {
        names: {
          nameOf,
          idOf: (n) =>
            byName.get(n)?.modem.id ?? [...byName.values()].find((m) => m.modem.id === n)?.modem.id,
        },
        live: (id) => fleet?.members.find((m) => m.modem.id === id)?.modem,
        simulated: () => true,
      },
      sims: new Map([...byName].map(([n, m]) => [n, m.sim])),
    });
    for (const [n, m] of byName) stack.attachModem(n, m.modem);
    const srv = await stack.start();
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${srv.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });

    expect((await fetch(`${srv.url}/readyz`)).status).toBe(200);
    const modems = (await (await api("GET", "/v1/modems")).json()) as {
      items: { name: string; state: string }[];
    };
    expect(modems.items.map((m) => [m.name, m.state]).sort()).toEqual([
      ["sim0", "ready"],
      ["sim1", "ready"],
    ]);

    const sent = await api("POST", "/v1/messages", {
      to: b!.sim.msisdn,
      text: "hello over HTTP",
      modem: "sim0",
      statusReport: true,
    });
    expect(sent.status).toBe(202);
    const { id } = (await sent.json()) as { id: string };
    await until(() => fleet!.engine.getMessage(id)?.status === "delivered", 25_000, "delivered");
    const msg = (await (await api("GET", `/v1/messages/${id}`)).json()) as {
      status: string;
      parts: { modem: string; mr: number | null }[];
    };
    expect(msg.status).toBe("delivered");
    expect(msg.parts[0]).toMatchObject({ modem: "sim0" });
    expect(msg.parts[0]?.mr).not.toBeNull();

    const inj = await api("POST", "/v1/sim/sim1/inject", {
      kind: "inbound",
      from: "+33699999999",
      text: "STOP",
    });
    expect(inj.status).toBe(202);
    await until(
      () => fleet!.engine.listMessages({ direction: "inbound" }).items.some((m) => m.text === "STOP"),
      25_000,
      "inbound STOP",
    );
    const inbound = (await (
      await api("GET", "/v1/messages?direction=inbound&contact=%2B33699999999")
    ).json()) as {
      items: { text: string; modem: string }[];
    };
    expect(inbound.items).toMatchObject([{ text: "STOP", modem: "sim1" }]);

    await until(
      () =>
        hooks.some((h) => h.type === "message.delivered") && hooks.some((h) => h.type === "message.received"),
      25_000,
      "webhooks",
    );
    expect(hooks.every((h) => h.ok)).toBe(true);
    expect(hooks.every((h) => h.type === "message.delivered" || h.type === "message.received")).toBe(true);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    expect(metrics).toMatch(
      /smsgw_message_status_changes_total\{direction="outbound",status="delivered",modem="sim0"\} 1/,
    );
    expect(metrics).not.toContain(a!.sim.msisdn.slice(1));
    expect(metrics).toMatch(/smsgw_parts_sent_total\{modem="sim0"\} 1\b/);
    const delivered = /smsgw_webhook_delivered_total\{endpoint="127-0-0-1-[0-9a-f]{8}"\} (\d+)/.exec(metrics);
    expect(Number(delivered?.[1])).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
