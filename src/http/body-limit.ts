/**
 * Request body limit. With a Content-Length (and no Transfer-Encoding) the header decides, and the
 * body is not touched here: Node's parser guarantees the body is exactly that long (RFC 9112
 * §6.3), and leaving it alone lets @hono/node-server read it on its fast path instead of building
 * a web ReadableStream (measured: bench/http.ts). Chunked bodies are counted as they stream, by
 * hono's own middleware.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit as streamingLimit } from "hono/body-limit";
import { problemResponse } from "./problems.js";

export function bodyLimit({ maxBytes }: { maxBytes: number }): MiddlewareHandler {
  const tooLarge = () => problemResponse("payload-too-large", `The body exceeds ${maxBytes} bytes`);
  const streaming = streamingLimit({ maxSize: maxBytes, onError: tooLarge });
  return async function bodyLimit(c, next) {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      return Number(length) > maxBytes ? tooLarge() : next();
    }
    return streaming(c, next);
  };
}
