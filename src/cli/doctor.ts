/**
 * `smsgw doctor [--json] [--no-probe] [--port PATH]... [--config FILE]`: lists serial ports with their USB ids and
 * /dev/serial/by-id links, finds what keeps a modem from working (ModemManager, brltty, HiLink or
 * storage-mode Huawei sticks, dialout, under-voltage, disk space), probes each candidate port with
 * AT (skipping ports another process holds, the running gateway's included), and prints each problem
 * with its exact fix. Exit 0 when nothing is an error, 1 otherwise, 2 on bad usage.
 */
import { spawnSync } from "node:child_process";
import { userInfo } from "node:os";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { AtChannel } from "../at/channel.js";
import type { AtChannelLike } from "../at/types.js";
import { loadConfig, resolveConfigPath } from "../config/load.js";
import { runChecks } from "../doctor/checks.js";
import { type GatherOptions, gatherFacts } from "../doctor/gather.js";
import { probeFinding, probeTarget, probeTargets, skipReason } from "../doctor/probe.js";
import { buildReport, renderJson, renderText } from "../doctor/report.js";
import type { Finding, ServiceState } from "../doctor/types.js";
import { openSerialTransport } from "../transport/serial.js";

const USAGE = `usage: smsgw doctor [--json] [--no-probe] [--port PATH]... [--config FILE]

Checks this machine for what keeps a USB GSM modem from working and prints the fix for each problem.
  --json       machine-readable report
  --no-probe   do not open any port (no AT probe)
  --port PATH  also probe PATH (a UART, a pty, a port doctor does not list); repeatable
  --config     read the modem ports and data_dir from FILE (default as for \`smsgw start\`)
Exit status: 0 no error found, 1 errors found, 2 usage.`;

export interface DoctorDeps {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Filesystem root for the facts (tests point it at a fixture tree). */
  readonly root?: string;
  readonly serviceState?: (unit: string) => ServiceState;
  readonly openChannel?: (path: string) => Promise<AtChannelLike>;
}

function systemctlState(unit: string): ServiceState {
  const r = spawnSync("systemctl", ["is-active", unit], { encoding: "utf8", timeout: 3000 });
  if (r.error) return "unknown";
  return r.stdout.trim() === "active" ? "active" : "inactive";
}

/** Raspberry Pi firmware query, for kernels without the sysfs file; null when not a Pi. */
function vcgencmdThrottled(): string | null {
  const r = spawnSync("vcgencmd", ["get_throttled"], { encoding: "utf8", timeout: 3000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The probe's opener: serial transport at 115200 bit/s, AT channel with 1 s commands. */
export async function openSerialChannel(path: string): Promise<AtChannelLike> {
  const transport = await openSerialTransport(path, { baudRate: 115200 });
  return new AtChannel(transport, { defaultTimeoutMs: 1000 });
}

const defaultDeps: DoctorDeps = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
};

export async function run(args: string[], deps: DoctorDeps = defaultDeps): Promise<number> {
  let values: { json?: boolean; "no-probe"?: boolean; port?: string[]; config?: string; help?: boolean };
  try {
    values = parseArgs({
      args,
      options: {
        json: { type: "boolean" },
        "no-probe": { type: "boolean" },
        port: { type: "string", multiple: true },
        config: { type: "string", short: "c" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (e) {
    deps.stderr(`smsgw doctor: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    deps.stdout(`${USAGE}\n`);
    return 0;
  }

  const pre: Finding[] = [];
  const gather: { -readonly [K in keyof GatherOptions]: GatherOptions[K] } = {
    root: deps.root ?? "/",
    serviceState: deps.serviceState ?? systemctlState,
    currentUser: userInfo().username,
    readThrottled: deps.root === undefined ? vcgencmdThrottled : () => null,
  };
  try {
    const config = loadConfig(resolveConfigPath(values.config, deps.env), { env: deps.env });
    gather.dataDir = config.data_dir;
    gather.configuredPorts = config.modems.filter((m) => m.enabled).map((m) => ({ id: m.id, port: m.port }));
  } catch (e) {
    pre.push({
      id: "config-unreadable",
      severity: "warn",
      title: "configuration not checked against the ports",
      detail: (e as Error).message.split("\n").slice(0, 4).join(" "),
      fix: ["smsgw config check"],
    });
  }
  const facts = gatherFacts(gather);
  const findings = [...pre, ...runChecks(facts)];
  if (!values["no-probe"]) {
    const open = deps.openChannel ?? openSerialChannel;
    const targets = probeTargets(facts);
    for (const path of values.port ?? []) {
      if (targets.some((t) => t.port.path === path || t.port.byId.includes(path))) continue;
      const known = facts.ports.find((p) => p.path === path || p.byId.includes(path));
      const port = known ?? { path, name: basename(path), byId: [], byPath: [], usb: null, mmIgnored: null };
      targets.push({ port, skip: skipReason(facts, port) });
    }
    for (const target of targets) findings.push(probeFinding(target, await probeTarget(target, open)));
  }
  const report = buildReport(facts, findings);
  deps.stdout(values.json ? renderJson(report) : renderText(report));
  return report.summary.error > 0 ? 1 : 0;
}
