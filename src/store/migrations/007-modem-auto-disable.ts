/**
 * Migration 7: A modem disabled by the failure window, and when it may be tried again, survive a restart.
 * Without them the cool-down lived in memory only, and a restart left such a modem disabled until an
 * operator noticed. `auto_strikes` and `auto_last_at` carry the doubling of the cool-down (automatic
 * disables in a row, and the last automatic disable or re-enable); `auto_retry_at` is set while a
 * cool-down runs. All NULL: nothing automatic pending, an operator's decision stands.
 *
 * A modem already disabled for its failure rate when this runs was left so by that very fault: it
 * gets a first cool-down counted from its last change, so it comes back by itself too.
 */
export const m007ModemAutoDisable = {
  version: 7,
  name: "modem-auto-disable",
  sql: `
ALTER TABLE modems ADD COLUMN auto_strikes INTEGER;
ALTER TABLE modems ADD COLUMN auto_last_at INTEGER;
ALTER TABLE modems ADD COLUMN auto_retry_at INTEGER;
UPDATE modems SET auto_strikes = 1, auto_last_at = updated_at, auto_retry_at = updated_at + 300000
 WHERE enabled = 0 AND disabled_reason LIKE 'failure rate %';
`,
};
