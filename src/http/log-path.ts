/**
 * The path the access log and error reports carry. Logs never carry a phone number unless
 * configured otherwise (ecosystem §4, log redaction), and /v1/contacts/{e164} puts one in the path.
 */
import type { Context } from "hono";
import { matchedRoutes } from "hono/route";

/** /v1/contacts/{e164}: logs get the route's shape instead of the number. */
export function redactPath(path: string): string {
  return path.replace(/^(\/v1\/contacts\/)[^/]+/, "$1{e164}");
}

/**
 * Kept as they are in a path no route matched: letters, hyphens, dots and the escapes the
 * dot-segment check decodes (`%2e`, `%2f`, `%5c`), an API version such as `v1`, or a placeholder
 * redactPath already put (`{e164}`). None can carry a phone number or an id.
 */
const KEPT_SEGMENT = /^(?:(?:[a-z.-]|%2[ef]|%5c)+|v\d+|\{[a-z0-9]+\})$/i;

/**
 * A path no route matched (a 404, a 401 before it, a refused dot segment) has no route shape for
 * redactPath to know: `/v1/contact/+33…` (a typo) or `/v1/contacts/x/../+33…` would log the
 * number. Every segment that is not a KEPT_SEGMENT becomes `{segment}`.
 */
export function redactRawPath(path: string): string {
  return path
    .split("/")
    .map((s) => (s === "" || KEPT_SEGMENT.test(s) ? s : "{segment}"))
    .join("/");
}

/** `use` middleware registers as method "ALL", endpoints under their own method. */
export function accessLogPath(c: Context): string {
  const routed = matchedRoutes(c).some((r) => r.method !== "ALL");
  return routed ? redactPath(c.req.path) : redactRawPath(redactPath(c.req.path));
}
