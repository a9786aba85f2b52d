/**
 * Wraps serialport's platform binding so that end-of-file on a tty is reported as a disconnect.
 *
 * On Linux a tty whose device went away (USB modem pulled, pty master closed) reads 0 bytes (EOF)
 * forever. bindings-cpp's unixRead retries a 0-byte read in a loop, so the stream never emits
 * `close` and the process spins (node-serialport issues #2043 and #2351; esp-rs/espmonitor #12
 * describes the same EOF). With O_NONBLOCK an idle tty reads EAGAIN, never 0, so 0 can only mean
 * hang-up: this read throws a disconnect error, SerialPortStream closes with a DisconnectedError, and
 * the transport reports "unplugged".
 *
 * Only port bindings that expose a unix fd and poller (Linux, macOS) are wrapped; others pass through.
 */
import { read } from "node:fs";
import { promisify } from "node:util";

/** The shape of serialport's `SerialPort.binding` that is used here. */
export interface BindingLike {
  list(): Promise<unknown>;
  open(options: object): Promise<unknown>;
}

interface UnixPort {
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  fd: number | null;
  readonly isOpen: boolean;
  readonly poller: { once(event: "readable", cb: (error?: Error | null) => void): unknown };
}

const readAsync = promisify(read);

function isUnixPort(port: unknown): port is UnixPort {
  const p = port as Partial<UnixPort> | null;
  return typeof p?.fd === "number" && typeof p.poller?.once === "function";
}

const canceled = (message: string) => Object.assign(new Error(message), { canceled: true });

async function eofAwareRead(port: UnixPort, buffer: Buffer, offset: number, length: number) {
  for (;;) {
    const fd = port.fd;
    if (fd === null || !port.isOpen) throw canceled("Port is not open");
    let bytesRead: number;
    try {
      ({ bytesRead } = await readAsync(fd, buffer, offset, length, null));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "EAGAIN" && code !== "EWOULDBLOCK" && code !== "EINTR") throw error;
      if (!port.isOpen) throw canceled("Port is not open");
      await new Promise<void>((resolve, reject) =>
        port.poller.once("readable", (e) => (e ? reject(e) : resolve())),
      );
      continue;
    }
    if (bytesRead === 0) {
      throw Object.assign(new Error("end of file: the device hung up"), { code: "EOF", disconnect: true });
    }
    return { buffer, bytesRead };
  }
}

export function eofAwareBinding(base: BindingLike): BindingLike {
  return {
    list: () => base.list(),
    open: async (options) => {
      const port = await base.open(options);
      if (isUnixPort(port)) {
        port.read = (buffer, offset, length) => eofAwareRead(port, buffer, offset, length);
      }
      return port;
    },
  };
}
