import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildOpenApi } from "../../../src/http/openapi.js";
import { CONTACT_OPS } from "../../../src/http/openapi-contacts.js";
import { contactsRoutes } from "../../../src/http/routes/contacts.js";
import { apiRegistry } from "../../../src/http/schemas.js";

describe("OpenAPI items of /v1/contacts", () => {
  const doc = buildOpenApi({ version: "t", sim: false, webhooks: false, metrics: false, publicHealth: true });
  const paths = Object.fromEntries(
    Object.entries(doc.paths).filter(([p]) => p.startsWith("/v1/contacts")),
  ) as Record<string, Record<string, unknown>>;
  const { schemas } = z.toJSONSchema(apiRegistry, {
    uri: (id) => `#/components/schemas/${id}`,
    io: "input",
  }) as {
    schemas: Record<string, unknown>;
  };

  it("describes every route the router serves, with its scope", () => {
    const served = contactsRoutes({} as never)
      .routes.map(
        (r) =>
          `${r.method.toLowerCase()} /v1/contacts${r.path === "/" ? "" : r.path.replace(":e164", "{e164}")}`,
      )
      .sort();
    const described = Object.entries(paths)
      .flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${p}`))
      .sort();
    expect(described).toEqual([...new Set(served)]);
    for (const op of CONTACT_OPS) {
      const o = paths[op.path]?.[op.method] as { description: string; responses: Record<string, unknown> };
      expect(o.description).toContain(`\`${op.scope}\``);
      expect(Object.keys(o.responses)).toEqual(expect.arrayContaining(["401", "403", String(op.ok.status)]));
    }
  });

  it("references only registered component schemas", () => {
    const refs = [...JSON.stringify(paths).matchAll(/#\/components\/schemas\/(\w+)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(8);
    for (const r of new Set(refs)) expect(schemas, r).toHaveProperty(r!);
  });
});
