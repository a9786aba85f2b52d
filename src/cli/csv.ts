/**
 * CSV for `smsgw send --csv` (RFC 4180: comma separated, fields may be double-quoted, "" is a quote
 * inside a quoted field, a quoted field may span lines). Also accepts ";" separated files as Excel
 * writes them in French locales, when the header row has a ";" and no ",". Each record keeps the
 * 1-based line number where it starts, so errors name the line the user sees in an editor.
 */

export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

export class CsvError extends Error {
  override readonly name = "CsvError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function detectSeparator(text: string): "," | ";" {
  const head = text.slice(0, text.search(/\r?\n|$/));
  return head.includes(";") && !head.includes(",") ? ";" : ",";
}

export function parseCsv(input: string): CsvRecord[] {
  const text = input.replace(/^\uFEFF/, "");
  const sep = detectSeparator(text);
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    fields.push(wasQuoted ? field : field.trim());
    field = "";
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === "")) out.push({ line: start, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === "") {
      quoted = true;
      wasQuoted = true;
      field = "";
    } else if (c === sep) endField();
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw new CsvError("unterminated quoted field", start);
  if (field !== "" || fields.length > 0) endRecord();
  return out;
}

/** Replaces {name} with the row's value; unknown names are reported, never left in the SMS. */
export function fillTemplate(
  template: string,
  vars: ReadonlyMap<string, string>,
): { text: string } | { missing: string[] } {
  const missing: string[] = [];
  const text = template.replace(/\{([A-Za-z_][\w-]*)\}/g, (m, name: string) => {
    const v = vars.get(name) ?? vars.get(name.toLowerCase());
    if (v === undefined) {
      missing.push(name);
      return m;
    }
    return v;
  });
  return missing.length > 0 ? { missing } : { text };
}
