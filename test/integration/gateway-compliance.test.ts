import { afterEach, describe, expect, it } from "vitest";
import { recordConsent, suppressionOf } from "../../src/conversation/consent.js";
import type { Gateway } from "../../src/gateway.js";
import { PROBLEM_BASE } from "../../src/http/problems.js";
import { poll } from "../process/daemon.js";
import { startSimGateway } from "../support/sim-gateway.js";

const KEY = "smsgw_compliance-test-key";
const CUSTOMER = "+33699999901";
const PROSPECT = "+33699999902";
let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

function start(): Promise<{ g: Gateway; url: string }> {
  return startSimGateway({
    keyName: "shop",
    key: KEY,
    ready: 1,
    onCreated: (g) => {
      gw = g;
    },
    toml: `[business]
name = "Demo Shop"
[compliance.marketing_cap]
max = 1
per_days = 30
[[modems]]
id = "sim1"
port = "sim://generic?seed=1&booted=1"
[sim.numbers]
sim1 = "+33612345601"
`,
  });
}

const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });

async function inbound(g: Gateway, url: string, from: string, text: string, suppressed: boolean) {
  const r = await post(url, "/v1/sim/sim1/inject", { kind: "inbound", from, text });
  expect(r.status).toBe(202);
  await poll(
    async () =>
      (suppressionOf({ db: g.engine.db, at: Date.now() }, from) !== undefined) === suppressed
        ? true
        : undefined,
    15_000,
    `${text} applied`,
  );
}

describe("API sends through the compliance layer", () => {
  it("refuses a contact who replied STOP (403 recipient-opted-out, also per batch item) until START", async () => {
    const { g, url } = await start();
    expect((await post(url, "/v1/messages", { to: CUSTOMER, text: "Votre commande est prête" })).status).toBe(
      202,
    );

    await inbound(g, url, CUSTOMER, "STOP", true);
    const refused = await post(url, "/v1/messages", { to: CUSTOMER, text: "Votre colis arrive" });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ type: `${PROBLEM_BASE}recipient-opted-out`, status: 403 });

    const batch = await post(url, "/v1/messages/batch", {
      messages: [
        { to: CUSTOMER, text: "un" },
        { to: PROSPECT, text: "deux" },
      ],
    });
    const out = (await batch.json()) as {
      accepted: number;
      results: { ok: boolean; problem?: { type: string } }[];
    };
    expect(out.accepted).toBe(1);
    expect(out.results[0]).toMatchObject({
      ok: false,
      problem: { type: `${PROBLEM_BASE}recipient-opted-out` },
    });
    expect(out.results[1]).toMatchObject({ ok: true });

    await inbound(g, url, CUSTOMER, "START", false);
    expect((await post(url, "/v1/messages", { to: CUSTOMER, text: "Votre colis arrive" })).status).toBe(202);
  }, 30_000);

  it("refuses marketing without consent (403 consent-missing), then over the cap (429 frequency-cap)", async () => {
    const { g, url } = await start();
    const promo = { to: PROSPECT, text: "Soldes -20% ce week-end", category: "marketing" };
    const noConsent = await post(url, "/v1/messages", promo);
    expect(noConsent.status).toBe(403);
    expect(await noConsent.json()).toMatchObject({ type: `${PROBLEM_BASE}consent-missing` });
    expect(g.engine.listMessages({ direction: "outbound", contact: PROSPECT }).items).toHaveLength(0);

    recordConsent(
      { db: g.engine.db, at: Date.now() },
      { contact: PROSPECT, purpose: "marketing", status: "granted", basis: "opt-in", source: "web-form" },
    );
    const ok = await post(url, "/v1/messages", promo);
    expect(ok.status).toBe(202);
    const { id } = (await ok.json()) as { id: string };
    // Queued now or scheduled into the sending window, depending on the hour: accepted either way,
    // with the advertiser and the way to object appended (CPCE L34-5).
    expect(g.engine.getMessage(id)?.text).toBe(
      `${promo.text}\nDemo Shop : répondez STOP pour ne plus recevoir de SMS.`,
    );

    const capped = await post(url, "/v1/messages", promo);
    expect(capped.status).toBe(429);
    expect(await capped.json()).toMatchObject({ type: `${PROBLEM_BASE}frequency-cap`, status: 429 });
  }, 30_000);
});

describe("contacts API as the daemon mounts it", () => {
  it("records consent over /v1/contacts so marketing passes, then erases the contact and keeps no trace of the number", async () => {
    const { g, url } = await start();
    const path = `/v1/contacts/${encodeURIComponent(PROSPECT)}`;
    const promo = { to: PROSPECT, text: "Soldes -20% ce week-end", category: "marketing" };
    expect((await post(url, "/v1/messages", promo)).status).toBe(403);

    const consent = await post(url, `${path}/consents`, {
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "in-store",
      evidence: { form: "comptoir" },
    });
    expect(consent.status).toBeLessThan(300);
    expect((await post(url, "/v1/messages", promo)).status).toBe(202);

    const exported = await fetch(`${url}${path}/export`, { headers });
    expect(exported.status).toBe(200);
    expect(JSON.stringify(await exported.json())).toContain("in-store");

    // 409 erase-in-flight while the SIM is submitting the promotion: a client retries, as told.
    const erased = await poll(
      async () => {
        const r = await fetch(`${url}${path}`, { method: "DELETE", headers });
        if (r.status === 409) expect(r.headers.get("retry-after")).toBe("5");
        return r.status === 409 ? undefined : r;
      },
      15_000,
      "erasure",
    );
    expect(erased.status).toBe(200);
    expect((await fetch(`${url}${path}`, { headers })).status).toBe(404);
    const rows = g.engine.db
      .prepare("SELECT COUNT(*) AS n FROM messages WHERE to_number = ?")
      .get(PROSPECT) as {
      n: number;
    };
    expect(rows.n).toBe(0);
  }, 30_000);
});
