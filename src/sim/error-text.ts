/** Verbose +CME ERROR texts for AT+CMEE=2 (3GPP TS 27.007 §9.2.1). */
const CME: Readonly<Record<number, string>> = {
  0: "phone failure",
  3: "operation not allowed",
  4: "operation not supported",
  10: "SIM not inserted",
  11: "SIM PIN required",
  12: "SIM PUK required",
  13: "SIM failure",
  14: "SIM busy",
  15: "SIM wrong",
  16: "incorrect password",
  20: "memory full",
  21: "invalid index",
  22: "not found",
  23: "memory failure",
  30: "no network service",
  31: "network timeout",
  50: "Incorrect parameters",
  100: "unknown",
};

export function cmeText(code: number): string {
  return CME[code] ?? "unknown";
}
