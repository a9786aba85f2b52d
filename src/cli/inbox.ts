/**
 * `smsgw inbox [--follow]`: received messages, oldest first. With --follow it keeps polling the API
 * and prints each new inbound message once, until Ctrl-C (exit 0). Polling, not a stream: the API has
 * no push channel for CLI clients, and a poll every few seconds is nothing for the daemon.
 * A message is "new" when its id was not printed yet; the first page seeds that set.
 */

import type { MessageJson, MessagePage } from "./api-views.js";
import { type CliIo, type CommandSpec, processIo, runCommand } from "./args.js";
import { type ApiClient, type ApiCliIo, clientFrom, clientOptions } from "./client.js";
import { printable, shortTime } from "./table.js";

const spec: CommandSpec = {
  command: "smsgw inbox",
  synopsis: ["[--follow] [--interval <s>] [--limit <n>] [--modem <name>]"],
  summary: "Show received messages; --follow keeps watching for new ones until Ctrl-C.",
  json: true,
  options: {
    follow: { type: "boolean", short: "f", description: "keep polling for new messages" },
    interval: {
      type: "string",
      value: "<s>",
      description: "seconds between polls with --follow, [1…300], default 2",
    },
    limit: { type: "string", value: "<n>", description: "messages shown at start, [1…200], default 20" },
    modem: { type: "string", value: "<name>", description: "only messages received on this modem" },
    ...clientOptions,
  },
  notes: [
    "--json prints one JSON object per message (JSON lines).",
    "Exit status: 0 ok (also on Ctrl-C), 1 daemon unreachable, 2 usage.",
  ],
};

function line(m: MessageJson): string {
  return `${shortTime(m.createdAt)}  ${m.modem ?? "-"}  ${m.contact}  ${printable(m.text)}\n`;
}

async function page(client: ApiClient, limit: number, modem: string | undefined): Promise<MessageJson[]> {
  const q = new URLSearchParams({ direction: "inbound", limit: String(limit) });
  if (modem !== undefined) q.set("modem", modem);
  const r = await client.request<MessagePage>("GET", `/v1/messages?${q}`);
  return [...r.items].reverse();
}

export interface InboxIo extends ApiCliIo {
  /** Resolves when polling should stop (default: SIGINT). */
  readonly stop?: Promise<void>;
}

export async function run(args: string[], io: InboxIo = processIo()): Promise<number> {
  return runCommand(spec, args, io as CliIo, async (p) => {
    const limit = p.int("limit", { min: 1, max: 200 }) ?? 20;
    const interval = (p.int("interval", { min: 1, max: 300 }) ?? 2) * 1000;
    const modem = p.string("modem");
    const json = p.flag("json");
    const client = clientFrom(p, { env: io.env ?? process.env, ...(io.fetch && { fetch: io.fetch }) });
    const seen = new Set<string>();
    const print = (items: MessageJson[]) => {
      for (const m of items) {
        if (seen.has(m.id)) continue;
        seen.add(m.id);
        io.stdout.write(json ? `${JSON.stringify(m)}\n` : line(m));
      }
    };
    const first = await page(client, limit, modem);
    if (first.length === 0 && !json)
      io.stdout.write(p.flag("follow") ? "no messages yet; waiting…\n" : "no messages\n");
    print(first);
    if (!p.flag("follow")) return 0;

    let stopped = false;
    let down = false;
    let wake = () => {};
    const onSigint = () => {
      stopped = true;
      wake();
    };
    const stop = io.stop ?? new Promise<void>((r) => process.once("SIGINT", () => r()));
    void stop.then(onSigint);
    // Enough to catch a burst between two polls without paging; older ids can be forgotten.
    const pollLimit = 200;
    while (!stopped) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, interval);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
      if (stopped) break;
      try {
        print(await page(client, pollLimit, modem));
        if (down) io.stderr.write("smsgw inbox: daemon reachable again\n");
        down = false;
      } catch (e) {
        // A daemon restart (systemd, upgrade) must not end a --follow: say it once, keep polling.
        if (!down) io.stderr.write(`smsgw inbox: ${(e as Error).message}; retrying\n`);
        down = true;
      }
    }
    return 0;
  });
}
