/**
 * `smsgw sim …`: serve a simulated modem on a pseudo-terminal, and drive a served one.
 *   smsgw sim serve --persona sim800 --pty /tmp/ttySIM0 [--seed N] [--msisdn +33…] [--pin 1234]
 *                   [--fault <spec>]… [--control /tmp/sim.sock]
 *   smsgw sim inject --control <sock> --from <num> --text <text> [--parts N]
 *   smsgw sim inject --control <sock> --status-report --mr N --status delivered|failed|expired|pending
 *   smsgw sim fault  --control <sock> <spec>|clear
 */

import type { ControlRequest } from "../sim/control.js";
import { type FaultSpecError, parseFault } from "../sim/faults.js";
import { personas } from "../sim/personas.js";
import { type CliIo, type CommandSpec, processIo, runCommand, UsageError } from "./args.js";

const PERSONAS = Object.keys(personas) as Array<keyof typeof personas>;

const SERVE: CommandSpec = {
  command: "smsgw sim serve",
  synopsis: [
    "--pty <path> [--persona <name>] [--seed <n>] [--msisdn <number>] [--fault <spec>]… [--control <socket>]",
  ],
  summary:
    "Serve a simulated modem on a pseudo-terminal (needs socat). Prints 'ready <path>' when it can be opened.",
  options: {
    pty: { type: "string", value: "<path>", description: "symlink to create for the pseudo-terminal" },
    persona: { type: "string", value: "<name>", description: `${PERSONAS.join("|")} (default sim800)` },
    seed: { type: "string", value: "<n>", description: "PRNG seed: identity, MR start, noise (default 1)" },
    msisdn: { type: "string", value: "<number>", description: "the simulated SIM's own number" },
    pin: { type: "string", value: "<pin>", description: "lock the SIM with this PIN (PUK 12345678)" },
    fault: {
      type: "string",
      value: "<spec>",
      description: "fault to switch on, repeatable (e.g. cms:500:3, drop-after)",
    },
    control: {
      type: "string",
      value: "<socket>",
      description: "unix socket accepting JSON-line control requests",
    },
    booted: { type: "boolean", description: "start already booted (no boot URCs, SMS ready at once)" },
  },
  notes: [
    "Faults: cms, reject, hang, slow, drop, drop-after, storage-full, sim-busy, garbage, echo-dup, urc-storm.",
  ],
};

const INJECT: CommandSpec = {
  command: "smsgw sim inject",
  synopsis: [
    "--control <socket> --from <number> --text <text> [--parts <n>]",
    "--control <socket> --status-report --mr <n> --status delivered|failed|expired|pending [--recipient <number>]",
  ],
  summary: "Deliver an inbound SMS or a status report to a served simulator.",
  options: {
    control: { type: "string", value: "<socket>", description: "control socket of `smsgw sim serve`" },
    from: { type: "string", value: "<number>", description: "originator of the inbound message" },
    text: { type: "string", value: "<text>", description: "message text" },
    parts: { type: "string", value: "<n>", description: "force this many concatenated parts" },
    "status-report": { type: "boolean", description: "send a status report instead of a message" },
    mr: { type: "string", value: "<n>", description: "TP-MR the report refers to (0-255)" },
    status: { type: "string", value: "<status>", description: "delivered|failed|expired|pending" },
    recipient: { type: "string", value: "<number>", description: "recipient named in the report" },
  },
};

const FAULT: CommandSpec = {
  command: "smsgw sim fault",
  synopsis: ["--control <socket> <spec>|clear"],
  summary: "Switch a fault on (or clear all faults) in a served simulator.",
  options: { control: { type: "string", value: "<socket>", description: "control socket" } },
};

/** parseArgs has no repeatable options here: pull every --fault out first. */
function takeFaults(args: readonly string[]): { faults: string[]; rest: string[] } {
  const faults: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--fault") {
      const v = args[++i];
      if (v === undefined) throw new UsageError("--fault needs a value", "fault");
      faults.push(v);
    } else if (a.startsWith("--fault=")) faults.push(a.slice(8));
    else rest.push(a);
  }
  return { faults, rest };
}

async function serve(args: readonly string[], io: CliIo): Promise<number> {
  let split: ReturnType<typeof takeFaults>;
  try {
    split = takeFaults(args);
  } catch (e) {
    io.stderr.write(`${SERVE.command}: ${(e as Error).message}\n`);
    return 2;
  }
  return runCommand(SERVE, split.rest, io, async (a) => {
    const ptyPath = a.required("pty");
    const persona = a.choice("persona", PERSONAS) ?? "sim800";
    const seed = a.int("seed", { min: 0, max: 2 ** 32 - 1 }) ?? 1;
    const msisdn = a.string("msisdn");
    if (msisdn !== undefined && !/^\+?\d{3,15}$/.test(msisdn))
      throw new UsageError(`--msisdn must be a phone number, got '${msisdn}'`, "msisdn");
    const pin = a.string("pin");
    if (pin !== undefined && !/^\d{4,8}$/.test(pin))
      throw new UsageError("--pin must be 4 to 8 digits", "pin");
    const faults = split.faults.map((f) => {
      try {
        return parseFault(f);
      } catch (e) {
        throw new UsageError((e as FaultSpecError).message, "fault");
      }
    });
    const control = a.string("control");
    const { servePty } = await import("../sim/pty-server.js");
    const server = await servePty({
      persona,
      seed,
      ptyPath,
      faults,
      ...(msisdn ? { msisdn } : {}),
      ...(pin ? { pin } : {}),
      ...(control ? { controlPath: control } : {}),
      ...(a.flag("booted") ? { booted: true } : {}),
      notice: (l) => io.stderr.write(`smsgw sim: ${l}\n`),
    });
    io.stdout.write(`ready ${ptyPath}\n`);
    await new Promise<void>((resolve) => {
      const done = () => {
        process.off("SIGTERM", done);
        process.off("SIGINT", done);
        resolve();
      };
      process.on("SIGTERM", done);
      process.on("SIGINT", done);
    });
    await server.stop();
    return 0;
  });
}

async function send(io: CliIo, socket: string, req: ControlRequest): Promise<number> {
  const { sendControl } = await import("../sim/control.js");
  const reply = await sendControl(socket, req);
  if (reply["ok"] !== true) throw new UsageError(String(reply["error"] ?? "refused"));
  io.stdout.write(`${JSON.stringify(reply)}\n`);
  return 0;
}

async function inject(args: readonly string[], io: CliIo): Promise<number> {
  return runCommand(INJECT, args, io, async (a) => {
    const control = a.required("control");
    if (a.flag("status-report")) {
      const mr = a.int("mr", { min: 0, max: 255 });
      if (mr === undefined) throw new UsageError("--mr is required with --status-report", "mr");
      const status =
        a.choice("status", ["delivered", "failed", "expired", "pending"] as const) ?? "delivered";
      const recipient = a.string("recipient");
      return send(io, control, { op: "status-report", mr, status, ...(recipient ? { recipient } : {}) });
    }
    const from = a.required("from");
    const text = a.required("text");
    const parts = a.int("parts", { min: 1, max: 255 });
    return send(io, control, { op: "inject", from, text, ...(parts ? { parts } : {}) });
  });
}

async function fault(args: readonly string[], io: CliIo): Promise<number> {
  return runCommand(FAULT, args, io, async (a) => {
    const control = a.required("control");
    const spec = a.positionals[0];
    if (!spec) throw new UsageError("a fault spec (or 'clear') is required");
    if (spec === "clear") return send(io, control, { op: "clear-faults" });
    try {
      parseFault(spec);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    return send(io, control, { op: "fault", spec });
  });
}

export async function run(args: string[], io: CliIo = processIo()): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "serve") return serve(rest, io);
  if (sub === "inject") return inject(rest, io);
  if (sub === "fault") return fault(rest, io);
  const usage = "usage: smsgw sim serve|inject|fault [options]   (smsgw sim <sub> --help for details)\n";
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.stdout.write(usage);
    return sub === undefined ? 2 : 0;
  }
  io.stderr.write(`smsgw sim: unknown subcommand '${sub}'\n${usage}`);
  return 2;
}
