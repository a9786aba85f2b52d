/** /v1/sim/{modem}/inject: mounted only when simulated modems exist (ARCHITECTURE §2.5). */
import { Hono } from "hono";
import { type AuthVariables, requireScope } from "../auth.js";
import type { SimControl } from "../deps.js";
import { ProblemError } from "../problems.js";
import { jsonBody } from "../request.js";
import { InjectRequest } from "../schemas.js";

export function simRoutes(sim: SimControl) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.post("/:modem/inject", requireScope("admin"), async (c) => {
    const modem = c.req.param("modem");
    if (!sim.modems().includes(modem))
      throw new ProblemError("not-found", "No simulated modem with this name");
    const body = await jsonBody(c, InjectRequest);
    return c.json(await sim.inject(modem, body), 202);
  });
  return app;
}
