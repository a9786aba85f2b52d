/**
 * TCP transport: a modem served by ser2net or `socat tcp-listen:…,fork /dev/ttyUSB2` as raw bytes
 * (no RFC 2217 negotiation). A peer that ends or resets the connection is reported as "unplugged",
 * the same as a pulled USB stick, so the supervisor's reconnect path is the same.
 */
import { connect, type Socket } from "node:net";
import { isGoneError, TransportError } from "./errors.js";
import { SingleUse } from "./single-use.js";
import type { Transport, TransportClosed, TransportFactory } from "./types.js";

export interface TcpTransportOptions {
  /** Connect timeout, default 5000 ms. */
  readonly connectTimeoutMs?: number;
}

/** Parses "tcp://host:port" (IPv6 as "tcp://[::1]:4001"); throws TransportError on anything else. */
export function parseTcpUrl(url: string): { host: string; port: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new TransportError(`invalid tcp URL "${url}": expected tcp://host:port`, "invalid-url", url, {
      cause,
    });
  }
  const port = Number(parsed.port);
  if (parsed.protocol !== "tcp:" || !parsed.hostname || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TransportError(`invalid tcp URL "${url}": expected tcp://host:port`, "invalid-url", url);
  }
  return { host: parsed.hostname.replace(/^\[|\]$/g, ""), port };
}

class TcpTransport implements Transport {
  readonly #state: SingleUse;
  readonly #socket: Socket;
  #closing = false;

  constructor(socket: Socket, description: string) {
    this.#socket = socket;
    this.#state = new SingleUse(description);
    socket.on("data", (chunk: Buffer) =>
      this.#state.deliver(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)),
    );
    socket.on("end", () => this.#end({ reason: "unplugged" }));
    socket.on("error", (error) => this.#end({ reason: isGoneError(error) ? "unplugged" : "error", error }));
    socket.on("close", () => this.#end(this.#closing ? { reason: "local" } : { reason: "unplugged" }));
  }

  get description(): string {
    return this.#state.description;
  }

  get closed(): Promise<TransportClosed> {
    return this.#state.closed;
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.#state.onData(listener);
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#state.assertOpen();
      this.#socket.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#end({ reason: "local" });
  }

  #end(closed: TransportClosed): void {
    if (!this.#state.end(closed)) return;
    this.#closing = true;
    this.#socket.destroy();
  }
}

export function openTcpTransport(url: string, options: TcpTransportOptions = {}): Promise<Transport> {
  const { host, port } = parseTcpUrl(url);
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (message: string, cause?: unknown) => {
      socket.destroy();
      reject(new TransportError(`cannot connect to ${url}: ${message}`, "connect-failed", url, { cause }));
    };
    const timer = setTimeout(() => fail(`no connection within ${timeoutMs} ms`), timeoutMs);
    socket.once("error", (error) => {
      clearTimeout(timer);
      fail(error.message, error);
    });
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      resolve(new TcpTransport(socket, url));
    });
  });
}

export function tcpTransportFactory(url: string, options: TcpTransportOptions = {}): TransportFactory {
  parseTcpUrl(url);
  return () => openTcpTransport(url, options);
}
