/** The logging contract the modem layer needs: pino's shape, injected (never a module singleton). */
export interface LoggerLike {
  child(bindings: Record<string, unknown>): LoggerLike;
  trace(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

const noop = (): void => {};

export const silentLogger: LoggerLike = {
  child: () => silentLogger,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
};

/** AT+CPIN="1234" → AT+CPIN="****": a PIN never reaches a log line or an error message. */
export function redactAt(line: string): string {
  return line.replace(/^(AT\+CPIN\s*=\s*)(.*)$/i, (_m, head: string) => `${head}<redacted>`);
}
