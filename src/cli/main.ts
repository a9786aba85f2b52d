/**
 * `smsgw` command dispatcher. Each subcommand lives in its own module and is loaded lazily so that
 * `smsgw pdu …` does not pay for the daemon's dependencies.
 * Exit codes: 0 ok, 1 runtime error, 2 usage or bad input, 78 configuration error (EX_CONFIG).
 */
import { existsSync, readFileSync } from "node:fs";

/** package.json is two levels up from src/cli and three from dist/src/cli. */
function packageJsonUrl(): URL {
  const near = new URL("../../package.json", import.meta.url);
  return existsSync(near) ? near : new URL("../../../package.json", import.meta.url);
}

export type Subcommand = (args: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<Subcommand> }> = {
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
    const pkg = JSON.parse(readFileSync(packageJsonUrl(), "utf8")) as {
      version: string;
    };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const c = commands[name];
  if (!c) {
    process.stderr.write(`smsgw: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  return (await c.load())(rest);
}
