/**
 * Smart encoding (opt-in): typographic look-alikes that would force UCS-2 are replaced by GSM-7
 * characters, but only when the whole text then fits GSM-7; otherwise the text is kept exactly as
 * written (it is going out as UCS-2 anyway). French accents (ê ç â ô û œ) are never touched:
 * they are letters, not typography.
 */

/** Look-alike → replacement, by UTF-16 code unit. An empty string removes the character. */
const REPLACEMENTS = new Map<number, string>();

function add(chars: string, replacement: string): void {
  for (const ch of chars) REPLACEMENTS.set(ch.charCodeAt(0), replacement);
}

add("\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02b9\u00b4\u2039\u203a\uff07`", "'");
add("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\uff02", '"');
add("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\u2022\u25e6\u2027", "-");
add("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t", " ");
add("\u200b\u200c\u200d\u2060\ufeff\u00ad", "");
add("\u2026", "...");
add("\u00b8", ",");
add("\u02c6", "^");
add("\u02dc", "~");
add("\u2044\u2215", "/");
add("\u2024", ".");

/** Applies the replacements unconditionally. */
export function replaceLookalikes(text: string): string {
  let i = 0;
  for (; i < text.length; i++) if (REPLACEMENTS.has(text.charCodeAt(i))) break;
  if (i === text.length) return text;
  const parts: string[] = [text.slice(0, i)];
  let from = i;
  for (; i < text.length; i++) {
    const r = REPLACEMENTS.get(text.charCodeAt(i));
    if (r === undefined) continue;
    if (from < i) parts.push(text.slice(from, i));
    parts.push(r);
    from = i + 1;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts.join("");
}
