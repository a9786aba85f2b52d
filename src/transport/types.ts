/**
 * A single-use byte connection to a modem (serial port, TCP/ser2net, or the in-process simulator).
 * Once `closed` settles the transport is dead: the modem supervisor makes a new one.
 */
export interface Transport {
  /** Human-readable description for logs ("/dev/ttyUSB2", "tcp://10.0.0.2:4001", "sim://sim800?seed=1"). */
  readonly description: string;
  /** Called with every chunk of bytes received, split wherever the OS split them. One listener. */
  onData(listener: (chunk: Uint8Array) => void): void;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Settles once, when the transport ends for any reason. */
  readonly closed: Promise<TransportClosed>;
}

export interface TransportClosed {
  /** local: we closed it; unplugged: the device went away (EOF/ENXIO/EIO); error: anything else. */
  readonly reason: "local" | "unplugged" | "error";
  readonly error?: Error;
}

export type TransportFactory = () => Promise<Transport>;

export interface PortInfo {
  readonly path: string;
  /** /dev/serial/by-id/… link pointing at `path`, when one exists. */
  readonly byId?: string;
  readonly vendorId?: string;
  readonly productId?: string;
  readonly manufacturer?: string;
  readonly serialNumber?: string;
  /** USB interface number (bInterfaceNumber) when known. */
  readonly interfaceNumber?: number;
}
