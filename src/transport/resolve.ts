/**
 * Port URL → TransportFactory (zwave-js bindings/node.ts routes "tcp://" the same way):
 *   "/dev/ttyUSB2", "/dev/serial/by-id/usb-…"  serial (any absolute path, so socat links work too)
 *   "tcp://host:port"                          ser2net / socat, raw TCP
 *   "sim://persona?seed=N"                     the in-process simulator, injected by the caller
 * Resolving checks the URL's shape only; opening happens when the factory is called.
 */
import { TransportError } from "./errors.js";
import { listPorts } from "./list.js";
import { type SerialTransportOptions, serialTransportFactory } from "./serial.js";
import { type TcpTransportOptions, tcpTransportFactory } from "./tcp.js";
import type { PortInfo, Transport, TransportFactory } from "./types.js";

export interface SimSpec {
  /** "sim800" in "sim://sim800?seed=1". */
  readonly persona: string;
  /** PRNG seed, default 1. */
  readonly seed: number;
  /** Every query parameter, for simulator options beyond the seed. */
  readonly params: URLSearchParams;
  readonly url: string;
}

export interface ResolveDeps {
  /** Builds a simulator transport; lives in src/sim and is injected by the composition root. */
  readonly sim?: (spec: SimSpec) => Promise<Transport> | Transport;
  readonly serial?: SerialTransportOptions;
  readonly tcp?: TcpTransportOptions;
}

const EXPECTED = "expected /dev/… (serial), tcp://host:port or sim://persona?seed=N";

export function resolveTransport(url: string, deps: ResolveDeps = {}): TransportFactory {
  const trimmed = url.trim();
  if (trimmed.startsWith("/")) return serialTransportFactory(trimmed, deps.serial);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === "tcp") return tcpTransportFactory(trimmed, deps.tcp);
  if (scheme === "sim") {
    const spec = parseSimUrl(trimmed);
    const sim = deps.sim;
    if (!sim) {
      throw new TransportError(`cannot open "${url}": no simulator is available here`, "invalid-url", url);
    }
    return async () => sim(spec);
  }
  const what = scheme ? `unsupported transport scheme "${scheme}://"` : "not a port path or URL";
  throw new TransportError(`invalid port "${url}": ${what}; ${EXPECTED}`, "invalid-url", url);
}

export function parseSimUrl(url: string): SimSpec {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new TransportError(`invalid sim URL "${url}": ${EXPECTED}`, "invalid-url", url, { cause });
  }
  const persona = parsed.hostname;
  if (parsed.protocol !== "sim:" || !/^[a-z0-9_-]+$/i.test(persona)) {
    throw new TransportError(`invalid sim URL "${url}": expected sim://persona?seed=N`, "invalid-url", url);
  }
  const rawSeed = parsed.searchParams.get("seed");
  const seed = rawSeed === null ? 1 : Number(rawSeed);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new TransportError(
      `invalid sim URL "${url}": seed must be a non-negative integer`,
      "invalid-url",
      url,
    );
  }
  return { persona: persona.toLowerCase(), seed, params: parsed.searchParams, url };
}

/** The TransportResolver seam of ARCHITECTURE.md §2.3: resolve by URL, list the serial ports. */
export interface TransportResolver {
  resolve(url: string): TransportFactory;
  list(): Promise<PortInfo[]>;
}

export function createTransportResolver(deps: ResolveDeps = {}): TransportResolver {
  return { resolve: (url) => resolveTransport(url, deps), list: () => listPorts() };
}
