/**
 * Experiment, not a transport for production: the pty read and written through Node's own tty
 * streams (libuv uv_tty_t, polled by epoll on the event loop) instead of node-serialport's
 * bindings, whose reads and writes are fs.read/fs.write jobs on the libuv thread pool (a thread
 * hand-off each way, and an EAGAIN error object per empty read). Used by ./client.ts when
 * PROFILE_TRANSPORT=tty, to measure what that hand-off costs per part. No baud rate, no termios
 * beyond raw mode: enough for a pty, not for a USB modem.
 */
import { constants, openSync } from "node:fs";
import { ReadStream, WriteStream } from "node:tty";
import type { Transport, TransportClosed } from "../../src/transport/types.js";

export function openTtyTransport(path: string): Transport {
  const flags = constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK;
  const input = new ReadStream(openSync(path, flags));
  input.setRawMode(true);
  const output = new WriteStream(openSync(path, flags));
  let done: (c: TransportClosed) => void = () => {};
  const closed = new Promise<TransportClosed>((r) => {
    done = r;
  });
  input.on("close", () => done({ reason: "local" }));
  return {
    description: path,
    onData(listener) {
      input.on("data", (b: Buffer) => listener(new Uint8Array(b.buffer, b.byteOffset, b.length)));
    },
    write: (bytes) =>
      new Promise((resolve, reject) => output.write(bytes, (e) => (e ? reject(e) : resolve()))),
    close: async () => {
      input.destroy();
      output.destroy();
      done({ reason: "local" });
    },
    closed,
  };
}
