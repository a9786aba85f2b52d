/**
 * `smsgw` command dispatcher. Each subcommand lives in its own module and is loaded lazily so that
 * `smsgw pdu …` does not pay for the daemon's dependencies.
 * Exit codes: 0 ok, 1 runtime error, 2 usage or bad input, 78 configuration error (EX_CONFIG).
 */
import { packageVersion } from "./version.js";

export type Subcommand = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Subcommand> }> = {
  start: {
    summary: "run the gateway (default config: two simulated modems, API on 127.0.0.1:8080)",
    load: async () => (await import("./start.js")).run,
  },
  send: {
    summary: "send an SMS, or one per row of a CSV file, through the running gateway",
    load: async () => (await import("./send.js")).run,
  },
  status: {
    summary: "show one message: status, parts, history",
    load: async () => (await import("./status.js")).run,
  },
  messages: {
    summary: "list messages (filters: direction, status, contact)",
    load: async () => (await import("./messages.js")).run,
  },
  inbox: {
    summary: "show received messages; --follow keeps watching",
    load: async () => (await import("./inbox.js")).run,
  },
  modems: {
    summary: "list the modems with state, signal and counters",
    load: async () => (await import("./modems.js")).run,
  },
  modem: {
    summary: "reset, enable or disable one modem",
    load: async () => (await import("./modems.js")).runModem,
  },
  pdu: {
    summary: "encode, decode and count SMS PDUs offline",
    load: async () => (await import("./pdu.js")).run,
  },
  sim: {
    summary: "serve a simulated modem on a pseudo-terminal, inject messages",
    load: async () => (await import("./sim.js")).run,
  },
  doctor: {
    summary: "find modems and what stops them working (ModemManager, brltty, HiLink, dialout…)",
    load: async () => (await import("./doctor.js")).run,
  },
  config: {
    summary: "check a configuration file and print the effective settings (secrets masked)",
    load: async () => (await import("./config.js")).run,
  },
};

function usage(): string {
  const lines = ["usage: smsgw <command> [options]", "", "commands:"];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push("", "Run `smsgw <command> --help` for the options of a command.");
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const c = commands[name];
  if (!c) {
    process.stderr.write(`smsgw: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  return (await c.load())(rest);
}
