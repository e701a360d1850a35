// The archive's search engine: Pagefind, run in a worker of the archive's own, and the
// archive's phrase index (archive-phrases.js).
//
// In a page, Pagefind splits a Chinese query with the browser's dictionary, which does not
// know the archive's vocabulary: 留抵退税 becomes 留 抵 退 税, four one-character words,
// each a prefix of hundreds of indexed words, and 生产力 stays one word where the indexer
// wrote 生产 力, so it matches nothing. Here there is no page language: the worker cuts the
// query with the indexer's own words (search/words/, written by the build) and Pagefind
// looks up exactly those. The page stays responsive while the shards are searched.
//
// Pagefind matches each word anywhere in a report, as a prefix: 新质生产力 finds every
// report with 新, 质, 生产 and 力. With the phrase index (search/phrases/<lang>/, written by
// the build when every shard's index was rewritten) a query is answered from the reports'
// text instead (`textSearch`): a quoted term — "新质生产力", “新质生产力” — finds exactly the
// reports that contain it, an unquoted one the reports that hold each of its pieces, those
// that contain it as typed first; within that, by BM25 over the index's counts, the same
// however the shards are cut; totals, filter counts and the date sort from the index; the
// excerpt cut around the term, found where the index says it first occurs, and the phrase
// highlighted on the report. A shown result whose text lacks a quoted term is dropped (the
// index is exact for terms of up to 3 characters, and for longer ones checked here). Pagefind
// is then not asked at all. Without the phrase index (another Pagefind version, an older
// build) search is Pagefind's alone. On a translation's site (/en/), which searches its own
// shards and the default language's, a report with a translation is one result, the
// translation (`fold`), also when only the original's text matched (`via`: the original's
// excerpt, the translation's link and title); each hit says its language (`lang`).
//
// Messages: {id, op: "search", channel, query, filters, sort, count} answers {id, total,
// filters, totalFilters, hits}; {id, op: "more", channel, count} the next hits of the
// channel's latest search;
// {id, op: "filters"} every filter value with its count; {op: "preload", query} fetches
// the index chunks of a query while the reader is still typing.
import { PLACES, PhraseIndex, and, count as pagesIn, excerptAround, has, members, normalise, or, parseQuery } from "./archive-phrases.js";
import { stem } from "./archive-stem.js";

let pagefindOptions = null;  // how to load Pagefind (init's config), when it is needed
let pagefindLoaded = null;   // Promise of Pagefind's module, loaded and initialised
let bundles = [];
let vocabulary = null;  // the folder of the indexer's words; null: the build kept Pagefind's own index, no words
let listed = null;      // the characters that have a list (the words' manifest); null: an older build, ask for each
let phraseFolders = [];  // [{lang, path}]: the phrase index of each language of the bundles
let excerptWords = 30;
let rootPath = "/";
let phrases = null;  // Promise of the phrase indexes of the page's languages, or of null: search without them
const latest = {};   // per channel (the header box, the search page): the newest search
const sources = {};  // per channel: where its next results come from

// The indexer's words beginning with a character: one small list per character, fetched once,
// and only for a character the manifest names (any other would be a 404 in the server's log).
const lists = new Map();
const startingWith = (character) => {
  if (listed && !listed.has(character)) return Promise.resolve([]);
  if (!lists.has(character)) {
    lists.set(character, fetch(`${vocabulary}${character.codePointAt(0).toString(16)}.json`)
      .then((response) => (response.ok ? response.json() : [])).catch(() => []));
  }
  return lists.get(character);
};

// A run of Chinese characters cut as the indexer cut the reports: at each character, the
// rest of the run if an indexed word begins with it (a word still being typed), else the
// longest indexed word the rest begins with, else the character alone. Without the words
// (the build kept Pagefind's own index: another Pagefind version), Pagefind cuts the run.
const cut = async (run) => {
  if (vocabulary === null) return [run];
  const characters = [...run];
  const known = await Promise.all(characters.map(startingWith));
  const terms = [];
  for (let i = 0; i < characters.length;) {
    const rest = characters.slice(i).join("");
    let length = 1;
    if (known[i].some((word) => word.startsWith(rest))) length = characters.length - i;
    else for (const word of known[i]) if (rest.startsWith(word)) length = Math.max(length, [...word].length);
    terms.push(characters.slice(i, i + length).join(""));
    i += length;
  }
  return terms;
};

// The reader's words as typed (what a report opened from a result highlights), the terms
// Pagefind looks up (quotes dropped), and the query's terms for the phrase index.
const parse = async (query) => {
  const typed = (query || "").match(/[\p{L}\p{N}_]+/gu) || [];
  const pieces = typed.flatMap((word) => word.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu));
  const terms = (await Promise.all(pieces.map((piece) => (/\p{Script=Han}/u.test(piece) ? cut(piece) : [piece])))).flat();
  return { typed, terms: terms.join(" ") || null, phrases: parseQuery(query) };
};

const init = async (config) => {
  bundles = config.bundles;
  rootPath = config.rootPath;
  excerptWords = config.excerptWords ?? excerptWords;
  phraseFolders = (config.phrases || []).map(({ lang, path }) => ({ lang, path: config.root + path }));
  const words = config.root + config.vocabulary;
  // the build writes the manifest after the lists, and none when it kept Pagefind's own index
  const manifest = fetch(`${words}index.json`).then((response) => (response.ok ? response.json() : null))
    .then((read) => (read ? { words, characters: typeof read.characters === "string" ? new Set(read.characters) : null } : null))
    .catch(() => null);
  pagefindOptions = { root: config.root, rootPath: config.rootPath, excerptWords: config.excerptWords };
  // the phrase index answers without Pagefind: its manifest is fetched now, Pagefind only without it
  phraseIndexes().then((languages) => (languages ? null : loadPagefind())).catch(() => null);
  const found = await manifest;
  [vocabulary, listed] = found ? [found.words, found.characters] : [null, null];
};

// Pagefind, loaded when a query needs it: a site with the phrase index never does, and its
// readers' pages then load neither its code nor its WebAssembly nor every shard's metadata.
const loadPagefind = () => pagefindLoaded ??= (async () => {
  const { root, rootPath, excerptWords: length } = pagefindOptions;
  const [first, ...rest] = bundles;
  const options = { highlightParam: "highlight", excerptLength: length };
  const pagefind = await import(root + first.path + "pagefind.js");
  await pagefind.options({ ...options, basePath: rootPath + first.path, baseUrl: rootPath });
  // every shard with the options: mergeIndex gives a merged shard only those passed to it
  for (const bundle of rest) await pagefind.mergeIndex(rootPath + bundle.path, { ...options, baseUrl: rootPath });
  await pagefind.init();
  return pagefind;
})();

// ==== Pagefind's files, read here ==========================================================
// The one place in the browser, outside Pagefind's own code, that knows Pagefind's index
// format (hooks/archive/pagefind_index.py is the build's): a page's fragment is
// `fragment/<id>.pf_fragment`, gzip of "pagefind_dcd" and the page's JSON — its URL from the
// site's root, its text (Chinese words joined by zero-width spaces), meta and filters. Read
// only from bundles whose pagefind-entry.json names a version listed here; for any other
// bundle this gives null, and the worker searches without the phrase index, as Pagefind does.
//
// A long text is in blocks (pagefind_index.split_fragment): the fragment's `content` is its
// first block of words, and `archive_blocks` = {words, zws, blocks: [[first word, name]]}
// names the others, `fragment/<name>.block` (gzip of the block's text, which ends with the
// separator after its last word). Words are counted as Pagefind's `build_excerpt` counts them
// (at U+200B, else at white space), so Pagefind's word positions index the whole text; a
// result fetches only the blocks its excerpt shows. A fragment without the field is whole.
const PAGEFIND_VERSIONS = ["1.5.2"];
const FRAGMENTS_KEPT = 200;
const BLOCKS_KEPT = 1000;
const versions = new Map();  // bundle name → Promise of whether this worker reads its files
const knownFormat = (bundle) => {
  if (!versions.has(bundle.name)) {
    versions.set(bundle.name, fetch(`${rootPath}${bundle.path}pagefind-entry.json`)
      .then((r) => (r.ok ? r.json() : null)).then((entry) => PAGEFIND_VERSIONS.includes(entry?.version)).catch(() => false));
  }
  return versions.get(bundle.name);
};
const unzipped = async (response, what) => {  // as Pagefind: the server may have decompressed it already
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
};
const blocks = new Map();    // block URL → Promise of its text
const blockText = (url) => {
  if (!blocks.has(url)) {
    if (blocks.size >= BLOCKS_KEPT) blocks.delete(blocks.keys().next().value);
    blocks.set(url, fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`search: ${url}: ${response.status}`);
      return new TextDecoder().decode(await unzipped(response));
    }).catch((error) => { blocks.delete(url); throw error; }));
  }
  return blocks.get(url);
};
// A fragment's text as words, block by block: {words (count), blocks (count), blockOf(word),
// start(k), load(k) → the words of block k, joiner}. `escape` (Pagefind's raw_content:
// < and > escaped) applies to the blocks fetched as to the first.
const pagefindText = (bundle, content, field, escape = (text) => text) => {
  const zws = field ? Boolean(field.zws) : content.includes("\u200B");
  const split = (text) => (zws ? text.split("\u200B") : text.split(/[\r\n\s]+/g));
  const list = field && Array.isArray(field.blocks) ? field.blocks : [];
  const starts = [0, ...list.map(([first]) => first)];
  const total = field ? field.words : split(content).length;
  const cut = (text, k) => {
    const words = split(text);
    if (k < starts.length - 1) words.pop();  // the separator after the block's last word
    if (words.length !== (starts[k + 1] ?? total) - starts[k]) throw new Error("search: a text block is not of its words");
    return words;
  };
  const first = cut(content, 0);
  return {
    words: total, blocks: starts.length, zws, joiner: zws ? "" : " ", separator: zws ? "\u200B" : " ", start: (k) => starts[k],
    blockOf: (word) => { let k = starts.length - 1; while (k > 0 && starts[k] > word) k -= 1; return k; },
    load: async (k) => (k === 0 ? first
      : cut(escape(await blockText(`${rootPath}${bundle.path}fragment/${encodeURIComponent(list[k - 1][1])}.block`)), k)),
  };
};
// The words [from, to) of a text, fetching the blocks that hold them.
const wordsBetween = async (text, from, to) => {
  if (to <= from) return [];
  const [a, b] = [text.blockOf(from), text.blockOf(to - 1)];
  const loaded = await Promise.all(Array.from({ length: b - a + 1 }, (_, i) => text.load(a + i)));
  return loaded.flat().slice(from - text.start(a), to - text.start(a));
};
// A result's excerpt when its text is in blocks (a whole fragment keeps the excerpt Pagefind
// made of it): the archive's own choice of window, not a copy of Pagefind's. Of all runs of
// located words that fit in `length` words, the one with the most weight (Pagefind's
// `balanced_score` per located word; the earliest on a tie), centred in the window; the
// located words in <mark>. `data` is what a Pagefind result's data() gives.
const excerptStart = (locations, length) => {
  const points = [...locations].sort((a, b) => a.location - b.location);
  let [best, from, to, sum, left] = [-Infinity, 0, 0, 0, 0];
  for (let right = 0; right < points.length; right++) {
    sum += points[right].balanced_score;
    while (points[right].location - points[left].location >= length) sum -= points[left++].balanced_score;
    if (sum > best) [best, from, to] = [sum, points[left].location, points[right].location];
  }
  return Math.max(0, Math.floor((from + to + 1 - length) / 2));
};
const pagefindExcerpt = async (data, { marked = true } = {}) => {
  const [field, weighted, located] = [data.archive_blocks, data.weighted_locations || [], data.locations || []];
  const bundle = bundles.find((each) => each.name === data.filters?.shard?.[0]) ?? (bundles.length === 1 ? bundles[0] : null);
  if (!field) return marked ? data.excerpt : data.plain_excerpt;
  if (!bundle || !(await knownFormat(bundle))) return data.excerpt;
  const text = pagefindText(bundle, data.raw_content, field, (t) => t.replace(/</g, "&lt;").replace(/>/g, "&gt;"));
  const length = Math.min(excerptWords, text.words);
  let start = excerptStart(weighted, excerptWords);
  if (start + length > text.words) start = text.words - length;
  if (start < 0) start = 0;
  const words = await wordsBetween(text, start, start + length);
  if (marked) {
    for (const word of new Set(located)) {
      if (word >= start && word < start + length) words[word - start] = `<mark>${words[word - start]}</mark>`;
    }
  }
  return words.join(text.joiner).trim();
};
const pagefindFragments = async (bundle) => {
  if (!(await knownFormat(bundle))) return null;
  const base = rootPath + bundle.path;
  const cache = new Map();
  const read = async (id) => {
    const response = await fetch(`${base}fragment/${encodeURIComponent(id)}.pf_fragment`);
    if (!response.ok) throw new Error(`search: fragment ${id} of ${bundle.name} is missing`);
    const bytes = await unzipped(response);
    if (new TextDecoder().decode(bytes.subarray(0, 12)) !== "pagefind_dcd") throw new Error(`search: fragment ${id} of ${bundle.name} is not Pagefind's`);
    const page = JSON.parse(new TextDecoder().decode(bytes.subarray(12)));
    const content = String(page.content || "");
    // the URL as Pagefind makes it with the worker's baseUrl option (the site's root path)
    return { url: `${rootPath}/${page.url}`.replace(/\/+/g, "/"), meta: page.meta || {}, filters: page.filters || {},
      text: pagefindText(bundle, content, page.archive_blocks) };
  };
  return (id) => {
    if (!cache.has(id)) {
      if (cache.size >= FRAGMENTS_KEPT) cache.delete(cache.keys().next().value);
      cache.set(id, read(id).catch((error) => { cache.delete(id); throw error; }));
    }
    return cache.get(id);
  };
};
// ===========================================================================================

// The phrase indexes of the page's languages (its bundles' order), with each shard's
// fragment reader; null when a language has none, or a bundle is of another Pagefind.
const phraseIndexes = () => phrases ??= (async () => {
  const languages = [...new Set(bundles.map((bundle) => bundle.lang))];
  const folders = languages.map((lang) => phraseFolders.find((folder) => folder.lang === lang));
  if (!languages.length || folders.includes(undefined)) return null;
  const [indexes, readers] = await Promise.all([
    Promise.all(folders.map((folder) => PhraseIndex.load(folder.path))),
    Promise.all(bundles.map(pagefindFragments))]);
  if (indexes.some((index) => !index) || readers.some((reader) => !reader)) return null;
  const fragments = new Map(bundles.map((bundle, i) => [bundle.name, readers[i]]));
  for (const [l, index] of indexes.entries()) {
    const names = index.meta.shards.map((shard) => shard.name);
    const mine = bundles.filter((bundle) => bundle.lang === languages[l]).map((bundle) => bundle.name);
    if (names.length !== mine.length || names.some((name) => !mine.includes(name))) return null;
  }
  const out = indexes.map((index, l) => ({ lang: languages[l], index, fragments }));
  // A translation's index names, per page, its original in the default language's index
  // (phrases.py: `originals`): a report found in the original's text is shown as the translation.
  for (const [l, each] of out.entries()) {
    const originals = each.index.meta.originals;
    const o = out.findIndex((other) => other.lang === originals?.lang);
    if (o < 0 || o === l || !Array.isArray(originals.pages) || originals.pages.length !== each.index.pages) continue;
    const pairs = originals.pages.flatMap((original, page) =>
      (Number.isInteger(original) && original >= 0 && original < out[o].index.pages ? [[page, original]] : []));
    each.originals = { o, pairs, of: new Map(pairs) };
  }
  return out;
})().catch(() => null);

// Per language, the pages of `sets` (a bitmap per language) with every report whose original
// is among them and which has a translation in the search's languages moved to the translation.
const fold = (sets, languages) => {
  const out = sets.map((bits) => bits.slice());
  for (const [l, { originals }] of languages.entries()) {
    for (const [page, original] of originals ? originals.pairs : []) {
      if (!has(sets[originals.o], original)) continue;
      out[l][page >> 3] |= 1 << (page & 7);
      out[originals.o][original >> 3] &= ~(1 << (original & 7));
    }
  }
  return out;
};

// Where a Pagefind result is in the phrase indexes: {l (language), page}. Its id is its
// fragment's name, which two shards of a language may share (a prefix of a hash); the
// fragment's shard then tells them apart.
const locate = async (result, languages) => {
  const found = [];
  languages.forEach(({ index }, l) => { for (const page of index.fragments.get(result.id) || []) found.push({ l, page }); });
  if (found.length <= 1) return found[0] || null;
  const shard = (await result.data()).filters?.shard?.[0];
  return found.find(({ l, page }) => languages[l].index.shardOf(page).name === shard) || null;
};

// Per term, per language: its postings (archive-phrases.js `term`: the pages that contain it,
// and per page how often and where first).
const termSets = (terms, languages) =>
  Promise.all(terms.map((term) => Promise.all(languages.map(({ index }) => index.term(term.norm)))));

// How many of the terms a located page contains.
const contained = (sets, location) =>
  (location ? sets.reduce((n, set) => n + has(set[location.l].bits, location.page), 0) : 0);

// Pagefind's results, the reports that contain every term as typed first (then those that
// contain fewer of them), each group in Pagefind's order.
const phraseFirst = async (results, terms, languages) => {
  const [sets, located] = await Promise.all([termSets(terms, languages),
    Promise.all(results.map((result) => locate(result, languages)))]);
  return results.map((result, i) => ({ result, tier: contained(sets, located[i]) }))
    .sort((a, b) => b.tier - a.tier).map(({ result }) => result);
};

// A result, linked with the reader's words to highlight (Pagefind's link would carry its
// terms: 留 抵 退税 would mark every 留 of the report).
// `lang`: the language of the page linked (of its title and metadata), `excerptLang` of the
// excerpt where it differs (a translation found in its original's text).
const hit = (data, typed) => {
  const url = new URL(data.url, "http://archive.invalid");
  url.searchParams.delete("highlight");
  for (const word of typed) url.searchParams.append("highlight", word);
  return { url: url.pathname + url.search + url.hash, meta: data.meta, excerpt: data.excerpt, lang: data.lang,
    excerptLang: data.excerptLang ?? data.lang };
};

// The language of a Pagefind result: its shard's.
const languageOf = (data) =>
  (bundles.find((each) => each.name === data.filters?.shard?.[0]) ?? (bundles.length === 1 ? bundles[0] : null))?.lang;

// A Pagefind result shown: its fragment (data()) and the blocks of text its excerpt needs.
const shown = async (data, typed) => hit({ ...data, lang: languageOf(data), excerpt: await pagefindExcerpt(data) }, typed);

// By relevance: Pagefind merges the shards by score; their data is fetched a page at a time.
const relevance = (results, typed) => {
  let at = 0;
  return async (count) => {
    const slice = results.slice(at, at += count);
    return Promise.all(slice.map(async (r) => shown(await r.data(), typed)));
  };
};

// By date: Pagefind sorts within each shard only, so a merge of the shards' sorted lists
// keeps the order, loading one result more per shard than it hands out.
const byDate = async (query, typed, filters, direction) => {
  const pagefind = await loadPagefind();
  const lists = await Promise.all(bundles.map((bundle) => pagefind.search(query,
    { filters: { ...filters, shard: { any: [bundle.name] } }, sort: { date: direction } })));
  const heads = lists.map((list) => ({ results: list.results, at: 0, data: null }));
  const peek = async (head) => head.data ??= head.at < head.results.length ? await head.results[head.at].data() : null;
  const before = (a, b) => direction === "desc" ? a.meta.date > b.meta.date : a.meta.date < b.meta.date;
  return async (count) => {
    const out = [];
    while (out.length < count) {
      const candidates = await Promise.all(heads.map(peek));
      let best = -1;
      candidates.forEach((data, i) => { if (data && (best < 0 || before(data, candidates[best]))) best = i; });
      if (best < 0) break;
      out.push(shown(candidates[best], typed));
      heads[best].at += 1;
      heads[best].data = null;
    }
    return Promise.all(out);
  };
};

// Per filter and value, the sum over languages (as Pagefind merges its shards' counts).
const merged = (counts) => {
  const out = {};
  for (const groups of counts) {
    for (const [group, values] of Object.entries(groups)) {
      out[group] ??= {};
      for (const [value, n] of Object.entries(values)) out[group][value] = (out[group][value] || 0) + n;
    }
  }
  return out;
};

// Where a term is in a text of blocks, from where the phrase index says it can first be
// (`place`, in 256ths of the text: the latest first place of the term's grams, which is where
// the term first is unless each of its grams occurs before it on its own). The fragment's own
// first block and the blocks around that place are read first (one round trip), then the
// blocks after it, then those before, 2, 4, 8… at a time, until a run of loaded blocks holds
// the term. Gives that run (joined in the text's own format), whether the term was found, and
// whether the whole text was loaded (what a text lacking the term costs: the check that drops
// a result the index over-matched). Without a place (none known), from the start.
// The window read first, in shares of the text's words: a place is in characters, and words are
// of uneven length; on the corpus (9,920 reports, 8 terms, 320 reports sampled) a term's first
// word lay from 0.4 % before its place to 1.3 % after it.
const [BEFORE_PLACE, AFTER_PLACE] = [0.005, 0.015];
const lookFor = async (text, phrase, place = null) => {
  const at = place === null ? 0 : (place / PLACES) * text.words;
  const [a, b] = [text.blockOf(Math.max(0, Math.floor(at - BEFORE_PLACE * text.words))),
    text.blockOf(Math.min(text.words - 1, Math.ceil(at + (1 / PLACES + AFTER_PLACE) * text.words)))];
  const first = [0];
  for (let k = Math.max(1, a); k <= b; k++) first.push(k);
  const rest = [];
  for (let k = b + 1; k < text.blocks; k++) rest.push(k);
  for (let k = 1; k < a; k++) rest.push(k);
  const steps = [first];
  for (let from = 0, size = 2; from < rest.length; from += size, size *= 2) steps.push(rest.slice(from, from + size));
  const loaded = new Map();
  const runOf = (k) => {
    let [low, high] = [k, k];
    while (loaded.has(low - 1)) low -= 1;
    while (loaded.has(high + 1)) high += 1;
    const words = [];
    for (let i = low; i <= high; i++) words.push(...loaded.get(i));
    return words.join(text.separator);
  };
  for (const step of steps) {
    const blocks = await Promise.all(step.map((k) => text.load(k)));
    step.forEach((k, i) => loaded.set(k, blocks[i]));
    for (const k of step) {
      const run = runOf(k);
      if (normalise(run).includes(phrase)) return { run, found: true, whole: loaded.size === text.blocks };
    }
  }
  return { run: runOf(0), found: false, whole: loaded.size === text.blocks };
};

// The pieces an unquoted term is cut into, as the query is cut for Pagefind (`parse`): its
// words, a Chinese run cut with the indexer's words; each normalised. A piece is a list of
// strings, any of which a report may hold: a Chinese word is itself, an English word is
// itself or its stem (Pagefind stems English: "refunds" finds "refund", "activities" finds
// "active"), the stem less a final e or i (Porter2 adds an e to "hop" from "hoping" and turns
// the y of "policy" into an i, so the text holds the stem without it) when that leaves 3
// letters, else the stem itself ("fee" of "fees", "ad" of "added": Pagefind's match is as wide).
const piecesOf = async (raw) => {
  const typed = raw.match(/[\p{L}\p{N}_]+/gu) || [];
  const runs = typed.flatMap((word) => word.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu));
  const words = (await Promise.all(runs.map((run) => (/\p{Script=Han}/u.test(run) ? cut(run) : [run])))).flat();
  const pieces = new Map();
  for (const word of words.map(normalise).filter(Boolean)) {
    const stemmed = stem(word);
    const trimmed = stemmed.replace(/[ei]$/, "");
    const root = trimmed.length >= 3 ? trimmed : stemmed;
    pieces.set(word, root !== word && root.length >= 2 && /^[a-z]+$/.test(word) ? [word, root] : [word]);
  }
  return [...pieces.values()];
};

// Per term, per language, the postings of its results: a quoted term's pages contain it, an
// unquoted term's contain each of its pieces (each tested as a quoted term is: exact up to 3
// characters, the intersection of its 3-character pieces beyond). Also, per unquoted term, the
// postings of the term whole (phrase-first ranking) and of each alternative of each piece.
const queryTerms = async (parsed, languages) => {
  const quoted = parsed.phrases.filter((term) => term.quoted);
  const loose = parsed.phrases.filter((term) => !term.quoted);
  const pieces = await Promise.all(loose.map((term) => piecesOf(term.raw)));
  // per term, per piece, per alternative, per language: the postings
  const alternatives = (list) => termSets(list.flat().map((norm) => ({ norm })), languages).then((sets) => {
    let at = 0;
    return list.map((piece) => piece.map(() => sets[at++]));
  });
  const [quotedSets, wholeSets, pieceSets] = await Promise.all([termSets(quoted, languages), termSets(loose, languages),
    Promise.all(pieces.map(alternatives))]);
  const holding = pieceSets.map((term) => languages.map((_, l) =>
    term.map((piece) => piece.map((set) => set[l].bits).reduce(or)).reduce(and)));
  const containing = languages.map((_, l) => [...quotedSets.map((sets) => sets[l].bits), ...holding.map((sets) => sets[l])]
    .reduce(and));
  return { quoted, loose, pieces, quotedSets, wholeSets, pieceSets, containing };
};

// How relevant a page (of language l) is to the query, and where in it to look for what its
// excerpt shows: Okapi BM25 (archive-phrases.js `scorer`) summed over the terms, an unquoted
// term counting whole where the page holds it whole, else by its pieces (of each, its best
// alternative); the excerpt's term is the first quoted one, else the first unquoted one the
// page holds whole, else the piece of the first term that occurs first there.
const relevanceOf = (terms, languages) => {
  const scorers = (sets) => sets.map((set, l) => languages[l].index.scorer(set));
  const quoted = terms.quotedSets.map(scorers);
  const whole = terms.wholeSets.map(scorers);
  const pieces = terms.pieceSets.map((term) => term.map((piece) => piece.map(scorers)));
  const score = ({ l, page }) => {
    let sum = 0;
    for (const each of quoted) sum += each[l](page);
    whole.forEach((each, t) => {
      sum += has(terms.wholeSets[t][l].bits, page) ? each[l](page)
        : pieces[t].reduce((total, piece) => total + Math.max(...piece.map((alternative) => alternative[l](page))), 0);
    });
    return sum;
  };
  const anchor = ({ l, page }) => {
    if (terms.quoted.length) return { norm: terms.quoted[0].norm, place: terms.quotedSets[0][l].firsts[page] };
    const t = terms.wholeSets.findIndex((sets) => has(sets[l].bits, page));
    if (t >= 0) return { norm: terms.loose[t].norm, place: terms.wholeSets[t][l].firsts[page] };
    let best = null;
    terms.pieces[0]?.forEach((piece, j) => piece.forEach((norm, k) => {
      const set = terms.pieceSets[0][j][k][l];
      if (has(set.bits, page) && (!best || set.firsts[page] < best.place)) best = { norm, place: set.firsts[page] };
    }));
    return best ?? { norm: terms.loose[0].norm, place: null };
  };
  return { score, anchor };
};

// A query answered from the text, whatever the shards: its results are the reports that hold
// every term (queryTerms), within the filters; the same set however Pagefind's index is cut,
// since Pagefind, asking each shard apart, drops a word that shard's index lacks and answers
// with reports that hold only the others. By relevance, the reports that contain more unquoted
// terms whole come first (phrase-first), then by BM25 over the phrase index (`relevanceOf`),
// then newest first; by date, the index's dates. Pagefind is not asked: its scoring, per shard,
// grows with the square of the pages a word matches (README) and took most of a query's time at
// 10,000 reports. Totals and filter counts are the bitmaps'. Answers as `search`, or undefined
// when the filters are of a form the index does not read (Pagefind answers then).
const textSearch = async ({ id, channel, parsed, filters, sort, count: first, languages }) => {
  const selected = languages.map(({ index }) => index.filtered(filters));
  if (selected.includes(undefined)) return undefined;
  const terms = await queryTerms(parsed, languages);
  if (id !== latest[channel]) return null;
  const { quoted, loose, pieces } = terms;
  // a report with a translation in the page's language is one result, the translation
  const own = terms.containing.map((pages, l) => and(pages, selected[l]));
  const results = fold(own, languages);
  const containing = fold(terms.containing, languages);
  const wholeSets = terms.wholeSets.map((sets) => fold(sets.map((set) => set.bits), languages));
  const tier = ({ l, page }) => wholeSets.reduce((n, sets) => n + has(sets[l], page), 0);
  // a translation that is a result by its original's text only is shown from the original's
  const viaOriginal = (entry) => {
    const original = languages[entry.l].originals?.of.get(entry.page);
    return original === undefined || has(own[entry.l], entry.page) ? entry
      : { ...entry, via: { l: languages[entry.l].originals.o, page: original } };
  };
  const date = ({ l, page }) => languages[l].index.meta.dates[page] || "";
  const order = (direction) => (a, b) => {
    const [x, y] = [date(a), date(b)];
    return (x === y ? 0 : (x < y) === (direction === "asc") ? -1 : 1) || a.l - b.l || a.page - b.page;
  };
  const { score, anchor } = relevanceOf(terms, languages);
  let entries = results.flatMap((bits, l) => members(bits).map((page) => viaOriginal({ l, page })));
  if (sort !== "relevance") entries.sort(order(sort));
  else {
    entries = entries.map((entry) => ({ ...entry, tier: tier(entry), score: score(entry.via ?? entry) }));
    const newest = order("desc");
    entries.sort((a, b) => b.tier - a.tier || b.score - a.score || newest(a, b));
  }

  const typedWords = loose.flatMap((term) => term.raw.match(/[\p{L}\p{N}_]+/gu) || []);
  const dropped = [];
  const fragmentOf = ({ l, page }) => {
    const { index, fragments } = languages[l];
    return fragments.get(index.shardOf(page).name)(index.meta.fragments[page]);
  };
  // a translation found in its original's text: the original's excerpt, the translation's link and title
  const present = async (entry) => {
    if (!entry.via) return presentOwn(entry, entry);
    const [found, target] = await Promise.all([presentOwn(entry.via, entry), fragmentOf(entry)]);
    if (!found) return null;
    const search = new URL(found.url, "http://archive.invalid").search;
    return { ...found, url: new URL(target.url, "http://archive.invalid").pathname + search, meta: target.meta,
      lang: languages[entry.l].lang, excerptLang: found.lang };
  };
  const presentOwn = async (entry, owner) => {
    const lang = languages[entry.l].lang;
    const fragment = await fragmentOf(entry);
    const { norm, place } = anchor(entry);
    const { run, found, whole } = await lookFor(fragment.text, norm, place);
    if (!quoted.length) {  // the excerpt around the term, every term and piece marked
      const marked = [...loose.map((term) => term.norm), ...pieces.flat(2)];
      const { excerpt } = excerptAround(run, marked, excerptWords, fragment.text.zws);
      return hit({ url: fragment.url, meta: fragment.meta, excerpt, lang }, parsed.typed);
    }
    // the check that the text holds every quoted term, when the whole text was loaded
    if (whole && !quoted.every((term) => normalise(run).includes(term.norm))) { dropped.push(owner); return null; }
    const phrases = quoted.map((term) => term.norm);
    const { excerpt, found: where } = excerptAround(run, found ? phrases : [], excerptWords, fragment.text.zws);
    return hit({ url: fragment.url, meta: fragment.meta, excerpt, lang },
      [...quoted.map((term, i) => where[i] ?? term.raw), ...typedWords]);
  };
  let at = 0;
  const PRESENTED = 100;  // results read at once: a "more" of thousands must not open thousands of fetches
  const source = async (wanted) => {
    const out = [];
    while (out.length < wanted && at < entries.length) {
      const slice = entries.slice(at, at += Math.min(PRESENTED, wanted - out.length));
      for (const each of await Promise.all(slice.map(present))) if (each) out.push(each);
    }
    return out;
  };
  sources[channel] = source;
  const hits = await source(first);
  // the results that failed the check are not counted (those found later are, as shown)
  const without = (sets) => sets.map((set, l) => {
    const pages = set.slice();
    for (const entry of dropped) if (entry.l === l) pages[entry.page >> 3] &= ~(1 << (entry.page & 7));
    return pages;
  });
  const [kept, everywhere] = [without(results), without(containing)];
  const filterCounts = merged(languages.map(({ index }, l) => index.counts(kept[l])));
  // without filters (the header box) both are the same set: counted once
  const same = kept.every((bits, l) => bits.every((byte, i) => byte === everywhere[l][i]));
  return { total: kept.reduce((sum, pages) => sum + pagesIn(pages), 0), filters: filterCounts,
    totalFilters: same ? structuredClone(filterCounts) : merged(languages.map(({ index }, l) => index.counts(everywhere[l]))), hits };
};

// A phrase index that cannot be read (a file missing from the site): the query is answered
// as without it, and the console says why.
const broken = (error) => {
  console.warn(`search: the phrase index is not used for this query: ${error}`);
  return undefined;
};

const handlers = {
  init: async ({ config }) => init(config),
  preload: async ({ query }) => {
    const { terms, phrases: wanted } = await parse(query);
    const languages = wanted.length ? await phraseIndexes() : null;
    const pieces = languages ? (await Promise.all(wanted.filter((term) => !term.quoted).map((term) => piecesOf(term.raw)))).flat(2) : [];
    const norms = [...new Set([...wanted.map((term) => term.norm), ...pieces])];
    // a query the phrase index answers asks nothing of Pagefind
    await Promise.all([terms && !languages ? loadPagefind().then((pagefind) => pagefind.preload(terms)) : null,
      ...(languages || []).flatMap(({ index }) => norms.map((norm) => index.preload(norm).catch(() => null)))]);
  },
  // every filter value with its count: the phrase index's bitmaps when it is there (Pagefind
  // would load every shard's filter files for it)
  filters: async () => {
    const languages = await phraseIndexes();
    return languages ? merged(languages.map(({ index }) => index.counts(index.all()))) : (await loadPagefind()).filters();
  },
  search: async ({ id, channel, query, filters = {}, sort = "relevance", count }) => {
    latest[channel] = id;
    const parsed = await parse(query);
    const languages = parsed.phrases.length ? await phraseIndexes() : null;
    if (id !== latest[channel]) return null;  // a newer query took over
    if (languages) {
      const answer = await textSearch({ id, channel, parsed, filters, sort, count, languages }).catch(broken);
      if (answer !== undefined) return answer;
    }
    const { typed, terms } = parsed;
    const found = await (await loadPagefind()).search(terms, { filters });
    if (id !== latest[channel]) return null;
    let results = found.results;
    if (languages && sort === "relevance") results = await phraseFirst(results, parsed.phrases, languages).catch(broken) ?? results;
    if (id !== latest[channel]) return null;
    const source = sort === "relevance" ? relevance(results, typed) : await byDate(terms, typed, filters, sort);
    sources[channel] = source;
    return { total: found.results.length, filters: found.filters, totalFilters: found.totalFilters,
      hits: await source(count) };
  },
  more: async ({ channel, count }) => (sources[channel] ? sources[channel](count) : []),
};

let ready = null;
self.addEventListener("message", async ({ data }) => {
  try {
    if (data.op === "init") ready = handlers.init(data);
    await ready;
    const result = data.op === "init" ? true : await handlers[data.op](data);
    if (data.id !== undefined) self.postMessage({ id: data.id, result });
  } catch (error) {
    if (data.id !== undefined) self.postMessage({ id: data.id, error: String(error) });
  }
});
