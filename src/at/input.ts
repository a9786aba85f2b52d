import type { PromptCommandOptions } from "./types.js";

/** Inputs that would break the framing: a CR inside a command ends it early, Ctrl-Z or ESC inside a
 * payload sends or cancels it early (27.005 §3.5.1). Returns the reason, or null when fine. */
export function checkInput(
  command: string,
  payload: string | null,
  options: PromptCommandOptions,
): string | null {
  const control = /[\x00-\x1f\x7f]/;
  if (!/^AT/i.test(command) || control.test(command)) {
    return "an AT command is one line starting with AT, without control characters";
  }
  if (payload !== null && (payload.length === 0 || control.test(payload))) {
    return "a prompt payload is one non-empty line without control characters";
  }
  for (const ms of [options.timeoutMs, options.promptTimeoutMs]) {
    if (ms !== undefined && !(Number.isFinite(ms) && ms > 0)) return `invalid timeout ${ms} ms`;
  }
  return null;
}
