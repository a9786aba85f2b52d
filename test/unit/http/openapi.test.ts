import { describe, expect, it } from "vitest";
import { PROBLEM_BASE, PROBLEM_TYPES } from "../../../src/http/problems.js";
import { SendMessageRequest } from "../../../src/http/schemas.js";
import { harness } from "./harness.js";

type Doc = {
  openapi: string;
  info: { version: string; description: string };
  paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refs(n, out);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe("/openapi.json", () => {
  it("is OpenAPI 3.1 whose components come from the validating zod schemas", async () => {
    const { call } = harness();
    const doc = (await (await call("GET", "/openapi.json", { key: null })).json()) as Doc;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe("1.2.3");
    const send = doc.components.schemas.SendMessageRequest!;
    expect(send.required).toEqual(["to", "text"]);
    expect(Object.keys(send.properties as object).sort()).toEqual(
      Object.keys(SendMessageRequest.shape).sort(),
    );
    expect(send.additionalProperties).toBe(false);
    expect(doc.components.schemas.BatchRequest).toMatchObject({
      properties: {
        messages: { maxItems: 1000, items: { $ref: "#/components/schemas/SendMessageRequest" } },
      },
    });
    for (const r of refs(doc))
      expect(doc.components.schemas[r.replace("#/components/schemas/", "")], r).toBeDefined();
    for (const t of Object.keys(PROBLEM_TYPES)) expect(doc.info.description).toContain(PROBLEM_BASE + t);
  });

  it("documents exactly routes that exist (each one answers with something other than 'no route')", async () => {
    const { call } = harness();
    const doc = (await (await call("GET", "/openapi.json")).json()) as Doc;
    const ops = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.keys(item).map((m) => [m, p] as const),
    );
    expect(ops.length).toBeGreaterThanOrEqual(20);
    for (const [method, path] of ops) {
      const url = path.replace("{id}", "1").replace("{modem}", "gsm1");
      const res = await call(method.toUpperCase(), url, method === "post" ? { body: {} } : {});
      const body = await res.text();
      expect(body, `${method} ${path}`).not.toContain("No route for");
    }
  });

  it("omits the sim route when no simulated modem exists", async () => {
    const { call } = harness({ deps: { sim: undefined } });
    const doc = (await (await call("GET", "/openapi.json")).json()) as Doc;
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/v1/sim"))).toBe(false);
  });
});

describe("/docs", () => {
  it("is a self-contained HTML page (no external scripts or styles) that loads openapi.json", async () => {
    const { call } = harness();
    const res = await call("GET", "/docs", { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('fetch("openapi.json")');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!smsgw)/);
  });
});
