/** `smsgw status <id>`: one message with its parts and its history. */

import type { MessageJson } from "./api-views.js";
import { type CommandSpec, processIo, runCommand, UsageError } from "./args.js";
import { type ApiCliIo, clientFrom, clientOptions } from "./client.js";
import { renderFields, renderTable, shortTime } from "./table.js";

const spec: CommandSpec = {
  command: "smsgw status",
  synopsis: ["<message-id> [--json]"],
  summary: "Show a message: status, parts (modem, TP-MR, status) and every transition.",
  json: true,
  options: { ...clientOptions },
  notes: ["Exit status: 0 found, 1 not found or daemon unreachable, 2 usage."],
};

export function renderMessage(m: MessageJson): string {
  let out = renderFields([
    ["id", m.id],
    ["direction", m.direction],
    ["status", m.status],
    [m.direction === "inbound" ? "from" : "to", m.contact],
    ["modem", m.modem],
    ["category", m.category],
    ["coding", m.coding],
    ["created", shortTime(m.createdAt)],
    ["updated", shortTime(m.updatedAt)],
    ["text", m.text],
  ]);
  if (m.parts.length > 0)
    out += `\n${renderTable(
      [
        { header: "PART", get: (p) => p.seq, align: "right" },
        { header: "MODEM", get: (p) => p.modem },
        { header: "MR", get: (p) => p.mr, align: "right" },
        { header: "STATUS", get: (p) => p.status },
        { header: "ERROR", get: (p) => p.error, max: 60 },
      ],
      m.parts,
    )}`;
  if (m.events && m.events.length > 0)
    out += `\n${renderTable(
      [
        { header: "AT (UTC)", get: (e) => shortTime(e.at) },
        { header: "EVENT", get: (e) => e.type },
        { header: "DETAIL", get: (e) => e.detail, max: 70 },
      ],
      m.events,
    )}`;
  return out;
}

export async function run(args: string[], io: ApiCliIo = processIo()): Promise<number> {
  return runCommand(spec, args, io, async (p) => {
    const [id, extra] = p.positionals;
    if (id === undefined)
      throw new UsageError("expected a message id (from `smsgw send` or `smsgw messages`)");
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
    const client = clientFrom(p, { env: io.env ?? process.env, ...(io.fetch && { fetch: io.fetch }) });
    const m = await client.request<MessageJson>("GET", `/v1/messages/${encodeURIComponent(id)}`);
    io.stdout.write(p.flag("json") ? `${JSON.stringify(m)}\n` : renderMessage(m));
    return 0;
  });
}
