/**
 * Refuses a request whose raw request-target has a `.` or `..` path segment. The URL parser
 * resolves dot segments (RFC 3986 §5.2.4; WHATWG URL also treats `%2e` as a dot) before hono
 * routes, so `/v1/conversations/../messages` reached the send route while an access rule, a log
 * line or a reverse-proxy rule written for `/v1/conversations/*` saw a conversation path. No client
 * of this API needs a dot segment: the request is refused (400) rather than resolved.
 *
 * `%2f` and `%5c` count as separators for the check: hono leaves `%2f` encoded when routing, but a
 * reverse proxy that decodes it (nginx's $uri does) would see `/conversations/../messages`.
 * Double encoding (`%252e`) is not a dot to either the URL parser or hono, so it routes as the
 * literal segment it is.
 */
import type { MiddlewareHandler } from "hono";
import { redactPath, redactRawPath } from "./log-path.js";
import { problemResponse } from "./problems.js";

/** The path of a request-target in origin-form or absolute-form (RFC 9112 §3.2), without query. */
export function targetPath(target: string): string {
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  const rest = abs ? target.slice(abs[0].length) : target;
  const end = rest.search(/[?#]/);
  return end === -1 ? rest : rest.slice(0, end);
}

export function hasDotSegment(target: string): boolean {
  const path = targetPath(target)
    .replace(/%2e/gi, ".")
    .replace(/%2f|%5c|\\/gi, "/");
  return path.split("/").some((s) => s === "." || s === "..");
}

export type DotSegmentVariables = {
  /** Set on a refused request: its redacted raw path for the access log (the resolved one misleads). */
  logPath?: string;
};

export function refuseDotSegments(): MiddlewareHandler<{ Variables: DotSegmentVariables }> {
  return async (c, next) => {
    // @hono/node-server passes the Node request as env.incoming; its url is the request-target as
    // received. Without a socket (app.request in tests) only the parsed URL is left, where `..`
    // is already resolved but `%2f..%2f` is not.
    const incoming = (c.env as { incoming?: { url?: string } } | undefined)?.incoming;
    const target = incoming?.url ?? c.req.url;
    if (!hasDotSegment(target)) return next();
    c.set("logPath", redactRawPath(redactPath(targetPath(target))));
    return problemResponse(
      "dot-segment",
      "The request path has a '.' or '..' segment (RFC 3986 §3.3); send the path it stands for",
    );
  };
}
