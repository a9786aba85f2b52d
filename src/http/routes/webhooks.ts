/** /v1/webhooks and /v1/webhook-deliveries: endpoint health, dead letters, replay (admin). */
import { Hono } from "hono";
import { type AuthVariables, requireScope } from "../auth.js";
import type { WebhookDeliveryView, WebhookEndpointView, WebhooksAdmin } from "../deps.js";
import { ProblemError } from "../problems.js";
import { queryObject, toIso, validate } from "../request.js";
import { ListDeliveriesQuery } from "../schemas-admin.js";

const endpointJson = (e: WebhookEndpointView) => ({
  ...e,
  health: {
    ...e.health,
    lastSuccessAt: toIso(e.health.lastSuccessAt),
    lastFailureAt: toIso(e.health.lastFailureAt),
  },
});

const deliveryJson = (d: WebhookDeliveryView) => ({
  ...d,
  nextAttemptAt: toIso(d.nextAttemptAt),
  createdAt: toIso(d.createdAt),
  deliveredAt: toIso(d.deliveredAt),
});

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function webhooksRoutes(admin: WebhooksAdmin) {
  const app = new Hono<{ Variables: AuthVariables }>();
  const adminOnly = requireScope("admin");

  app.get("/webhooks", adminOnly, (c) => c.json({ items: admin.endpoints().map(endpointJson) }));

  app.post("/webhooks/:id/replay", adminOnly, (c) => {
    const id = c.req.param("id");
    const n = ID_RE.test(id) ? admin.replayEndpoint(id) : undefined;
    if (n === undefined) throw new ProblemError("not-found", "No webhook endpoint with this id");
    return c.json({ replayed: n });
  });

  app.post("/webhooks/:id/enable", adminOnly, (c) => {
    const id = c.req.param("id");
    if (!ID_RE.test(id) || !admin.enableEndpoint(id)) {
      throw new ProblemError("not-found", "No webhook endpoint with this id");
    }
    const ep = admin.endpoints().find((e) => e.id === id);
    return c.json(ep ? endpointJson(ep) : { id });
  });

  app.get("/webhook-deliveries", adminOnly, (c) => {
    const q = validate(ListDeliveriesQuery, queryObject(c));
    return c.json({ items: admin.deliveries(q).map(deliveryJson) });
  });

  app.post("/webhook-deliveries/:id/replay", adminOnly, (c) => {
    const raw = c.req.param("id");
    const id = /^[0-9]{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
    const r = Number.isSafeInteger(id) ? admin.replayDelivery(id) : "not-found";
    if (r === "not-found") throw new ProblemError("not-found", "No webhook delivery with this id");
    if (r === "not-dead") throw new ProblemError("conflict", "Only dead-lettered deliveries can be replayed");
    return c.json({ replayed: 1 });
  });

  return app;
}
