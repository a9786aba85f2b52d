/**
 * Fault vocabulary shared by tests, the CLI (`--fault <spec>`) and the control socket. A spec is
 * `kind[:arg[:arg]]`, e.g. `cms:500`, `cms:500:3` (only the 3rd submit), `reject:+33612345678:21`,
 * `hang:10`, `slow:4`, `drop`, `drop-after`, `storage-full`, `sim-busy:5`, `garbage:0.2`,
 * `echo-dup`, `urc-storm`.
 */

export type Fault =
  /** +CMS ERROR: <code> on every submit, or only on the `nth` submit counted from when it was set. */
  | { readonly kind: "cms"; readonly code: number; readonly nth?: number }
  /** Permanent rejection for one recipient (24.011 cause 21 "short message transfer rejected" by default). */
  | { readonly kind: "reject"; readonly recipient: string; readonly code: number }
  /** From the next command line on, swallow input and answer nothing for `seconds`. */
  | { readonly kind: "hang"; readonly seconds: number }
  /** Multiply every latency. */
  | { readonly kind: "slow"; readonly factor: number }
  /** The line drops (transport closes) on the next command line. */
  | { readonly kind: "drop" }
  /** The line drops right after the next PDU was accepted: sent to the network, no +CMGS answer. */
  | { readonly kind: "drop-after" }
  /** Storage is full: +CMS ERROR: 322 on write, incoming messages cannot be stored. */
  | { readonly kind: "storage-full" }
  /** +CME ERROR: 14 (SIM busy) for SIM and SMS commands during `seconds` after boot or after being set. */
  | { readonly kind: "sim-busy"; readonly seconds: number }
  /** Random bytes before response lines, with this probability per line. */
  | { readonly kind: "garbage"; readonly probability: number }
  /** The command line is echoed twice, even after ATE0. */
  | { readonly kind: "echo-dup" }
  /** URCs (pending ones and vendor noise) are written inside command responses. */
  | { readonly kind: "urc-storm" };

export type FaultKind = Fault["kind"];

export class FaultSpecError extends Error {}

function num(v: string | undefined, what: string, dflt?: number): number {
  if (v === undefined || v === "") {
    if (dflt !== undefined) return dflt;
    throw new FaultSpecError(`${what} is required`);
  }
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new FaultSpecError(`${what} must be a non-negative number, got '${v}'`);
  return n;
}

/** Parses a CLI/control fault spec; throws FaultSpecError with a readable message. */
export function parseFault(spec: string): Fault {
  const [kind, a, b] = spec.trim().split(":");
  switch (kind) {
    case "cms": {
      const code = num(a, "cms code", 500);
      return b === undefined ? { kind, code } : { kind, code, nth: Math.max(1, num(b, "cms nth")) };
    }
    case "reject":
      if (!a) throw new FaultSpecError("reject needs a recipient: reject:<number>[:<code>]");
      return { kind, recipient: a, code: num(b, "reject code", 21) };
    case "hang":
      return { kind, seconds: num(a, "hang seconds", 30) };
    case "slow":
      return { kind, factor: Math.max(0.01, num(a, "slow factor", 4)) };
    case "sim-busy":
      return { kind, seconds: num(a, "sim-busy seconds", 5) };
    case "garbage":
      return { kind, probability: Math.min(1, num(a, "garbage probability", 0.3)) };
    case "drop":
    case "drop-after":
    case "storage-full":
    case "echo-dup":
    case "urc-storm":
      return { kind };
    default:
      throw new FaultSpecError(
        `unknown fault '${kind}' (known: cms, reject, hang, slow, drop, drop-after, storage-full, sim-busy, garbage, echo-dup, urc-storm)`,
      );
  }
}
