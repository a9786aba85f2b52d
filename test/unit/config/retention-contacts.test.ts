/**
 * `[retention] contacts_inactive_days`: its default (3 years, the CNIL's period for prospects,
 * src/retention/policy.ts) and the cross-check that keeps it from cutting message metadata short (erasing a contact deletes its
 * messages). The cross-check is called directly: it reads the section defensively, whatever the
 * schema did with the other keys.
 */
import { describe, expect, it } from "vitest";
import { crossChecks } from "../../../src/config/cross-checks.js";
import { defaultOptions } from "../../../src/config/defaults.js";
import { DEFAULT_CONTACTS_INACTIVE_DAYS } from "../../../src/retention/policy.js";

function issues(retention: Record<string, unknown>): string[] {
  const out: string[] = [];
  const ctx = {
    addIssue: (i: { path: (string | number)[]; message: string }) =>
      out.push(`${i.path.join(".")}: ${i.message}`),
  } as unknown as Parameters<typeof crossChecks>[1];
  crossChecks({ retention }, ctx);
  return out.filter((i) => i.startsWith("retention."));
}

describe("[retention] contacts_inactive_days", () => {
  it("defaults to 3 years, no shorter than the default metadata period", () => {
    expect(DEFAULT_CONTACTS_INACTIVE_DAYS).toBe(1095);
    expect(DEFAULT_CONTACTS_INACTIVE_DAYS).toBeGreaterThanOrEqual(defaultOptions.retention.metadata_days);
    expect(
      issues({ ...defaultOptions.retention, contacts_inactive_days: DEFAULT_CONTACTS_INACTIVE_DAYS }),
    ).toEqual([]);
  });

  it("a period shorter than metadata_days is refused: the erasure would delete younger messages", () => {
    expect(issues({ bodies_days: 365, metadata_days: 1095, contacts_inactive_days: 730 })).toEqual([
      "retention.contacts_inactive_days: expected 0 (off) or at least metadata_days (1095): erasing a contact deletes its messages",
    ]);
  });

  it("0 (off), equal or longer periods pass", () => {
    for (const days of [0, 1095, 3650])
      expect(issues({ bodies_days: 365, metadata_days: 1095, contacts_inactive_days: days })).toEqual([]);
  });
});
