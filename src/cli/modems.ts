/** `smsgw modems` (inventory and health) and `smsgw modem reset|enable|disable <name>`. */

import type { ModemJson } from "./api-views.js";
import { type CliIo, type CommandSpec, processIo, runCommand, UsageError } from "./args.js";
import { type ApiCliIo, clientFrom, clientOptions } from "./client.js";
import { renderTable } from "./table.js";

const listSpec: CommandSpec = {
  command: "smsgw modems",
  synopsis: ["[--json]"],
  summary: "List the modems: state, signal, operator, counters, queue depth.",
  json: true,
  options: { ...clientOptions },
  notes: ["Exit status: 0 ok, 1 daemon unreachable or refused, 2 usage."],
};

const ACTIONS = ["reset", "enable", "disable"] as const;

const actionSpec: CommandSpec = {
  command: "smsgw modem",
  synopsis: ["reset|enable|disable <name> [--json]"],
  summary:
    "reset: reopen the modem's connection (the supervisor recreates it); disable: take it out of " +
    "rotation (its queued messages move to other modems); enable: put it back. Needs an admin key.",
  json: true,
  options: { ...clientOptions },
  notes: ["Exit status: 0 ok, 1 daemon unreachable, unknown modem or refused, 2 usage."],
};

export function modemTable(items: readonly ModemJson[]): string {
  if (items.length === 0) return "no modems attached yet\n";
  return renderTable(
    [
      { header: "NAME", get: (m) => m.name },
      { header: "STATE", get: (m) => m.state },
      {
        header: "MODEL",
        get: (m) => [m.identity?.manufacturer, m.identity?.model].filter(Boolean).join(" "),
      },
      { header: "SIGNAL", get: (m) => (m.signalDbm === null ? null : `${m.signalDbm} dBm`), align: "right" },
      { header: "OPERATOR", get: (m) => m.operator },
      { header: "SENT", get: (m) => m.counters.sent, align: "right" },
      { header: "FAILED", get: (m) => m.counters.failed, align: "right" },
      { header: "RECEIVED", get: (m) => m.counters.received, align: "right" },
      { header: "QUEUE", get: (m) => m.queueDepth, align: "right" },
      { header: "LAST ERROR", get: (m) => m.lastError, max: 40 },
    ],
    items,
  );
}

export async function run(args: string[], io: ApiCliIo = processIo()): Promise<number> {
  return runCommand(listSpec, args, io as CliIo, async (p) => {
    if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
    const client = clientFrom(p, { env: io.env ?? process.env, ...(io.fetch && { fetch: io.fetch }) });
    const r = await client.request<{ items: ModemJson[] }>("GET", "/v1/modems");
    io.stdout.write(p.flag("json") ? `${JSON.stringify(r)}\n` : modemTable(r.items));
    return 0;
  });
}

export async function runModem(args: string[], io: ApiCliIo = processIo()): Promise<number> {
  return runCommand(actionSpec, args, io as CliIo, async (p) => {
    const [action, name, extra] = p.positionals;
    if (action === undefined || !(ACTIONS as readonly string[]).includes(action))
      throw new UsageError(
        `expected reset, enable or disable, got ${action === undefined ? "nothing" : `'${action}'`}`,
      );
    if (name === undefined) throw new UsageError(`expected a modem name (see \`smsgw modems\`)`);
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
    const client = clientFrom(p, { env: io.env ?? process.env, ...(io.fetch && { fetch: io.fetch }) });
    const m = await client.request<ModemJson>("POST", `/v1/modems/${encodeURIComponent(name)}/${action}`);
    io.stdout.write(
      p.flag("json") ? `${JSON.stringify(m)}\n` : `${m.name}: ${action} done; state ${m.state}\n`,
    );
    return 0;
  });
}
