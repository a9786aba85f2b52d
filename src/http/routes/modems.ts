/** /v1/modems: inventory and health (read), enable/disable/reset (admin). */
import { Hono } from "hono";
import { type AuthVariables, requireScope } from "../auth.js";
import type { ModemsService } from "../deps.js";
import { ProblemError } from "../problems.js";
import { modemJson } from "../views.js";

const NAME_RE = /^[A-Za-z0-9_:.-]{1,128}$/;
function checkName(id: string): string {
  if (!NAME_RE.test(id)) throw new ProblemError("not-found", "No modem with this name or id");
  return id;
}

export function modemsRoutes(svc: ModemsService) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.get("/", requireScope("read"), async (c) => c.json({ items: (await svc.list()).map(modemJson) }));
  app.get("/:id", requireScope("read"), async (c) => {
    const m = await svc.get(checkName(c.req.param("id")));
    if (!m) throw new ProblemError("not-found", "No modem with this name or id");
    return c.json(modemJson(m));
  });
  for (const action of ["enable", "disable", "reset"] as const) {
    app.post(`/:id/${action}`, requireScope("admin"), async (c) =>
      c.json(modemJson(await svc[action](checkName(c.req.param("id"))))),
    );
  }
  return app;
}
