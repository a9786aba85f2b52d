import { describe, expect, it } from "vitest";
import { segmentPreview } from "../../../src/pdu/index.js";
import { harness } from "./harness.js";

describe("POST /v1/encoding/preview", () => {
  it("uses the codec's segment preview (GSM-7 vs UCS-2, smart replacement)", async () => {
    const { call } = harness({ deps: { preview: segmentPreview } });
    const gsm = (await (
      await call("POST", "/v1/encoding/preview", { key: "read", body: { text: "a".repeat(161) } })
    ).json()) as Record<string, unknown>;
    expect(gsm).toMatchObject({ coding: "gsm7", parts: 2, perPart: 153 });
    const ucs = (await (
      await call("POST", "/v1/encoding/preview", { key: "send", body: { text: "Hi “there”" } })
    ).json()) as Record<string, unknown>;
    expect(ucs).toMatchObject({ coding: "ucs2", parts: 1, ucs2Forcers: ["“", "”"] });
    const smart = (await (
      await call("POST", "/v1/encoding/preview", { body: { text: "Hi “there”", smart: true } })
    ).json()) as Record<string, unknown>;
    expect(smart).toMatchObject({ coding: "gsm7", text: 'Hi "there"' });
  });

  it("a text the forced coding cannot carry is a 422 on text, not a 500", async () => {
    const { call } = harness({ deps: { preview: segmentPreview } });
    const res = await call("POST", "/v1/encoding/preview", { body: { text: "日本", coding: "gsm7" } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors[0]?.field).toBe("text");
    expect(body.errors[0]?.message).toContain("日");
  });
});
