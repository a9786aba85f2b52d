/** Text and JSON renderings of a doctor run. */
import type { Facts, Finding, Severity } from "./types.js";

export interface DoctorReport {
  readonly findings: readonly Finding[];
  readonly ports: Facts["ports"];
  readonly usbDevices: Facts["usbDevices"];
  readonly summary: Record<Severity, number>;
}

const MARK: Record<Severity, string> = { ok: "✓", info: "·", warn: "!", error: "✗" };

export function buildReport(facts: Facts, findings: readonly Finding[]): DoctorReport {
  const summary: Record<Severity, number> = { ok: 0, info: 0, warn: 0, error: 0 };
  for (const f of findings) summary[f.severity]++;
  return { findings, ports: facts.ports, usbDevices: facts.usbDevices, summary };
}

export function renderText(report: DoctorReport): string {
  const lines: string[] = ["Serial ports:"];
  if (report.ports.length === 0) lines.push("  (none)");
  for (const p of report.ports) {
    const dev = p.usb ? report.usbDevices.find((d) => d.sysName === p.usb?.device) : undefined;
    const ids = dev
      ? ` ${dev.vendorId}:${dev.productId}${p.usb?.interfaceNumber != null ? ` if${String(p.usb.interfaceNumber).padStart(2, "0")}` : ""}`
      : "";
    const name = dev ? ` ${[dev.manufacturer, dev.product].filter(Boolean).join(" ")}` : "";
    lines.push(`  ${p.path}${ids}${name}`);
    for (const l of p.byId) lines.push(`      ${l}`);
  }
  lines.push("", "Checks:");
  for (const f of report.findings) {
    lines.push(`  ${MARK[f.severity]} ${f.title}`);
    if (f.detail) lines.push(`      ${f.detail}`);
    for (const fix of f.fix ?? []) lines.push(`      fix: ${fix}`);
  }
  const s = report.summary;
  lines.push("", `${s.error} error(s), ${s.warn} warning(s)`);
  return `${lines.join("\n")}\n`;
}

export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
