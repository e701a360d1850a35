// Search for the work-report archive: Pagefind shards merged in the browser.
// The header box shows results as the reader types; the search/ page adds filters
// (year, topic, unit, template) and sorting — on a phone the results first, the filters behind a
// button — kept in its address and in the language menu's links; a report opened from a result
// highlights the terms. Everything is loaded from this site, relative to its root.
const configElement = document.getElementById("wr-search-config");
const config = configElement ? JSON.parse(configElement.textContent) : null;

if (config && config.bundles.length) {
  const root = new URL(config.base.replace(/\/?$/, "/"), location.href);
  const text = config.labels;
  let loading = null;

  // Pagefind runs in the archive's own worker (archive-search-worker.js says why); this
  // asks it for results, and shows them.
  const engine = () => loading ??= (() => {
    const worker = new Worker(new URL("archive-search-worker.js", import.meta.url), { type: "module" });
    const pending = new Map();
    let next = 0;
    worker.addEventListener("message", ({ data }) => {
      const { resolve, reject } = pending.get(data.id) || {};
      pending.delete(data.id);
      if (data.error) reject?.(new Error(data.error)); else resolve?.(data.result);
    });
    const ask = (op, message = {}) => new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, op, id });
    });
    ask("init", { config: { bundles: config.bundles, root: root.href, rootPath: root.pathname,
      excerptWords: config.excerptWords, vocabulary: config.vocabulary, phrases: config.phrases } });
    return {
      search: (channel, query, options = {}) => ask("search", { channel, query, ...options }),
      more: (channel, count) => ask("more", { channel, count }),
      filters: () => ask("filters"),
      preload: (query) => worker.postMessage({ op: "preload", query }),
    };
  })();
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // a query is searched once the reader has paused this long (the index files are preloaded at once)
  const TYPING_PAUSE = 80;

  const element = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "class") node.className = value; else node.setAttribute(name, value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  };

  // Pagefind's excerpts mark the terms with <mark>; nothing else may become markup.
  const excerpt = (html) => {
    const node = element("p", { class: "wr-hit__excerpt" });
    node.innerHTML = html.replace(/<(?!\/?mark>)/g, "&lt;");
    return node;
  };

  // A result in another language than the page's (a report not translated into it, or the
  // original's excerpt of a translation found by its original's text) says so with `lang`.
  const other = (lang) => (lang && lang !== config.lang ? { lang } : {});
  const hit = (data) => {
    const shown = excerpt(data.excerpt || "");
    for (const [name, value] of Object.entries(other(data.excerptLang))) shown.setAttribute(name, value);
    return element("li", { class: "wr-hit" },
      element("a", { class: "wr-hit__title", href: data.url, ...other(data.lang) }, data.meta.title || data.url),
      element("div", { class: "wr-hit__meta", ...other(data.lang) },
        data.meta.unit ? element("span", {}, data.meta.unit) : null,
        data.meta.date ? element("time", { datetime: data.meta.date }, data.meta.date) : null),
      shown);
  };

  const searchPageUrl = (query) => {
    const url = new URL(config.searchPage, root);
    if (query) url.searchParams.set("q", query);
    return url.href;
  };

  // Material loads its search index with the page; this starts the worker, which loads
  // Pagefind's code and the shards' small entry files, once the page is idle (cached from
  // then on), so that the first keystroke is answered from memory.
  const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 1000));
  window.addEventListener("load", () => idle(() => engine()));

  // ---- the header box -------------------------------------------------------------
  const box = document.querySelector(".wr-search");
  const headerInner = document.querySelector(".md-header__inner");
  if (box && headerInner) {
    headerInner.insertBefore(box, headerInner.querySelector(".md-header__option") || null);
    box.hidden = false;
    const input = box.querySelector("input");
    const panel = box.querySelector(".wr-search__panel");
    let serial = 0;

    const show = async () => {
      const query = input.value.trim();
      const mine = ++serial;
      if (!query) { panel.hidden = true; return; }
      const search = engine();
      search.preload(query);      // the index chunks are fetched while the reader types on
      await sleep(TYPING_PAUSE);
      if (mine !== serial) return;
      const found = await search.search("box", query, { count: 5 });
      if (!found || mine !== serial) return;  // a newer keystroke took over
      const total = found.total;
      delete panel.dataset.query;
      panel.replaceChildren(...[
        element("p", { class: "wr-search__count" }, total ? text.results.replace("{count}", total) : text.none),
        element("ol", { class: "wr-hits" }, ...found.hits.map(hit)),
        total > 5 ? element("a", { class: "wr-search__all", href: searchPageUrl(query) }, text.all) : null,
      ].filter(Boolean));
      panel.hidden = false;
      panel.dataset.query = query;  // every result of this query is shown
    };

    input.addEventListener("input", show);
    input.addEventListener("focus", () => { engine(); if (input.value.trim()) show(); });
    input.addEventListener("keydown", (event) => {
      const links = [...panel.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      if (event.key === "Enter") { event.preventDefault(); location.href = searchPageUrl(input.value.trim()); }
      if (event.key === "ArrowDown" && links.length) { event.preventDefault(); links[0].focus(); }
      if (event.key === "Escape") { panel.hidden = true; input.blur(); }
      if (at >= 0) event.stopPropagation();
    });
    panel.addEventListener("keydown", (event) => {
      const links = [...panel.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown") { event.preventDefault(); links[Math.min(at + 1, links.length - 1)].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
      if (event.key === "Escape") { panel.hidden = true; input.focus(); }
    });
    document.addEventListener("click", (event) => { if (!box.contains(event.target)) panel.hidden = true; });
    // the keyboard shortcuts Material's own search has: "/", "s" and "f"
    document.addEventListener("keydown", (event) => {
      const typing = event.target.closest("input, textarea, select, [contenteditable]");
      if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && ["/", "s", "f"].includes(event.key)) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  // ---- the search page: filters and sorting --------------------------------------
  const page = document.getElementById("wr-search-page");
  if (page) {
    const labels = JSON.parse(page.dataset.filters);
    const params = new URLSearchParams(location.search);
    const groups = ["year", "topic", "unit", "template"];
    const chosen = Object.fromEntries(groups.map((g) => [g, new Set(params.getAll(g))]));
    const input = element("input", { type: "search", class: "wr-search-page__input", placeholder: text.placeholder,
      "aria-label": text.placeholder, value: params.get("q") || "" });
    const sort = element("select", { class: "wr-search-page__sort", "aria-label": text.sort },
      ...Object.entries(text.sorts).map(([value, label]) => element("option", { value }, label)));
    sort.value = params.get("sort") || "relevance";
    const facets = element("div", { class: "wr-facets", id: "wr-search-facets" });
    // On a phone the results come first and the filters open from a button (issue 12): closed,
    // they are `hidden`, so that none of their boxes is a tab stop nobody sees.
    const toggle = element("button", { type: "button", class: "md-button wr-facets-toggle",
      "aria-controls": "wr-search-facets", "aria-expanded": "false" }, text.filterButton);
    const toggleCount = element("span", { class: "wr-facets-toggle__count" });
    toggle.append(toggleCount);
    const phone = window.matchMedia("(max-width: 44.9375em)");  // Material's mobile breakpoint
    let opened = false;
    const layout = () => {
      toggle.hidden = !phone.matches;
      facets.hidden = phone.matches && !opened;
      toggle.setAttribute("aria-expanded", String(!facets.hidden));
    };
    toggle.addEventListener("click", () => { opened = !opened; layout(); });
    phone.addEventListener("change", layout);
    const status = element("p", { class: "wr-search__count", "aria-live": "polite" });
    const list = element("ol", { class: "wr-hits wr-hits--page" });
    const more = element("button", { type: "button", class: "md-button wr-more", hidden: "" }, text.more);
    page.replaceChildren(
      element("div", { class: "wr-search-page__bar" }, input, element("label", {}, text.sort, " ", sort), toggle),
      element("div", { class: "wr-search-page__body" }, facets,
        element("div", { class: "wr-search-page__results" }, status, list, more)));
    let serial = 0, shown = 0, allValues = null;

    // every group is named (an empty "any" selects all), so that Pagefind counts every group
    const filters = () => Object.fromEntries(groups.map((g) => [g, { any: [...chosen[g]] }]));
    const active = () => groups.some((g) => chosen[g].size);

    const remember = () => {
      const next = new URLSearchParams();
      if (input.value.trim()) next.set("q", input.value.trim());
      if (sort.value !== "relevance") next.set("sort", sort.value);
      for (const g of groups) for (const value of chosen[g]) next.append(g, value);
      history.replaceState(null, "", "?" + next.toString());
      const picked = groups.reduce((n, g) => n + chosen[g].size, 0);
      toggleCount.textContent = picked ? String(picked) : "";  // how many are ticked, while they are closed
      // the language menu opens the other language's search page with the same query and filters
      // (their values are vocabulary keys, the same in every language)
      for (const link of document.querySelectorAll("a.md-select__link[hreflang]")) {
        link.dataset.wrPage ??= new URL(link.getAttribute("href"), location.href).pathname;
        link.href = link.dataset.wrPage + (next.toString() ? "?" + next.toString() : "");
      }
    };

    const label = (group, value) => (labels[group] && labels[group][value]) || value;

    // every value of the archive keeps its place; its count is that of the current results
    const drawFacets = (all, counts) => {
      facets.replaceChildren(...groups.filter((g) => all[g] && Object.keys(all[g]).length).map((g) => {
        const values = Object.keys(all[g]).sort((a, b) => g === "year" ? b.localeCompare(a) : 0);
        return element("fieldset", { class: "wr-facet", "data-filter": g },
          element("legend", {}, text.filters[g]),
          ...values.map((value) => {
            const box = element("input", { type: "checkbox", value, name: g });
            box.checked = chosen[g].has(value);
            box.addEventListener("change", () => {
              box.checked ? chosen[g].add(value) : chosen[g].delete(value);
              run();
            });
            const count = counts ? (counts[g] || {})[value] || 0 : all[g][value];
            return element("label", { class: "wr-facet__option" }, box, " ", label(g, value),
              element("span", { class: "wr-facet__count" }, String(count)));
          }));
      }));
    };

    let total = 0;
    const [FIRST_SHOWN, PAGE_SHOWN] = [5, 20];
    const showMore = async () => {
      const mine = serial;
      const next = await engine().more("page", PAGE_SHOWN);
      if (mine !== serial) return;
      list.append(...next.map(hit));
      shown += next.length;
      more.hidden = shown >= total || next.length < PAGE_SHOWN;  // a quoted query's last results may fail their check
    };

    const run = async () => {
      const mine = ++serial;
      remember();
      const search = engine();
      const query = input.value.trim() || null;
      if (query) search.preload(query);
      await sleep(TYPING_PAUSE);
      if (mine !== serial) return;
      const order = { relevance: "relevance", newest: "desc", oldest: "asc" }[sort.value] || "relevance";
      const searching = query || active();
      // the first few results are drawn as soon as they are ready, then the rest of the page's 20
      const found = searching ? await search.search("page", query, { filters: filters(), sort: order, count: FIRST_SHOWN })
        : { total: 0, hits: [] };
      if (!found || mine !== serial) return;
      total = found.total;
      status.textContent = searching ? (total ? text.results.replace("{count}", total) : text.none) : text.hint;
      list.replaceChildren(...found.hits.map(hit));  // the results first, then the filters' values
      shown = found.hits.length;
      more.hidden = true;
      let last = found.hits.length === FIRST_SHOWN;  // fewer: there are no more
      if (searching && last && shown < total) {
        const rest = await search.more("page", PAGE_SHOWN - shown);
        if (mine !== serial) return;
        list.append(...rest.map(hit));
        shown += rest.length;
        last = rest.length === PAGE_SHOWN - FIRST_SHOWN;
      }
      more.hidden = !searching || shown >= total || !last;  // a quoted query's last results may fail their check
      allValues ??= await search.filters();
      if (mine !== serial) return;
      drawFacets(allValues, searching ? found.filters : null);
    };

    input.addEventListener("input", run);
    sort.addEventListener("change", run);
    more.addEventListener("click", showMore);
    layout();
    run();
  }

  // ---- a report opened from a result: highlight the terms ----------------------------
  if (new URLSearchParams(location.search).has("highlight") && document.querySelector("[data-pagefind-body]")) {
    import(new URL(config.bundles[0].path + "pagefind-highlight.js", root).href).then(() => {
      // addStyles: false — Pagefind would add a <style> element, which the pages' security
      // policy refuses; archive.css styles the marks
      new window.PagefindHighlight({ highlightParam: "highlight", markContext: "[data-pagefind-body]", addStyles: false });
    });
  }
}
