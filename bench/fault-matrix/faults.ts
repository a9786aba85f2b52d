/**
 * The faults of the matrix: one spec per fault kind of src/sim/faults.ts, sized like the field
 * problems they stand for (peers.md: modems that hang, SIMs that answer busy, queues blocked by one
 * refused recipient), and how each one ends. Persistent faults are cleared by the scenario after
 * `clearAfterMs`; the others end on their own (a timed hang or SIM-busy window) or are one-shot
 * events (a dropped line).
 */
import type { FaultKind } from "../../src/sim/faults.js";

/** Recipient refused by the "reject" fault; the trickle sends to it every tenth message. */
export const REJECTED = "+33612340007";

export interface MatrixFault {
  readonly kind: FaultKind;
  readonly spec: string;
  /** Cleared by the scenario this long after injection; absent: ends by itself. */
  readonly clearAfterMs?: number;
  /** What the fault stands for, in the report's legend. */
  readonly means: string;
}

const MINUTE = 60_000;

export const MATRIX_FAULTS: readonly MatrixFault[] = [
  { kind: "cms", spec: "cms:500", clearAfterMs: MINUTE, means: "+CMS ERROR: 500 on every submit for 60 s" },
  {
    kind: "reject",
    spec: `reject:${REJECTED}:21`,
    clearAfterMs: MINUTE,
    means: "one recipient refused with cause 21 (permanent) for 60 s",
  },
  { kind: "hang", spec: "hang:30", means: "the modem swallows every line for 30 s" },
  { kind: "slow", spec: "slow:4", clearAfterMs: MINUTE, means: "every latency ×4 for 60 s" },
  { kind: "drop", spec: "drop", means: "the line drops on the next command (USB reset)" },
  {
    kind: "drop-after",
    spec: "drop-after",
    means: "the line drops right after the next PDU was accepted by the network",
  },
  {
    kind: "storage-full",
    spec: "storage-full",
    clearAfterMs: MINUTE,
    means: "SIM storage full for 60 s: inbound waits at the network",
  },
  { kind: "sim-busy", spec: "sim-busy:20", means: "+CME ERROR: 14 / +CMS ERROR: 314 for 20 s" },
  {
    kind: "garbage",
    spec: "garbage:0.3",
    clearAfterMs: MINUTE,
    means: "random bytes before 30 % of lines for 60 s",
  },
  { kind: "echo-dup", spec: "echo-dup", clearAfterMs: MINUTE, means: "every command echoed twice for 60 s" },
  {
    kind: "urc-storm",
    spec: "urc-storm",
    clearAfterMs: MINUTE,
    means: "URCs and vendor noise inside command responses for 60 s",
  },
];
