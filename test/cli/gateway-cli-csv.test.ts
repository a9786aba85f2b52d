/** The pure parts of the daemon CLI: CSV rows with their line numbers, templates, safe table cells. */
import { describe, expect, it } from "vitest";
import { CsvError, fillTemplate, parseCsv } from "../../src/cli/csv.js";
import { printable, renderTable } from "../../src/cli/table.js";

describe("parseCsv", () => {
  it("keeps the line where each record starts, also after a quoted field spanning lines", () => {
    const rows = parseCsv('to,name\r\n+33612345601,"Alice\nde Lyon"\n\n+33612345602,Bob\n');
    expect(rows).toEqual([
      { line: 1, fields: ["to", "name"] },
      { line: 2, fields: ["+33612345601", "Alice\nde Lyon"] },
      { line: 5, fields: ["+33612345602", "Bob"] },
    ]);
  });

  it('reads "" inside quotes, a byte-order mark and a last line without newline', () => {
    expect(parseCsv('\uFEFFto,msg\n1,"say ""hi"", then go"')).toEqual([
      { line: 1, fields: ["to", "msg"] },
      { line: 2, fields: ["1", 'say "hi", then go'] },
    ]);
  });

  it("takes ; as the separator when the header has ; and no , (spreadsheets in French locales)", () => {
    expect(parseCsv("to;prénom\n+33612345601;Zoé, la cliente\n")[1]?.fields).toEqual([
      "+33612345601",
      "Zoé, la cliente",
    ]);
  });

  it("an unterminated quote is an error naming the line where the field started", () => {
    expect(() => parseCsv('to,name\n1,ok\n2,"never closed\n')).toThrow(CsvError);
    expect(() => parseCsv('to,name\n1,ok\n2,"never closed\n')).toThrow(/^line 3: unterminated/);
  });
});

describe("fillTemplate", () => {
  it("fills {name} and lists every variable it has no value for", () => {
    const vars = new Map([["name", "Alice"]]);
    expect(fillTemplate("Bonjour {name}, RDV {date}", vars)).toEqual({ missing: ["date"] });
    expect(fillTemplate("Bonjour {name} {name}", vars)).toEqual({ text: "Bonjour Alice Alice" });
    expect(fillTemplate("prix {0} €", vars)).toEqual({ text: "prix {0} €" });
  });
});

describe("tables", () => {
  it("escapes control characters so a received SMS cannot drive the terminal", () => {
    expect(printable("a\u001b[2Jb\nc")).toBe("a\\x1b[2Jb⏎c");
    const out = renderTable([{ header: "TEXT", get: (r: string) => r, max: 5 }], ["\u001b]0;x\u0007hello"]);
    expect(out.replace(/\n/g, "")).not.toMatch(/[\u0000-\u001f]/);
    expect(out.split("\n")[1]).toBe("\\x1b…");
  });

  it("pads to the widest cell, right-aligns numbers, shows missing values as -", () => {
    const out = renderTable(
      [
        { header: "NAME", get: (r: { n: string; c: number | null }) => r.n },
        { header: "SENT", get: (r) => r.c, align: "right" },
      ],
      [
        { n: "sim1", c: 12 },
        { n: "gsm-long", c: null },
      ],
    );
    expect(out).toBe("NAME      SENT\nsim1        12\ngsm-long     -\n");
  });
});
