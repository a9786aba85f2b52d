/**
 * The `host:power` entry of /health (draft-inadarei-api-health-check-06 §4: a check object with
 * componentType "system", observedValue and a human-readable output). Warn, never fail: the daemon
 * still sends on a weak supply, but modems resetting under load is the likeliest next failure.
 */
import type { PowerState } from "./power-probe.js";
import { hexThrottled, POWER_SUPPLY_ADVICE } from "./throttled.js";

export interface PowerCheck {
  readonly componentType: "system";
  readonly status: "pass" | "warn";
  readonly time: string | null;
  /** get_throttled as the firmware prints it, "0x50005". */
  readonly observedValue: string;
  readonly undervoltage: { readonly now: boolean; readonly sinceBoot: boolean };
  readonly throttled: { readonly now: boolean; readonly sinceBoot: boolean };
  readonly output?: string;
}

const ADVICE = `Fix: ${POWER_SUPPLY_ADVICE.join("; ")}.`;

export function powerHealthCheck(s: PowerState, time: string | null): PowerCheck {
  const v = hexThrottled(s.bits);
  const base = {
    componentType: "system" as const,
    time,
    observedValue: v,
    undervoltage: { now: s.now.undervoltage, sinceBoot: s.sinceBoot.undervoltage },
    throttled: { now: s.now.throttled, sinceBoot: s.sinceBoot.throttled },
  };
  if (s.now.undervoltage)
    return {
      ...base,
      status: "warn",
      output: `Under-voltage now (get_throttled=${v}): the power supply cannot feed the Pi and its USB modems, which reset when they transmit and then vanish from the bus. ${ADVICE}`,
    };
  if (s.sinceBoot.undervoltage)
    return {
      ...base,
      status: "warn",
      output: `Under-voltage occurred since boot (get_throttled=${v}): modem resets and stalled messages since then may come from the power supply, not the software. ${ADVICE} The flag clears at the next reboot.`,
    };
  return { ...base, status: "pass" };
}
