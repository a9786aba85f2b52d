/** Shared types of the simulated modem: parsed commands, handler results, behaviours, state. */
import type { Clock } from "../clock.js";
import type { Fault } from "./faults.js";
import type { SubmitLite } from "./pdu-lite.js";
import type { Persona, PersonaTimings } from "./personas.js";
import type { Rng } from "./prng.js";
import type { SimModem } from "./sim-modem.js";

/** One command of a command line (V.250 §5.2): "E0", "+CMGS=23", "^CURC?", "&F". */
export interface ParsedCommand {
  /** Upper-cased name with its prefix: "E", "+CMGS", "^CURC", "&F", "S0". */
  readonly name: string;
  readonly op: "exec" | "read" | "test" | "set";
  /** Set arguments, quotes removed (basic commands: the number, e.g. ["0"] for E0). */
  readonly args: readonly string[];
  /** Command text as received (for errors and behaviours). */
  readonly raw: string;
}

export type Final =
  | { readonly kind: "ok" }
  | { readonly kind: "error" }
  | { readonly kind: "cme"; readonly code: number }
  | { readonly kind: "cms"; readonly code: number }
  /** A V.250 result such as "NO CARRIER". */
  | { readonly kind: "text"; readonly text: string }
  /** Nothing at all (the command is swallowed or the line dropped). */
  | { readonly kind: "none" };

export interface CommandResult {
  readonly lines?: readonly string[];
  /** Defaults to OK. */
  readonly final?: Final;
  /** Enter the "> " prompt; the handler gets the bytes typed before Ctrl-Z (27.005 §3.5.1). */
  readonly prompt?: (payload: string) => CommandResult | Promise<CommandResult>;
  /** Called after the final result was written (e.g. reboot after "OK" to +CFUN=1,1). */
  readonly after?: () => void;
}

export type Handler = (cmd: ParsedCommand) => CommandResult | Promise<CommandResult>;

export const OK: Final = { kind: "ok" };
export const ERROR: Final = { kind: "error" };
export const cme = (code: number): Final => ({ kind: "cme", code });
export const cms = (code: number): Final => ({ kind: "cms", code });

/**
 * A behaviour overrides the defaults (zwave-js MockController.defineBehavior): the newest behaviour
 * is asked first; returning true means it handled the event and the defaults do nothing.
 */
export interface SimBehavior<S = unknown> {
  /** A complete command line as received (without CR), e.g. "AT+CMGS=23". */
  onCommand?(sim: S, line: string): boolean | Promise<boolean>;
  /** A PDU accepted at the prompt, before it goes to the network. */
  onSubmit?(sim: S, submit: SubmitLite, pdu: string): boolean | Promise<boolean>;
}

export type PinState = "ready" | "pin" | "puk" | "blocked";

/** Volatile state: reset at power-up and by AT+CFUN=1,1. */
export interface SimState {
  echo: boolean;
  verbose: boolean;
  quiet: boolean;
  cmee: 0 | 1 | 2;
  cmgf: 0 | 1;
  /** Text-mode parameters (27.005 §3.3.2): <fo>, <vp> (a number, or a quoted time), <pid>, <dcs>. */
  csmp: [number, string, number, number];
  csms: 0 | 1;
  cnmi: [number, number, number, number, number];
  /** mem1 (read/list/delete), mem2 (write), mem3 (received). */
  cpms: [string, string, string];
  creg: number;
  cgreg: number;
  cereg: number;
  cfun: 0 | 1 | 4;
  /** Registration status (27.007 §7.2 <stat>): 0 not searching, 1 home, 2 searching. */
  reg: 0 | 1 | 2;
  curc: boolean;
  pin: PinState;
  /** True between the boot sequence and power-off; false while rebooting. */
  powered: boolean;
  smsReady: boolean;
  bootedAt: number;
}

export function initialState(p: Persona, pinLocked: boolean, now: number): SimState {
  return {
    echo: true,
    verbose: true,
    quiet: false,
    cmee: 0,
    cmgf: 0,
    // SMS-SUBMIT, relative validity 167 (24 h): the default of the SIMCom, Quectel and Huawei manuals.
    csmp: [17, "167", 0, 0],
    csms: 0,
    cnmi: [...p.cnmiDefault],
    cpms: ["SM", "SM", "SM"],
    creg: 0,
    cgreg: 0,
    cereg: 0,
    cfun: 1,
    reg: 2,
    curc: true,
    pin: pinLocked ? "pin" : "ready",
    powered: false,
    smsReady: false,
    bootedAt: now,
  };
}

export interface SimIdentity {
  readonly msisdn: string;
  readonly imei: string;
  readonly imsi: string;
  readonly iccid: string;
}

export interface SimModemOptions {
  readonly persona: Persona;
  readonly identity: SimIdentity;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly timings: PersonaTimings;
  readonly pin?: string;
  readonly puk?: string;
  readonly faults?: readonly Fault[];
  /** Start already booted (a modem that was powered before the port was opened): no boot URCs. */
  readonly booted?: boolean;
  /** Service centre address (27.005 §3.3.1 +CSCA) used when a PDU carries none. */
  readonly smsc: string;
  readonly network: NetworkPort;
  /** How long a +CMT/+CDS waits for AT+CNMA when +CSMS=1 (27.005 §3.4.4), default 15 s. */
  readonly cnmaTimeoutMs?: number;
}

/** What the modem needs from the network (network.ts implements it). */
export interface NetworkPort {
  /** An SMS-SUBMIT the SMSC accepted with the modem-assigned MR. */
  submit(from: SimModem, submit: SubmitLite, pdu: string, mr: number): void;
  /** A submit the modem or SMSC refused (logged so tests can count what was really sent). */
  refused(from: SimModem, submit: SubmitLite, pdu: string, cms: number): void;
  /** How long the network waits before offering a refused or unacknowledged message again. */
  readonly retryMs: number;
}
