/** POST /v1/encoding/preview: how a text will be encoded and split, before sending it (23.038/23.040). */
import { Hono } from "hono";
import type { AuthVariables } from "../auth.js";
import type { SegmentPreviewFn } from "../deps.js";
import { validationProblem } from "../problems.js";
import { jsonBody } from "../request.js";
import { PreviewRequest } from "../schemas.js";

export function encodingRoutes(preview: SegmentPreviewFn) {
  const app = new Hono<{ Variables: AuthVariables }>();
  // Any authenticated key may preview: it reads nothing and sends nothing.
  app.post("/preview", async (c) => {
    const b = await jsonBody(c, PreviewRequest);
    let r: ReturnType<SegmentPreviewFn>;
    try {
      r = preview(b.text, {
        ...(b.smart !== undefined && { smart: b.smart }),
        ...(b.coding !== undefined && { coding: b.coding }),
        ...(b.footer !== undefined && { footer: b.footer }),
      });
    } catch (e) {
      // The codec is pure: whatever it refuses (e.g. coding "gsm7" with a character outside the
      // 23.038 alphabet) is a property of the input, so it is a 422, not a 500.
      throw validationProblem([{ field: "text", message: (e as Error).message }]);
    }
    return c.json({
      coding: r.coding,
      parts: r.parts,
      units: r.units,
      remainingInLastPart: r.remainingInLastPart,
      perPart: r.perPart,
      ucs2Forcers: [...r.ucs2Forcers],
      text: r.text,
    });
  });
  return app;
}
