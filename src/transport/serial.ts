/**
 * Serial transport over node-serialport 13. `serialport`'s `SerialPort` is `@serialport/stream`'s
 * SerialPortStream bound to `@serialport/bindings-cpp` (the platform binding); it is used through
 * the umbrella package because that is the declared dependency.
 *
 * Unplugging: bindings-cpp marks EBADF/ENXIO read errors as disconnects and SerialPortStream then
 * emits `close` with a DisconnectedError (`err.disconnected === true`); a tty whose device went away
 * reads EOF, which eof-binding.ts turns into the same disconnect. All of these end the transport
 * with reason "unplugged".
 */
import { realpath } from "node:fs/promises";
import { SerialPort } from "serialport";
import { type BindingLike, eofAwareBinding } from "./eof-binding.js";
import { isGoneError, TransportError } from "./errors.js";
import { SingleUse } from "./single-use.js";
import type { Transport, TransportClosed, TransportFactory } from "./types.js";

export interface SerialTransportOptions {
  /** Bits per second, default 115200 (the usual default of USB GSM modems' AT port). */
  readonly baudRate?: number;
}

/** What the transport passes to the port constructor. */
export interface PortOpenOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly autoOpen: false;
  /** serialport's platform binding, wrapped so that EOF means unplugged (eof-binding.ts). */
  readonly binding?: unknown;
}

/** The part of serialport's SerialPort this transport uses (tests substitute a stand-in). */
export interface PortLike {
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "close", listener: (error?: Error | null) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  open(callback: (error: Error | null) => void): void;
  write(data: Buffer, callback: (error: Error | null | undefined) => void): unknown;
  close(callback?: (error?: Error | null) => void): void;
  readonly isOpen: boolean;
}

class SerialTransport implements Transport {
  readonly #state: SingleUse;
  readonly #port: PortLike;
  #closing = false;

  constructor(port: PortLike, description: string) {
    this.#port = port;
    this.#state = new SingleUse(description);
    port.on("data", (chunk) =>
      this.#state.deliver(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)),
    );
    port.on("close", (error) => {
      if (error && isGoneError(error)) this.#end({ reason: "unplugged", error });
      else if (this.#closing) this.#end({ reason: "local" });
      else this.#end({ reason: "unplugged", ...(error ? { error } : {}) });
    });
    // EOF: the other side of a pty (or a USB-serial driver) hung up.
    port.on("end", () => this.#end({ reason: "unplugged" }));
    port.on("error", (error) => this.#end({ reason: isGoneError(error) ? "unplugged" : "error", error }));
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
      this.#port.write(Buffer.from(bytes), (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#port.isOpen) {
      await new Promise<void>((resolve) => this.#port.close(() => resolve()));
    }
    this.#end({ reason: "local" });
  }

  #end(closed: TransportClosed): void {
    if (!this.#state.end(closed)) return;
    if (this.#port.isOpen && !this.#closing) {
      this.#closing = true;
      this.#port.close(() => {});
    }
  }
}

/**
 * Opens `path` (a tty, or a /dev/serial/by-id/… link). The description names the link and its
 * target ("/dev/serial/by-id/usb-… → /dev/ttyUSB2") so logs show both.
 */
export async function openSerialTransport(
  path: string,
  options: SerialTransportOptions & { readonly portClass?: new (o: PortOpenOptions) => PortLike } = {},
): Promise<Transport> {
  let target: string;
  try {
    target = await realpath(path);
  } catch (cause) {
    throw new TransportError(`serial port ${path} does not exist`, "not-found", path, { cause });
  }
  const description = target === path ? path : `${path} → ${target}`;
  const PortClass = options.portClass ?? (SerialPort as unknown as new (o: PortOpenOptions) => PortLike);
  const port = new PortClass({
    path,
    baudRate: options.baudRate ?? 115200,
    autoOpen: false,
    ...(options.portClass ? {} : { binding: eofAwareBinding(SerialPort.binding as unknown as BindingLike) }),
  });
  await new Promise<void>((resolve, reject) => {
    port.open((error) => {
      if (!error) return resolve();
      const code = (error as { code?: string }).code ?? /\b(EACCES|ENOENT|EBUSY)\b/.exec(error.message)?.[1];
      if (code === "EACCES") {
        reject(
          new TransportError(
            `cannot open ${description}: permission denied (is the user in the dialout group?)`,
            "permission",
            path,
            { cause: error },
          ),
        );
      } else if (code === "ENOENT") {
        reject(new TransportError(`serial port ${path} does not exist`, "not-found", path, { cause: error }));
      } else {
        reject(
          new TransportError(`cannot open ${description}: ${error.message}`, "open-failed", path, {
            cause: error,
          }),
        );
      }
    });
  });
  return new SerialTransport(port, description);
}

export function serialTransportFactory(path: string, options: SerialTransportOptions = {}): TransportFactory {
  return () => openSerialTransport(path, options);
}
