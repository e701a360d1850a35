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
// Pagefind still matches each word anywhere in a report, as a prefix: 新质生产力 finds every
// report with 新, 质, 生产 and 力. With the phrase index (search/phrases/<lang>/, written by
// the build when every shard's index was rewritten) a quoted term — "新质生产力", “新质生产力”
// — finds exactly the reports that contain it, also those Pagefind's words missed (after
// Pagefind's ranked ones, newest first), with totals, filter counts and the date sort from the
// index, the excerpt cut around the phrase and the phrase highlighted on the report; a shown
// result whose text lacks a quoted term is dropped (the index is exact for terms of up to 3
// characters, and for longer ones checked here). Unquoted terms are matched by Pagefind as
// before, and the reports that contain every term as typed rank first. Without the phrase
// index (another Pagefind version, an older build) search is Pagefind's alone.
//
// Messages: {id, op: "search", channel, query, filters, sort, count} answers {id, total,
// filters, totalFilters, hits}; {id, op: "more", channel, count} the next hits of the
// channel's latest search;
// {id, op: "filters"} every filter value with its count; {op: "preload", query} fetches
// the index chunks of a query while the reader is still typing.
import { PhraseIndex, and, bitmap, count as pagesIn, excerptAround, has, members, normalise, parseQuery } from "./archive-phrases.js";

let pagefind = null;
let bundles = [];
let vocabulary = null;  // the folder of the indexer's words; null: the build kept Pagefind's own index, no words
let phraseFolders = [];  // [{lang, path}]: the phrase index of each language of the bundles
let excerptWords = 30;
let rootPath = "/";
let phrases = null;  // Promise of the phrase indexes of the page's languages, or of null: search without them
const latest = {};   // per channel (the header box, the search page): the newest search
const sources = {};  // per channel: where its next results come from

// The indexer's words beginning with a character: one small list per character, fetched once.
const lists = new Map();
const startingWith = (character) => {
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
  const manifest = fetch(`${words}index.json`).then((response) => (response.ok ? words : null)).catch(() => null);
  const [first, ...rest] = bundles;
  pagefind = await import(config.root + first.path + "pagefind.js");
  await pagefind.options({ basePath: config.rootPath + first.path, baseUrl: config.rootPath,
    highlightParam: "highlight", excerptLength: config.excerptWords });
  for (const bundle of rest) await pagefind.mergeIndex(config.rootPath + bundle.path, { baseUrl: config.rootPath });
  await pagefind.init();
  vocabulary = await manifest;
};

// ==== Pagefind's files, read here ==========================================================
// The one place in the browser, outside Pagefind's own code, that knows Pagefind's index
// format (hooks/archive/pagefind_index.py is the build's): a page's fragment is
// `fragment/<id>.pf_fragment`, gzip of "pagefind_dcd" and the page's JSON — its URL from the
// site's root, its text (Chinese words joined by zero-width spaces), meta and filters. Read
// only from bundles whose pagefind-entry.json names a version listed here; for any other
// bundle this gives null, and the worker searches without the phrase index, as Pagefind does.
const PAGEFIND_VERSIONS = ["1.5.2"];
const FRAGMENTS_KEPT = 200;
const pagefindFragments = async (bundle) => {
  const base = rootPath + bundle.path;
  const entry = await fetch(`${base}pagefind-entry.json`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  if (!entry || !PAGEFIND_VERSIONS.includes(entry.version)) return null;
  const cache = new Map();
  const read = async (id) => {
    const response = await fetch(`${base}fragment/${encodeURIComponent(id)}.pf_fragment`);
    if (!response.ok) throw new Error(`search: fragment ${id} of ${bundle.name} is missing`);
    let bytes = new Uint8Array(await response.arrayBuffer());
    const signed = (data) => new TextDecoder().decode(data.subarray(0, 12)) === "pagefind_dcd";
    if (!signed(bytes)) {  // as Pagefind: the server may have decompressed it already
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
      if (!signed(bytes)) throw new Error(`search: fragment ${id} of ${bundle.name} is not Pagefind's`);
    }
    const page = JSON.parse(new TextDecoder().decode(bytes.subarray(12)));
    // the URL as Pagefind makes it with the worker's baseUrl option (the site's root path)
    return { url: `${rootPath}/${page.url}`.replace(/\/+/g, "/"), meta: page.meta || {}, content: String(page.content || "") };
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
  return indexes.map((index, l) => ({ lang: languages[l], index, fragments }));
})().catch(() => null);

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

// Per term, per language: the pages that contain it.
const termSets = (terms, languages) =>
  Promise.all(terms.map((term) => Promise.all(languages.map(({ index }) => index.term(term.norm)))));

// How many of the terms a located page contains.
const contained = (sets, location) => (location ? sets.reduce((n, set) => n + has(set[location.l], location.page), 0) : 0);

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
const hit = (data, typed) => {
  const url = new URL(data.url, "http://archive.invalid");
  url.searchParams.delete("highlight");
  for (const word of typed) url.searchParams.append("highlight", word);
  return { url: url.pathname + url.search + url.hash, meta: data.meta, excerpt: data.excerpt };
};

// By relevance: Pagefind merges the shards by score; their data is fetched a page at a time.
const relevance = (results, typed) => {
  let at = 0;
  return async (count) => {
    const slice = results.slice(at, at += count);
    return (await Promise.all(slice.map((r) => r.data()))).map((data) => hit(data, typed));
  };
};

// By date: Pagefind sorts within each shard only, so a merge of the shards' sorted lists
// keeps the order, loading one result more per shard than it hands out.
const byDate = async (query, typed, filters, direction) => {
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
      out.push(hit(candidates[best], typed));
      heads[best].at += 1;
      heads[best].data = null;
    }
    return out;
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

// A query with quoted terms: the reports that contain every quoted term (and Pagefind's match
// of the others), within the filters. Answers as `search`, or undefined when the filters are
// of a form the index does not read (Pagefind answers then).
const phraseSearch = async ({ id, channel, parsed, filters, sort, count: first, languages }) => {
  const quoted = parsed.phrases.filter((term) => term.quoted);
  const loose = parsed.phrases.filter((term) => !term.quoted);
  const selected = languages.map(({ index }) => index.filtered(filters));
  if (selected.includes(undefined)) return undefined;
  const [quotedSets, looseSets] = await Promise.all([termSets(quoted, languages), termSets(loose, languages)]);
  const containing = languages.map((_, l) => quotedSets.map((sets) => sets[l]).reduce(and));
  const allowed = containing.map((pages, l) => and(pages, selected[l]));
  // Pagefind ranks what it matched; with unquoted terms only what it matched is a result
  let found = null;
  const ranked = [];
  const seen = languages.map(({ index }) => bitmap(index.pages));
  if (loose.length || sort === "relevance") {
    found = parsed.terms ? await pagefind.search(parsed.terms, { filters }) : null;
    if (id !== latest[channel]) return null;
    const located = await Promise.all((found?.results || []).map((result) => locate(result, languages)));
    for (const location of located) {
      if (!location || !has(allowed[location.l], location.page) || has(seen[location.l], location.page)) continue;
      seen[location.l][location.page >> 3] |= 1 << (location.page & 7);
      ranked.push({ ...location, tier: contained(looseSets, location) });
    }
    ranked.sort((a, b) => b.tier - a.tier);
  }
  const results = loose.length ? seen : allowed;
  const date = ({ l, page }) => languages[l].index.meta.dates[page] || "";
  const order = (direction) => (a, b) => {
    const [x, y] = [date(a), date(b)];
    return (x === y ? 0 : (x < y) === (direction === "asc") ? -1 : 1) || a.l - b.l || a.page - b.page;
  };
  const everyPage = () => results.flatMap((pages, l) => members(pages).map((page) => ({ l, page })));
  let entries;
  if (sort !== "relevance") entries = (loose.length ? ranked : everyPage()).sort(order(sort));
  else if (loose.length) entries = ranked;
  else entries = ranked.concat(everyPage().filter(({ l, page }) => !has(seen[l], page)).sort(order("desc")));

  const highlightWords = loose.flatMap((term) => term.raw.match(/[\p{L}\p{N}_]+/gu) || []);
  const dropped = [];
  const present = async (entry) => {
    const { index, fragments } = languages[entry.l];
    const fragment = await fragments.get(index.shardOf(entry.page).name)(index.meta.fragments[entry.page]);
    const text = normalise(fragment.content);
    if (!quoted.every((term) => text.includes(term.norm))) { dropped.push(entry); return null; }
    const { excerpt, found: where } = excerptAround(fragment.content, quoted.map((term) => term.norm), excerptWords);
    return hit({ url: fragment.url, meta: fragment.meta, excerpt },
      [...quoted.map((term, i) => where[i] ?? term.raw), ...highlightWords]);
  };
  let at = 0;
  const source = async (wanted) => {
    const out = [];
    while (out.length < wanted && at < entries.length) {
      const slice = entries.slice(at, at += wanted - out.length);
      for (const shown of await Promise.all(slice.map(present))) if (shown) out.push(shown);
    }
    return out;
  };
  if (id !== latest[channel]) return null;
  sources[channel] = source;
  const hits = await source(first);
  // the results that failed the check are not counted (those found later are, as shown)
  const kept = languages.map((_, l) => {
    const pages = results[l].slice();
    for (const entry of dropped) if (entry.l === l) pages[entry.page >> 3] &= ~(1 << (entry.page & 7));
    return pages;
  });
  return { total: kept.reduce((sum, pages) => sum + pagesIn(pages), 0),
    filters: merged(languages.map(({ index }, l) => index.counts(kept[l]))),
    totalFilters: loose.length ? found?.totalFilters ?? {} : merged(languages.map(({ index }, l) => index.counts(containing[l]))),
    hits };
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
    await Promise.all([terms ? pagefind.preload(terms) : null,
      ...(languages || []).flatMap(({ index }) => wanted.map((term) => index.preload(term.norm).catch(() => null)))]);
  },
  filters: async () => pagefind.filters(),
  search: async ({ id, channel, query, filters = {}, sort = "relevance", count }) => {
    latest[channel] = id;
    const parsed = await parse(query);
    const languages = parsed.phrases.length ? await phraseIndexes() : null;
    if (id !== latest[channel]) return null;  // a newer query took over
    if (languages && parsed.phrases.some((term) => term.quoted)) {
      const answer = await phraseSearch({ id, channel, parsed, filters, sort, count, languages }).catch(broken);
      if (answer !== undefined) return answer;
    }
    const { typed, terms } = parsed;
    const found = await pagefind.search(terms, { filters });
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
