// English stems for the search worker: the Snowball English ("Porter2") algorithm, which
// Pagefind's indexer and its search code use for English pages.
//
// Why here: the worker answers an unquoted query from the text (a report is a result iff it
// holds each piece of each term), and Pagefind matches an English word by its stem: "refunds"
// finds a report that says "refund", "activities" one that says "active". The worker tests the
// stem as a piece of text, so it keeps those matches. Pagefind exposes no stemmer to scripts,
// and the archive ships no npm packages to the browser, so this is the archive's own code,
// written from the published algorithm (snowballstem.org, "The English (Porter2) stemming
// algorithm"); tests/test_search_terms_browser.py compares it with the `snowballstemmer`
// Python package on every English word of the sample archive.

const VOWELS = "aeiouy";
const isVowel = (c) => VOWELS.includes(c);
const LI_ENDING = "cdeghkmnrt";
const DOUBLES = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];
const EXCEPTIONS = {
  skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
  ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe",
  atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes",
};
const AFTER_1A = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);
const R1_PREFIXES = ["gener", "commun", "arsen"];

// the position after the first non-vowel that follows a vowel, from `start`
const regionAfter = (w, start) => {
  for (let i = start + 1; i < w.length; i++) if (!isVowel(w[i]) && isVowel(w[i - 1])) return i + 1;
  return w.length;
};

// a short syllable ends at `end` (exclusive): non-vowel, vowel, non-vowel other than w, x, Y;
// or, at the word's start, vowel then non-vowel
const shortSyllable = (w, end) => {
  if (end >= 3) {
    const [a, b, c] = [w[end - 3], w[end - 2], w[end - 1]];
    return !isVowel(a) && isVowel(b) && !isVowel(c) && !"wxY".includes(c);
  }
  return end === 2 && isVowel(w[0]) && !isVowel(w[1]);
};

// the longest of `suffixes` the word ends with, or null
const longest = (w, suffixes) => {
  let found = null;
  for (const suffix of suffixes) if (w.endsWith(suffix) && (!found || suffix.length > found.length)) found = suffix;
  return found;
};

const hasVowel = (s) => [...s].some(isVowel);

const STEP2 = {
  tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
  ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful",
  ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", ogi: "og",
  fulli: "ful", lessli: "less", li: "",
};
const STEP3 = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "", ative: "" };
const STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti",
  "ous", "ive", "ize", "ion"];

/** The Porter2 stem of a lower-case English word (other strings are given back as they are). */
export const stem = (word) => {
  if (!/^[a-z']+$/.test(word)) return word;
  if (word.length <= 2) return word;
  if (Object.hasOwn(EXCEPTIONS, word)) return EXCEPTIONS[word];
  let w = word.replace(/^'/, "");
  // y at the start or after a vowel is a consonant: Y
  w = [...w].map((c, i) => (c === "y" && (i === 0 || isVowel(w[i - 1])) ? "Y" : c)).join("");
  const prefix = R1_PREFIXES.find((p) => w.startsWith(p));
  const p1 = prefix ? prefix.length : regionAfter(w, 0);
  const p2 = regionAfter(w, p1);
  const inR1 = (suffix) => w.length - suffix.length >= p1;
  const inR2 = (suffix) => w.length - suffix.length >= p2;
  const cut = (suffix, by = "") => { w = w.slice(0, w.length - suffix.length) + by; };

  // step 0: apostrophes
  const s0 = longest(w, ["'", "'s", "'s'"]);
  if (s0) cut(s0);
  // step 1a: plurals
  const s1a = longest(w, ["sses", "ied", "ies", "s", "us", "ss"]);
  if (s1a === "sses") cut(s1a, "ss");
  else if (s1a === "ied" || s1a === "ies") cut(s1a, w.length > 4 ? "i" : "ie");
  else if (s1a === "s" && hasVowel(w.slice(0, -2))) cut(s1a);
  if (AFTER_1A.has(w)) return w;
  // step 1b: -ed, -ing
  const s1b = longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
  if (s1b === "eed" || s1b === "eedly") {
    if (inR1(s1b)) cut(s1b, "ee");
  } else if (s1b && hasVowel(w.slice(0, -s1b.length))) {
    cut(s1b);
    if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
    else if (DOUBLES.some((d) => w.endsWith(d))) w = w.slice(0, -1);
    else if (w.length === p1 && shortSyllable(w, w.length)) w += "e";
  }
  // step 1c: y after a non-vowel that is not the first letter
  if (w.length > 2 && (w.endsWith("y") || w.endsWith("Y")) && !isVowel(w[w.length - 2])) w = w.slice(0, -1) + "i";
  // step 2
  const s2 = longest(w, Object.keys(STEP2));
  if (s2 && inR1(s2)) {
    if (s2 === "ogi") { if (w[w.length - 4] === "l") cut(s2, "og"); }
    else if (s2 === "li") { if (LI_ENDING.includes(w[w.length - 3])) cut(s2); }
    else cut(s2, STEP2[s2]);
  }
  // step 3
  const s3 = longest(w, Object.keys(STEP3));
  if (s3 && inR1(s3) && (s3 !== "ative" || inR2(s3))) cut(s3, STEP3[s3]);
  // step 4
  const s4 = longest(w, STEP4);
  if (s4 && inR2(s4) && (s4 !== "ion" || "st".includes(w[w.length - 4] || "-"))) cut(s4);
  // step 5
  if (w.endsWith("e")) {
    if (inR2("e") || (inR1("e") && !shortSyllable(w, w.length - 1))) cut("e");
  } else if (w.endsWith("ll") && inR2("l")) cut("l");
  return w.replace(/Y/g, "y");
};
