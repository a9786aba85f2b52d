/**
 * The AT probe: "AT" must answer OK within 1 s; then +CGMI/+CGMM/+CGMR (27.007 §5.1–5.3), or ATI
 * (V.250 §6.1.3) when the modem refuses those, identify the model and the drivers/ profile that
 * `profile = "auto"` would pick.
 *
 * A port that any process holds open (the running gateway, ModemManager, a terminal) is never
 * opened: two readers on one tty each get part of the bytes, and the daemon would lose answers.
 */
import { type ProfileHints, resolveProfile } from "../../drivers/index.js";
import type { AtChannelLike } from "../at/types.js";
import { atTtys, holdersOf, isDaemon } from "./checks.js";
import type { Facts, Finding, ProbeResult, SerialPortFact } from "./types.js";
import { usbKind } from "./usb-ids.js";

export interface ProbeTarget {
  readonly port: SerialPortFact;
  readonly usb?: { readonly vendorId: string; readonly productId: string };
  /** Why it is not probed, when it is not. */
  readonly skip: string | null;
}

/** Why a port must not be opened now (another process holds it), or null. */
export function skipReason(facts: Facts, port: SerialPortFact): string | null {
  const holders = holdersOf(facts, port);
  const daemon = holders.find(isDaemon);
  if (daemon) return `in use by the running smsgw (pid ${daemon.pid}): not probed`;
  if (holders.length > 0)
    return `open in ${holders.map((h) => `${h.comm} (pid ${h.pid})`).join(", ")}: not probed`;
  // Not root: the gateway's descriptors are unreadable, so a port it is configured to use is
  // presumed in use rather than opened under its feet.
  const hidden = facts.processes.find((p) => isDaemon(p) && !p.fdsReadable);
  if (hidden && facts.configuredPorts.some((c) => c.device === port.path))
    return `configured for the running smsgw (pid ${hidden.pid}), whose open ports cannot be read without root: not probed (run sudo smsgw doctor to check)`;
  return null;
}

/** Ports worth probing: modem AT ports, adapters, Pi UARTs and unknown USB ttys; not diag/GPS ports. */
export function probeTargets(facts: Facts): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  for (const port of facts.ports) {
    const device = port.usb ? facts.usbDevices.find((d) => d.sysName === port.usb?.device) : undefined;
    if (device) {
      const k = usbKind(device.vendorId, device.productId);
      if (k?.kind === "modem" && !atTtys(device).includes(port.name)) continue;
    }
    out.push({
      port,
      ...(device ? { usb: { vendorId: device.vendorId, productId: device.productId } } : {}),
      skip: skipReason(facts, port),
    });
  }
  return out;
}

function infoLine(lines: readonly string[], prefix: string): string | null {
  const line = lines.map((l) => l.trim()).find((l) => l !== "");
  if (line === undefined) return null;
  return line.startsWith(prefix) ? line.slice(prefix.length).trim().replace(/^"|"$/g, "") : line;
}

async function ask(channel: AtChannelLike, command: string, timeoutMs: number): Promise<string | null> {
  try {
    const r = await channel.command(command, { timeoutMs });
    return r.final.kind === "ok" ? infoLine(r.lines, `${command.slice(2)}:`) : null;
  } catch {
    return null;
  }
}

/** Probes one open channel. Never throws; closes nothing (the caller owns the channel). */
export async function probeChannel(
  channel: AtChannelLike,
  usb: ProfileHints["usb"],
  timeoutMs = 1000,
): Promise<ProbeResult> {
  try {
    const r = await channel.command("AT", { timeoutMs });
    if (r.final.kind !== "ok")
      return { kind: "silent", detail: `answered "${r.lines.join(" ")}" instead of OK` };
  } catch (e) {
    return { kind: "silent", detail: `no answer to AT within ${timeoutMs} ms (${(e as Error).message})` };
  }
  let manufacturer = await ask(channel, "AT+CGMI", timeoutMs);
  const model = await ask(channel, "AT+CGMM", timeoutMs);
  const revision = await ask(channel, "AT+CGMR", timeoutMs);
  if (manufacturer === null && model === null) manufacturer = await ask(channel, "ATI", timeoutMs);
  const hints: ProfileHints = {
    ...(usb ? { usb } : {}),
    ...(manufacturer ? { manufacturer } : {}),
    ...(model ? { model } : {}),
  };
  return { kind: "answered", manufacturer, model, revision, profile: resolveProfile(hints).id };
}

/** Opens, probes and closes one target. `open` builds the AT channel (serial transport in the CLI). */
export async function probeTarget(
  target: ProbeTarget,
  open: (path: string) => Promise<AtChannelLike>,
  timeoutMs = 1000,
): Promise<ProbeResult> {
  if (target.skip) return { kind: "skipped", detail: target.skip };
  let channel: AtChannelLike;
  try {
    channel = await open(target.port.path);
  } catch (e) {
    return { kind: "open-failed", detail: (e as Error).message };
  }
  try {
    return await probeChannel(channel, target.usb, timeoutMs);
  } finally {
    await channel.close().catch(() => {});
  }
}

export function probeFinding(target: ProbeTarget, result: ProbeResult): Finding {
  const subject = target.port.byId[0] ?? target.port.path;
  switch (result.kind) {
    case "answered": {
      const who = [result.manufacturer, result.model].filter(Boolean).join(" ") || "a modem";
      return {
        id: "at-ok",
        severity: "ok",
        subject,
        title: `${subject}: ${who} answers AT (profile "${result.profile}")`,
        ...(result.revision ? { detail: `firmware ${result.revision}` } : {}),
      };
    }
    case "skipped":
      return { id: "at-skipped", severity: "info", subject, title: `${subject}: ${result.detail}` };
    case "open-failed": {
      const denied = /permission denied|EACCES/i.test(result.detail);
      return {
        id: denied ? "at-permission" : "at-open-failed",
        severity: "error",
        subject,
        title: `${subject}: cannot open (${result.detail})`,
        ...(denied ? { fix: ["sudo usermod -aG dialout $USER", "log out and back in"] } : {}),
      };
    }
    case "silent":
      return {
        id: "at-silent",
        severity: "warn",
        subject,
        title: `${subject}: ${result.detail}`,
        detail:
          target.usb && usbKind(target.usb.vendorId, target.usb.productId)?.kind === "bridge"
            ? "Check the wiring (adapter TX → modem RX, RX → TX, common ground), the modem's power (SIM800: 3.4–4.4 V, 2 A peaks) and its baud rate."
            : "Not every port of a modem speaks AT; the modem may also be still booting or powered down.",
      };
  }
}
