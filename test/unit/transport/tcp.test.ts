import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { TransportError } from "../../../src/transport/errors.js";
import { openTcpTransport } from "../../../src/transport/tcp.js";

let server: Server | undefined;

/** A ser2net stand-in on 127.0.0.1: hands each accepted socket to the test. */
async function listen(): Promise<{ url: string; accepted: Promise<Socket> }> {
  let resolve!: (s: Socket) => void;
  const accepted = new Promise<Socket>((r) => {
    resolve = r;
  });
  server = createServer((s) => resolve(s));
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { url: `tcp://127.0.0.1:${address.port}`, accepted };
}

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

describe("tcp transport", () => {
  it("moves bytes both ways", async () => {
    const { url, accepted } = await listen();
    const t = await openTcpTransport(url);
    const peer = await accepted;
    const got: string[] = [];
    t.onData((c) => got.push(Buffer.from(c).toString("latin1")));
    const fromUs = new Promise<string>((r) => peer.once("data", (d) => r(d.toString("latin1"))));
    await t.write(new TextEncoder().encode("AT\r"));
    expect(await fromUs).toBe("AT\r");
    peer.write("\r\nOK\r\n");
    await expect.poll(() => got.join("")).toBe("\r\nOK\r\n");
    expect(t.description).toBe(url);
    await t.close();
    expect(await t.closed).toEqual({ reason: "local" });
  });

  it("reports the peer ending the connection as unplugged, then rejects writes", async () => {
    const { url, accepted } = await listen();
    const t = await openTcpTransport(url);
    (await accepted).end();
    expect((await t.closed).reason).toBe("unplugged");
    await expect(t.write(new Uint8Array([0x41]))).rejects.toThrow(/write after close/);
  });

  it("fails to connect with a TransportError naming the URL", async () => {
    const { url } = await listen();
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    const e = await openTcpTransport(url).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(TransportError);
    expect((e as TransportError).code).toBe("connect-failed");
    expect((e as Error).message).toContain(`cannot connect to ${url}`);
  });
});
