/**
 * Access logs never carry a phone number: /v1/contacts/{e164} puts one in the path, so the logged
 * path is the route's shape. Other routed paths (message ids) are logged as they are; a path that
 * matched no route keeps only segments that cannot carry a number.
 */
import { describe, expect, it } from "vitest";
import { type AccessLogEntry, redactPath } from "../../../src/http/app.js";
import { harness } from "./harness.js";

describe("access log", () => {
  it("logs /v1/contacts/{e164} instead of the number, for the contact and its sub-resources", async () => {
    const entries: AccessLogEntry[] = [];
    const { app, keys } = harness({ options: { onRequest: (e) => entries.push(e) } });
    for (const p of ["/v1/contacts/%2B33612345678", "/v1/contacts/0612345678/export", "/v1/messages/msg_1"])
      await app.request(p, { headers: { authorization: `Bearer ${keys.admin.key}` } });
    expect(entries.map((e) => e.path)).toEqual([
      "/v1/contacts/{e164}",
      "/v1/contacts/{e164}/export",
      "/v1/messages/msg_1",
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/3361234|061234/);
  });

  it("does not log the number of a path that matched no route, answered 404 or 401", async () => {
    const entries: AccessLogEntry[] = [];
    const { app, keys } = harness({ options: { onRequest: (e) => entries.push(e) } });
    const auth = { authorization: `Bearer ${keys.admin.key}` };
    await app.request("/v1/contact/%2B33612345678", { headers: auth });
    await app.request("/v1//contacts/0612345678", { headers: auth });
    await app.request("/v1/Contacts/+33612345678");
    expect(entries.map((e) => [e.status, e.path])).toEqual([
      [404, "/v1/contact/{segment}"],
      [404, "/v1//contacts/{segment}"],
      [401, "/v1/Contacts/{segment}"],
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/3361234|061234/);
  });

  it("leaves the contact list path alone", () => {
    expect(redactPath("/v1/contacts")).toBe("/v1/contacts");
    expect(redactPath("/v1/contacts?tag=vip")).toBe("/v1/contacts?tag=vip");
  });
});
