/**
 * Opt-out / opt-in / help keyword classifier (pure).
 *
 * THE RULE: a message is a keyword only if, after normalisation, it consists of exactly one keyword
 * (the same keyword repeated, "STOP STOP", still counts as one) plus optional filler words from a
 * closed list ("merci", "svp", "please"…). Anything else is an ordinary message: "stop le 12 ?",
 * "STOP à 18h ?", "arrêt de bus" are answers, not opt-outs. A message of more than 24 words is never
 * a keyword (a bound on the matcher's work; no real keyword reply is that long).
 *
 * Normalisation: Unicode NFD with combining marks removed (ARRÊT = ARRET), lower case, and every
 * character that is not a letter or a digit (punctuation, emoji, apostrophes, hyphens) turned into a
 * word break. So "Stop !!! 🙏", " stop. ", "OPT-OUT" and "Désabonner" all normalise to keywords.
 *
 * Free text that only expresses the wish ("je ne veux plus de sms", "arrêtez de m'écrire") is
 * `intent-optout`: it is flagged for an agent, it does not opt out by itself (ecosystem §6.2).
 * Why so strict: a false opt-out silently cuts a customer off a conversation they opened, and the
 * charters (af2m 2026, CNIL) ask for a simple keyword, which is what the confirmation tells them.
 */

export type KeywordKind = "optout" | "optin" | "help";

export type Classification =
  | { readonly kind: KeywordKind; readonly keyword: string }
  | { readonly kind: "intent-optout"; readonly phrase: string }
  | { readonly kind: "none" };

/** Phrases are written naturally; they are normalised like messages before matching. */
export interface KeywordLists {
  readonly optout: readonly string[];
  readonly optin: readonly string[];
  readonly help: readonly string[];
  /** Closed list of words/phrases allowed around a keyword. */
  readonly filler: readonly string[];
  /** Phrases that, found anywhere in a message, express the wish to opt out. */
  readonly intents: readonly string[];
}

export const FRENCH: KeywordLists = {
  optout: ["ARRÊT", "ARRETE", "ARRÊTEZ", "ARRÊTER", "DÉSABONNER", "DÉSINSCRIRE", "DÉSINSCRIPTION"],
  optin: [],
  help: ["AIDE"],
  filler: [
    "merci",
    "merci beaucoup",
    "merci bien",
    "svp",
    "stp",
    "s'il vous plaît",
    "s'il te plaît",
    "bonne journée",
    "bonne soirée",
    "bonjour",
    "bonsoir",
    "cordialement",
  ],
  intents: [
    "ne plus recevoir",
    "ne veux plus recevoir",
    "ne souhaite plus recevoir",
    "veux plus de sms",
    "veux plus de messages",
    "veux plus recevoir",
    "plus de sms svp",
    "arrêtez de m'écrire",
    "arrêtez de m'envoyer",
    "arrêter de m'écrire",
    "arrêter de m'envoyer",
    "arrête de m'écrire",
    "arrête de m'envoyer",
    "ne m'écrivez plus",
    "ne m'envoyez plus",
    "désinscrivez-moi",
    "désabonnez-moi",
    "désinscrire de",
    "désabonner de",
    "retirez-moi",
    "retirez mon numéro",
    "supprimez mon numéro",
  ],
};

export const ENGLISH: KeywordLists = {
  optout: [
    "STOP",
    "STOP SMS",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "OPTOUT",
    "OPT-OUT",
    "REVOKE",
  ],
  optin: ["START", "UNSTOP"],
  help: ["HELP", "INFO"],
  filler: ["please", "pls", "plz", "thanks", "thank you", "thx", "hi", "hello"],
  intents: [
    "stop texting",
    "stop messaging",
    "stop sending",
    "stop contacting",
    "remove me",
    "take me off",
    "unsubscribe me",
    "no more texts",
    "no more messages",
    "don't text me",
    "do not text me",
    "don't message me",
  ],
};

export const LANGUAGES = { fr: FRENCH, en: ENGLISH } as const;
export type Language = keyof typeof LANGUAGES;

/** Union of several languages' lists (a French business still gets STOP/START/HELP, and vice versa). */
export function mergeLists(...lists: readonly KeywordLists[]): KeywordLists {
  const u = (k: keyof KeywordLists) => [...new Set(lists.flatMap((l) => l[k]))];
  return {
    optout: u("optout"),
    optin: u("optin"),
    help: u("help"),
    filler: u("filler"),
    intents: u("intents"),
  };
}

export const DEFAULT_LISTS: KeywordLists = mergeLists(FRENCH, ENGLISH);

/** Words of a text after the normalisation described in the header. */
export function normalise(text: string): string[] {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

interface Phrase {
  readonly words: readonly string[];
  readonly kind: KeywordKind | "filler";
  readonly source: string;
}

/** Two long filler phrases around a keyword stay well below this; it bounds the matcher's backtracking. */
const MAX_WORDS = 24;

export interface Classifier {
  classify(text: string): Classification;
}

/** Builds a classifier once per configuration (phrases normalised up front). */
export function createClassifier(lists: KeywordLists = DEFAULT_LISTS): Classifier {
  const phrases: Phrase[] = [];
  const add = (kind: Phrase["kind"], list: readonly string[]) => {
    for (const source of list) {
      const words = normalise(source);
      if (words.length > 0) phrases.push({ words, kind, source });
    }
  };
  add("optout", lists.optout);
  add("optin", lists.optin);
  add("help", lists.help);
  add("filler", lists.filler);
  // Longest first, so "stop sms" is tried before "stop" and "merci beaucoup" before "merci".
  phrases.sort((a, b) => b.words.length - a.words.length);
  const intents = lists.intents
    .map((s) => ({ source: s, words: normalise(s) }))
    .filter((i) => i.words.length);

  const startsAt = (words: readonly string[], at: number, p: readonly string[]) =>
    p.every((w, i) => words[at + i] === w);

  /** The single keyword phrase that, with filler, covers all words; undefined otherwise. */
  function cover(words: readonly string[], at: number, kw: Phrase | undefined): Phrase | undefined | null {
    if (at === words.length) return kw ?? null;
    for (const p of phrases) {
      if (!startsAt(words, at, p.words)) continue;
      if (p.kind !== "filler" && kw && kw.source !== p.source) continue;
      const r = cover(words, at + p.words.length, p.kind === "filler" ? kw : p);
      if (r) return r;
    }
    return null;
  }

  return {
    classify(text: string): Classification {
      const words = normalise(text);
      if (words.length === 0 || words.length > MAX_WORDS) return intentOf(words);
      const kw = cover(words, 0, undefined);
      if (kw && kw.kind !== "filler")
        return { kind: kw.kind, keyword: normalise(kw.source).join(" ").toUpperCase() };
      return intentOf(words);
    },
  };

  function intentOf(words: readonly string[]): Classification {
    for (const i of intents)
      for (let at = 0; at + i.words.length <= words.length; at++)
        if (startsAt(words, at, i.words)) return { kind: "intent-optout", phrase: i.source };
    return { kind: "none" };
  }
}

const defaultClassifier = createClassifier();

export function classify(text: string): Classification {
  return defaultClassifier.classify(text);
}
