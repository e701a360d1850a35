// The archive's search engine: Pagefind, run in a worker of the archive's own.
//
// In a page, Pagefind splits a Chinese query with the browser's dictionary, which does not
// know the archive's vocabulary: 留抵退税 becomes 留 抵 退 税, four one-character words,
// each a prefix of hundreds of indexed words, and 生产力 stays one word where the indexer
// wrote 生产 力, so it matches nothing. Here there is no page language: the worker cuts the
// query with the indexer's own words (search/words/, written by the build) and Pagefind
// looks up exactly those. The page stays responsive while the shards are searched.
//
// Messages: {id, op: "search", channel, query, filters, sort, count} answers {id, total,
// filters, totalFilters, hits}; {id, op: "more", channel, count} the next hits of the
// channel's latest search;
// {id, op: "filters"} every filter value with its count; {op: "preload", query} fetches
// the index chunks of a query while the reader is still typing.
let pagefind = null;
let bundles = [];
let vocabulary = null;  // the folder of the indexer's words; null: the build kept Pagefind's own index, no words
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

// The reader's words as typed (what a report opened from a result highlights), and the
// terms Pagefind looks up.
const parse = async (query) => {
  const typed = (query || "").match(/[\p{L}\p{N}_]+/gu) || [];
  const pieces = typed.flatMap((word) => word.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu));
  const terms = (await Promise.all(pieces.map((piece) => (/\p{Script=Han}/u.test(piece) ? cut(piece) : [piece])))).flat();
  return { typed, terms: terms.join(" ") || null };
};

const init = async (config) => {
  bundles = config.bundles;
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

const handlers = {
  init: async ({ config }) => init(config),
  preload: async ({ query }) => { const { terms } = await parse(query); if (terms) await pagefind.preload(terms); },
  filters: async () => pagefind.filters(),
  search: async ({ id, channel, query, filters = {}, sort = "relevance", count }) => {
    latest[channel] = id;
    const { typed, terms } = await parse(query);
    const found = await pagefind.search(terms, { filters });
    if (id !== latest[channel]) return null;  // a newer query took over
    const source = sort === "relevance" ? relevance(found.results, typed) : await byDate(terms, typed, filters, sort);
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
