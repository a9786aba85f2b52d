import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classify,
  createClassifier,
  DEFAULT_LISTS,
  ENGLISH,
  FRENCH,
  mergeLists,
  normalise,
} from "../../../src/conversation/keywords.js";

// Replies that must opt out at once (exactly one keyword + filler, any case/accents/punctuation).
const OPT_OUT = [
  "STOP",
  "stop",
  "Stop",
  "sToP",
  " STOP ",
  "\tstop\n",
  "STOP.",
  "stop!",
  "Stop !!!",
  "STOP ?",
  "stop…",
  "STOP 🙏",
  "🛑 stop 🛑",
  "STOP SMS",
  "stop sms",
  "Stop Sms.",
  "STOPALL",
  "stopall",
  "ARRET",
  "ARRÊT",
  "arrêt",
  "Arret.",
  "ARRETE",
  "arrête",
  "Arrêtez",
  "ARRETER",
  "arrêter",
  "DESABONNER",
  "DÉSABONNER",
  "désabonner",
  "Desabonner svp",
  "DESINSCRIRE",
  "désinscrire",
  "DÉSINSCRIPTION",
  "UNSUBSCRIBE",
  "unsubscribe",
  "Unsubscribe please",
  "CANCEL",
  "cancel",
  "END",
  "end.",
  "QUIT",
  "quit",
  "OPTOUT",
  "opt-out",
  "OPT OUT",
  "REVOKE",
  "revoke",
  "STOP merci",
  "stop svp",
  "Stop stp",
  "STOP MERCI BEAUCOUP",
  "stop, merci !",
  "Merci STOP",
  "svp stop",
  "STOP s'il vous plaît",
  "Stop bonne journée",
  "Bonjour, STOP. Merci.",
  "stop please",
  "STOP thanks",
  "stop thank you",
  "Hi, STOP",
  "STOP STOP",
  "stop stop stop!!",
  "ARRÊT merci",
  "arret svp",
  "stop 😡",
  "« STOP »",
  "STOP\r\n",
  "Stop, cordialement",
];

const OPT_IN = ["START", "start", "Start.", "UNSTOP", "start merci", "START please", "🙂 start"];
const HELP = ["AIDE", "aide", "Aide ?", "HELP", "help!", "INFO", "info ?", "aide svp", "HELP please"];

// Ordinary replies: must NOT trigger anything.
const ORDINARY = [
  "oui",
  "Oui",
  "non",
  "OK",
  "ok merci",
  "1",
  "2",
  "3",
  "merci",
  "Merci beaucoup !",
  "svp",
  "bonjour",
  "stop le 12 ?",
  "STOP à 18h ?",
  "je veux pas stopper",
  "arrêt de bus",
  "l'arrêt de bus est où ?",
  "on s'arrête à 18h",
  "stopper la commande",
  "stop ou encore ?",
  "le rendez-vous est annulé",
  "annuler le rdv",
  "cancel my appointment",
  "end of the week works",
  "I will quit my job",
  "start at 9",
  "quand est-ce que ça start ?",
  "help me find my order",
  "info sur ma commande",
  "besoin d'aide pour ma commande",
  "aide moi",
  "stop at the shop",
  "non merci",
  "oui svp",
  "c'est bon",
  "à demain",
  "👍",
  "",
  "   ",
  "???",
  "STOP STOP START",
  "stop aide",
  "stopall start",
  "Est-ce que vous êtes ouverts dimanche ?",
  "Mon colis n'est pas arrivé",
  "STOP2",
  "stops",
];

// Free text that only expresses the wish: flagged for an agent, not an automatic opt-out.
const INTENT = [
  "je ne veux plus recevoir vos messages",
  "ne plus recevoir",
  "Je ne veux plus de SMS",
  "arrêtez de m'écrire",
  "Arrêtez de m'envoyer des pubs",
  "désinscrivez-moi",
  "désinscrivez moi svp",
  "Merci de ne plus m'envoyer de messages, ne m'écrivez plus",
  "please stop texting me",
  "remove me from your list",
  "STOP arrêtez de m'écrire",
];

describe("keyword corpus", () => {
  it("has the promised size", () => {
    expect(OPT_OUT.length).toBeGreaterThanOrEqual(60);
    expect(ORDINARY.length).toBeGreaterThanOrEqual(40);
  });

  it.each(OPT_OUT)("opt-out: %j", (text) => {
    expect(classify(text).kind).toBe("optout");
  });
  it.each(OPT_IN)("opt-in: %j", (text) => {
    expect(classify(text).kind).toBe("optin");
  });
  it.each(HELP)("help: %j", (text) => {
    expect(classify(text).kind).toBe("help");
  });
  it.each(ORDINARY)("ordinary reply: %j", (text) => {
    expect(classify(text)).toEqual({ kind: "none" });
  });
  it.each(INTENT)("intent only: %j", (text) => {
    expect(classify(text).kind).toBe("intent-optout");
  });
});

describe("classifier details", () => {
  it("reports the canonical keyword that matched (multi-word keywords beat their first word)", () => {
    expect(classify("Stop SMS merci")).toEqual({ kind: "optout", keyword: "STOP SMS" });
    expect(classify("ARRÊT")).toEqual({ kind: "optout", keyword: "ARRET" });
    expect(classify("opt-out")).toEqual({ kind: "optout", keyword: "OPT OUT" });
  });

  it("normalises accents, case, punctuation and emoji into words", () => {
    expect(normalise("  Désinscrire !!! 🙏 ")).toEqual(["desinscrire"]);
    expect(normalise("s'il vous plaît")).toEqual(["s", "il", "vous", "plait"]);
  });

  it("uses only the configured languages", () => {
    const fr = createClassifier(FRENCH);
    expect(fr.classify("ARRÊT").kind).toBe("optout");
    expect(fr.classify("STOP please").kind).toBe("none");
    const en = createClassifier(ENGLISH);
    expect(en.classify("désabonner").kind).toBe("none");
    expect(en.classify("stop please").kind).toBe("optout");
  });

  it("accepts business-specific keywords and filler", () => {
    const c = createClassifier(
      mergeLists(FRENCH, ENGLISH, {
        optout: ["STOPPUB"],
        optin: ["REPRENDRE"],
        help: [],
        filler: ["svp merci"],
        intents: [],
      }),
    );
    expect(c.classify("stoppub").kind).toBe("optout");
    expect(c.classify("Reprendre !").kind).toBe("optin");
  });

  it("never treats a long message as a keyword, even made of filler", () => {
    expect(classify(`STOP ${"merci ".repeat(24)}`).kind).toBe("none");
    expect(classify(`STOP ${"merci ".repeat(23)}`).kind).toBe("optout");
  });
});

describe("the rule as properties", () => {
  // Up to two filler phrases each side: at most 18 words with the keyword, under the 24-word bound.
  const filler = fc.array(fc.constantFrom(...DEFAULT_LISTS.filler), { maxLength: 2 });
  const sep = fc.constantFrom(" ", "  ", ", ", ". ", " ! ", " 🙏 ", "\n", " - ");
  const casing = fc.constantFrom(
    (s: string) => s,
    (s: string) => s.toUpperCase(),
    (s: string) => s.toLowerCase(),
  );

  it("one keyword among filler, any casing and separators, is that keyword", () => {
    const keyword = fc.constantFrom(
      ...(["optout", "optin", "help"] as const).flatMap((kind) =>
        DEFAULT_LISTS[kind].map((kw) => [kind, kw] as const),
      ),
    );
    fc.assert(
      fc.property(keyword, filler, filler, sep, casing, ([kind, kw], before, after, s, cs) => {
        const text = cs([...before, kw, ...after].join(s));
        expect(classify(`${text}${s.trim()}`).kind).toBe(kind);
      }),
    );
  });

  it("a keyword with any word outside the closed lists is never a keyword", () => {
    const stray = fc.constantFrom("demain", "12", "18h", "le", "bus", "à", "commande", "2", "ok");
    fc.assert(
      fc.property(
        fc.constantFrom(...DEFAULT_LISTS.optout),
        filler,
        stray,
        fc.boolean(),
        (kw, f, w, first) => {
          const words = first ? [w, kw, ...f] : [kw, ...f, w];
          expect(["none", "intent-optout"]).toContain(classify(words.join(" ")).kind);
        },
      ),
    );
  });
});
