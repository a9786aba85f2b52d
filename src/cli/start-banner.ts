/**
 * What `smsgw start` prints for people once the API listens: where the API and its docs are, the
 * API key (only when it was just generated; later starts point at the file) and a curl example that
 * works as printed. With simulated modems the example sends from the first to the second, so the
 * message comes back as an inbound message on the other simulated SIM.
 */
import type { GeneratedKey } from "../config/index.js";

export interface BannerInfo {
  readonly url: string;
  readonly configPath: string;
  readonly generatedKey: GeneratedKey | undefined;
  readonly sims: readonly { name: string; msisdn: string }[];
}

/** Single-quotes for a POSIX shell. */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function banner(b: BannerInfo): string {
  const api = `${b.url}/v1`;
  const lines = [
    "",
    `smsgw is running (config ${b.configPath})`,
    `  API       ${api}`,
    `  Docs      ${b.url}/docs   OpenAPI ${b.url}/openapi.json`,
    `  Health    ${b.url}/health   Metrics ${b.url}/metrics`,
  ];
  if (b.generatedKey?.created)
    lines.push(
      `  API key   ${b.generatedKey.key}`,
      `            (new; saved in ${b.generatedKey.path}, mode 0600; it is not shown again)`,
    );
  else if (b.generatedKey) lines.push(`  API key   in ${b.generatedKey.path}`);
  else lines.push("  API key   one of the [api] keys of the configuration");
  if (b.sims.length > 0)
    lines.push("", "Starting the simulated modems; an example follows once they are up.");
  else lines.push("", "Check the modems:", `  curl -s ${auth(b)} ${api}/modems`);
  lines.push("Stop with Ctrl-C (or SIGTERM).", "");
  return `${lines.join("\n")}\n`;
}

const auth = (b: BannerInfo) =>
  `-H "Authorization: Bearer ${b.generatedKey ? `$(cat ${sq(b.generatedKey.path)})` : "$SMSGW_API_KEY"}"`;

/**
 * Printed once every simulated modem is attached: before that the API would answer "No modem with
 * this name" to the example's `modem` field.
 */
export function tryIt(b: BannerInfo): string {
  const [from, to] = b.sims;
  if (!from) return "";
  const target = to ?? from;
  const api = `${b.url}/v1`;
  const body = JSON.stringify({ to: target.msisdn, text: `Hello from ${from.name}`, modem: from.name });
  const lines = [
    "",
    `Simulated modems ready: ${b.sims.map((s) => `${s.name} (${s.msisdn})`).join(", ")}`,
    `Send from ${from.name} to ${target.name}:`,
    `  curl -s ${auth(b)} -H 'content-type: application/json' \\`,
    `    -d ${sq(body)} ${api}/messages`,
    `A few seconds later it is an inbound message on ${target.name}:`,
    `  curl -s ${auth(b)} '${api}/messages?direction=inbound'`,
    "",
  ];
  return `${lines.join("\n")}\n`;
}
