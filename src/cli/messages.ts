/** `smsgw messages`: newest first, with the API's filters; --json prints the API page as is. */

import type { MessageJson, MessagePage } from "./api-views.js";
import { type CliIo, type CommandSpec, processIo, runCommand } from "./args.js";
import { type ApiCliIo, clientFrom, clientOptions } from "./client.js";
import { renderTable, shortTime } from "./table.js";

const STATUSES = [
  "queued",
  "scheduled",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "unknown",
  "canceled",
  "expired",
  "received",
] as const;

const spec: CommandSpec = {
  command: "smsgw messages",
  synopsis: ["[--direction inbound|outbound] [--status <s>] [--contact <number>] [--limit <n>]"],
  summary: "List messages, newest first.",
  json: true,
  options: {
    direction: { type: "string", value: "<d>", description: "inbound or outbound" },
    status: { type: "string", value: "<s>", description: STATUSES.join("|") },
    contact: { type: "string", value: "<number>", description: "only messages to or from this number" },
    modem: { type: "string", value: "<name>", description: "only messages through this modem" },
    limit: { type: "string", value: "<n>", description: "at most this many, [1…200], default 50" },
    ...clientOptions,
  },
  notes: ["Exit status: 0 ok, 1 daemon unreachable or refused, 2 usage."],
};

export function messageTable(items: readonly MessageJson[]): string {
  if (items.length === 0) return "no messages\n";
  return renderTable(
    [
      { header: "ID", get: (m) => m.id },
      { header: "CREATED (UTC)", get: (m) => shortTime(m.createdAt) },
      { header: "DIR", get: (m) => (m.direction === "inbound" ? "in" : "out") },
      { header: "STATUS", get: (m) => m.status },
      { header: "CONTACT", get: (m) => m.contact },
      { header: "MODEM", get: (m) => m.modem },
      { header: "TEXT", get: (m) => m.text, max: 40 },
    ],
    items,
  );
}

export async function run(args: string[], io: ApiCliIo = processIo()): Promise<number> {
  return runCommand(spec, args, io as CliIo, async (p) => {
    const q = new URLSearchParams();
    const direction = p.choice("direction", ["inbound", "outbound"] as const);
    const status = p.choice("status", STATUSES);
    const limit = p.int("limit", { min: 1, max: 200 });
    if (direction) q.set("direction", direction);
    if (status) q.set("status", status);
    for (const k of ["contact", "modem"]) {
      const v = p.string(k);
      if (v !== undefined) q.set(k, v);
    }
    if (limit !== undefined) q.set("limit", String(limit));
    const client = clientFrom(p, { env: io.env ?? process.env, ...(io.fetch && { fetch: io.fetch }) });
    const page = await client.request<MessagePage>("GET", `/v1/messages${q.size > 0 ? `?${q}` : ""}`);
    io.stdout.write(p.flag("json") ? `${JSON.stringify(page)}\n` : messageTable(page.items));
    return 0;
  });
}
