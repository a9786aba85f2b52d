/**
 * The dot-segment check on its own, and through app.request where there is no raw
 * request-target (the socket cases are in test/integration/http-dot-segments.test.ts).
 */
import { describe, expect, it } from "vitest";
import { hasDotSegment, targetPath } from "../../../src/http/dot-segments.js";
import { redactRawPath } from "../../../src/http/log-path.js";
import { PROBLEM_BASE } from "../../../src/http/problems.js";
import { harness } from "./harness.js";

describe("hasDotSegment", () => {
  it.each([
    "/v1/conversations/../messages",
    "/v1/conversations/%2E%2e/messages",
    "/v1/conversations%2F..%2fmessages",
    "/v1/conversations%5c..%5cmessages",
    "/v1/./messages",
    "/v1/messages/.",
    "/..",
    "https://gw.example/v1/conversations/../messages?x=1",
  ])("finds one in %s", (t) => {
    expect(hasDotSegment(t)).toBe(true);
  });

  it.each([
    "/v1/messages",
    "/v1/messages/a..b",
    "/v1/messages/...",
    "/v1/messages/.well",
    "/v1/messages/%252e%252e",
    "/v1/messages?next=/../x",
    "/v1/messages#/../x",
    "http://../v1/messages",
  ])("finds none in %s", (t) => {
    expect(hasDotSegment(t)).toBe(false);
  });
});

describe("the refused path in the access log", () => {
  it("strips the scheme, authority and query", () => {
    expect(targetPath("http://h:1/v1/a/../b?c=%2B336")).toBe("/v1/a/../b");
    expect(targetPath("/v1/a/../b#x")).toBe("/v1/a/../b");
  });

  it("keeps route words and dots, and redacts any segment that could carry a number or a name", () => {
    expect(redactRawPath("/v1/conversations/../messages")).toBe("/v1/conversations/../messages");
    expect(redactRawPath("/v1/conversations%2F..%2fmessages")).toBe("/v1/conversations%2F..%2fmessages");
    expect(redactRawPath("/v1/contacts/%2B33612345678/../x")).toBe("/v1/contacts/{segment}/../x");
    expect(redactRawPath("/v1/contacts/0612345678/%2e%2e")).toBe("/v1/contacts/{segment}/%2e%2e");
    expect(redactRawPath("/v1/messages/msg_1/..")).toBe("/v1/messages/{segment}/..");
  });
});

describe("without a socket", () => {
  it("an encoded-slash dot segment, which the URL parser leaves alone, is refused before authentication", async () => {
    const { call, messages } = harness();
    const res = await call("POST", "/v1/conversations%2f..%2fmessages", {
      key: null,
      body: { to: "+33612345678", text: "x" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ type: `${PROBLEM_BASE}dot-segment`, status: 400 });
    expect(messages.enqueued).toEqual([]);
  });
});
