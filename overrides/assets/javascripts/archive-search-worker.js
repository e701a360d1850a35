// The archive's search engine: Pagefind, run in a worker of the archive's own.
//
// In a page, Pagefind splits a Chinese query with the browser's dictionary, which does not
// know the archive's vocabulary: 留抵退税 becomes 留 抵 退 税, four one-character words,
// each a prefix of hundreds of indexed words. That is slow (every matching word of every
// report is scored) and imprecise. Here there is no page language, so Pagefind looks up the
// words as the reader typed them, each matching the indexed words it begins (or, failing
// that, its longest indexed beginning), which the indexer segmented with its own dictionary.
// The page stays responsive while the shards are searched.
//
// Messages: {id, op: "search", channel, query, filters, sort, count} answers {id, total,
// filters, totalFilters, hits}; {id, op: "more", channel, count} the next hits of the
// channel's latest search;
// {id, op: "filters"} every filter value with its count; {op: "preload", query} fetches
// the index chunks of a query while the reader is still typing.
let pagefind = null;
let bundles = [];
const latest = {};   // per channel (the header box, the search page): the newest search
const sources = {};  // per channel: where its next results come from

// The query's words: the browser's dictionary splits it, and the characters it could not
// place are joined: a run of them is one word (留 抵 退 税: 留抵退税; 减税 降 费: 减税 降费),
// a lone one joins its neighbour (生产 力: 生产力), and 全年 一般 公共 预算 收入 stay five words.
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
const single = /^\p{Script=Han}$/u;
const words = (query) => {
  const terms = [];
  let run = [], glue = false;  // glue: the last term may take a lone character that follows
  const close = () => {
    if (run.length === 1 && glue) terms.push(terms.pop() + run[0]);
    else if (run.length) terms.push(run.join(""));
    run = [];
  };
  for (const { segment, isWordLike } of segmenter.segment(query || "")) {
    if (!isWordLike) {
      close();
      glue = false;
    } else if (single.test(segment)) {
      run.push(segment);
    } else {
      const lone = run.length === 1 ? run.pop() : "";
      close();
      terms.push(lone + segment);
      glue = true;
    }
  }
  close();
  return terms.join(" ") || null;
};

// The query as Pagefind splits it in a Chinese page: every word of the browser's dictionary.
const dictionaryWords = (query) =>
  [...segmenter.segment(query || "")].filter((s) => s.isWordLike).map((s) => s.segment).join(" ") || null;

// The reader's words first; when the index has none of them (it segmented 新质生产力 as
// 新 质 生产 力, and no indexed word begins 新质), the dictionary's words, as Pagefind
// would search them, so that words cut differently from the indexer's do not hide a phrase.
const find = async (query, filters) => {
  const typed = words(query);
  const found = await pagefind.search(typed, { filters });
  const split = dictionaryWords(query);
  if (found.unfilteredResultCount > 0 || !typed || split === typed) return { terms: typed, found };
  return { terms: split, found: await pagefind.search(split, { filters }) };
};

const init = async (config) => {
  bundles = config.bundles;
  const [first, ...rest] = bundles;
  pagefind = await import(config.root + first.path + "pagefind.js");
  await pagefind.options({ basePath: config.rootPath + first.path, baseUrl: config.rootPath,
    highlightParam: "highlight", excerptLength: config.excerptWords });
  for (const bundle of rest) await pagefind.mergeIndex(config.rootPath + bundle.path, { baseUrl: config.rootPath });
  await pagefind.init();
};

const hit = (data) => ({ url: data.url, meta: data.meta, excerpt: data.excerpt });

// By relevance: Pagefind merges the shards by score; their data is fetched a page at a time.
const relevance = (results) => {
  let at = 0;
  return async (count) => {
    const slice = results.slice(at, at += count);
    return (await Promise.all(slice.map((r) => r.data()))).map(hit);
  };
};

// By date: Pagefind sorts within each shard only, so a merge of the shards' sorted lists
// keeps the order, loading one result more per shard than it hands out.
const byDate = async (query, filters, direction) => {
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
      out.push(hit(candidates[best]));
      heads[best].at += 1;
      heads[best].data = null;
    }
    return out;
  };
};

const handlers = {
  init: async ({ config }) => init(config),
  preload: async ({ query }) => { const terms = words(query); if (terms) await pagefind.preload(terms); },
  filters: async () => pagefind.filters(),
  search: async ({ id, channel, query, filters = {}, sort = "relevance", count }) => {
    latest[channel] = id;
    const { terms, found } = await find(query, filters);
    if (id !== latest[channel]) return null;  // a newer query took over
    const source = sort === "relevance" ? relevance(found.results) : await byDate(terms, filters, sort);
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
