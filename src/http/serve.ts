/**
 * The only place that opens a socket. Binds 127.0.0.1 by default: the API is for the local
 * machine unless the operator deliberately exposes it (behind a TLS reverse proxy).
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { App } from "./app.js";

export interface ServeOptions {
  /** Default "127.0.0.1". */
  readonly hostname?: string;
  /** Default 8080; 0 picks a free port (tests). */
  readonly port?: number;
  /** Grace period for in-flight requests on close, default 5000 ms. */
  readonly closeTimeoutMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, waits for in-flight requests up to the grace period. */
  close(): Promise<void>;
}

export function serveApp(app: App, opts: ServeOptions = {}): Promise<RunningServer> {
  const hostname = opts.hostname ?? "127.0.0.1";
  let closing: Promise<void> | undefined;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port: opts.port ?? 8080 }, (info: AddressInfo) => {
      const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        // Idempotent: the composition root may close the socket early in its shutdown and the
        // stack closes it again in stop().
        close: () =>
          (closing ??= new Promise<void>((done) => {
            const t = setTimeout(() => {
              if ("closeAllConnections" in server) server.closeAllConnections();
            }, opts.closeTimeoutMs ?? 5000);
            server.close(() => {
              clearTimeout(t);
              done();
            });
            if ("closeIdleConnections" in server) server.closeIdleConnections();
          })),
      });
    });
    server.once("error", reject);
  });
}
