// Phrase search in the browser: the reader's query as terms, and the archive's phrase index.
//
// Pagefind matches each word of a query as a prefix of indexed words, anywhere in a report:
// 新质生产力 finds every report with 新, 质, 生产 and 力. The build writes an index of short
// character n-grams of every report's normalised text (hooks/archive/phrases.py, which says
// why trigrams and what it costs; the file format is that module's): the reports that hold
// every 3-character piece of a term are, on real reports, the reports that contain the term,
// so a quoted term is answered exactly and an unquoted one ranks the reports that contain it
// first. This module is that index's reader, the twin of `PhraseIndex` in phrases.py, and
// knows nothing of Pagefind; the search worker (archive-search-worker.js) uses it.

// ---- normalised text ------------------------------------------------------------------
// ONE definition, in Python `hooks/archive/phrases.py: normalise`; this is a copy, kept the
// same (tests/test_search_phrases_browser.py runs both on the same strings): format
// characters deleted (Unicode Cf: Pagefind puts a U+200B between the words it segmented),
// NFKC, lower case, every run of characters that are not letters or numbers (Unicode L*, N*)
// one space, stripped.
const FORMAT = /\p{Cf}/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
export const normalise = (text) =>
  String(text ?? "").replace(FORMAT, "").normalize("NFKC").toLowerCase().replace(NOT_WORD, " ").trim();

const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
// Characters that normalise to themselves, one UTF-16 unit each: a run of them maps one to one.
const PLAIN_RUN = /[a-z0-9\u4e00-\u9fff]+/g;
const MARK = /^\p{M}/u;
const SEPARATORS = /^[\s\p{P}]+$/u;
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gsu;
const FORMAT_CHARACTER = /^\p{Cf}$/u;

/** The normalised text, and where each of its UTF-16 units came from in the original text
 * (`from(i)`, `to(i)`): where a phrase found in the normalised text is in the original.
 * Runs of plain characters map one to one; the rest is normalised one character (with its
 * combining marks) at a time. In the rare text where that differs from `normalise` of the
 * whole (a final sigma, conjoining jamo), a phrase may not be found here, and the excerpt
 * then shows the beginning of the text unmarked. */
export const mapped = (text) => {
  // the runs of plain characters and what lies between; a mark after a plain character
  // may combine with it, so that character goes with the mark
  const runs = [];
  let at = 0;
  for (const { 0: run, index } of text.matchAll(PLAIN_RUN)) {
    if (index > at) runs.push({ start: at, end: index, plain: false });
    runs.push({ start: index, end: index + run.length, plain: true });
    at = index + run.length;
  }
  if (at < text.length) runs.push({ start: at, end: text.length, plain: false });
  runs.forEach((run, i) => {
    const before = runs[i - 1];
    if (!run.plain && before?.plain && MARK.test(text.slice(run.start, run.start + 2))) { before.end -= 1; run.start -= 1; }
  });
  const parts = [];
  const segments = [];  // {at (in the normalised text), start, end (in the original), linear}
  let length = 0;
  let pending = false;   // a run of separators before the next letter or number
  const put = (piece, start, end, linear) => {
    if (pending && length) { parts.push(" "); segments.push({ at: length, start, end: start, linear: false }); length += 1; }
    pending = false;
    parts.push(piece);
    segments.push({ at: length, start, end, linear });
    length += piece.length;
  };
  for (const { start, end, plain } of runs) {
    if (start >= end) continue;
    if (plain) { put(text.slice(start, end), start, end, true); continue; }
    const run = text.slice(start, end);
    if (SEPARATORS.test(run)) { pending = true; continue; }  // punctuation never normalises to a letter
    const whole = run.replace(FORMAT, "").normalize("NFKC").toLowerCase();
    if (!HAS_WORD_CHARACTER.test(whole)) { if (whole) pending = true; continue; }  // only separators
    for (const { 0: cluster, index } of run.matchAll(CLUSTER)) {
      if (FORMAT_CHARACTER.test(cluster)) continue;
      for (const character of cluster.normalize("NFKC").toLowerCase()) {
        if (WORD_CHARACTER.test(character)) put(character, start + index, start + index + cluster.length, false);
        else pending = true;
      }
    }
  }
  const segment = (i) => {
    let low = 0, high = segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (segments[middle].at <= i) low = middle; else high = middle - 1;
    }
    return segments[low];
  };
  return {
    text: parts.join(""),
    from: (i) => { const s = segment(i); return s.linear ? s.start + i - s.at : s.start; },
    to: (i) => { const s = segment(i); return s.linear ? s.start + i - s.at + 1 : s.end; },
  };
};

// ---- the query ---------------------------------------------------------------------------
const CLOSING = { '"': '"', "“": "”", "＂": "＂" };

/** The reader's query as terms: split on white space, except that a quoted part — "…", “…”
 * or ＂…＂, closed or still being typed — is one term, spaces and all. Each term is
 * normalised; empty ones are dropped. */
export const parseQuery = (query) => {
  const terms = [];
  const add = (raw, quoted) => {
    const norm = normalise(raw);
    if (norm) terms.push({ raw: raw.trim(), norm, quoted });
  };
  const text = String(query ?? "");
  let word = "";
  for (let at = 0; at < text.length;) {
    const character = text[at];
    if (Object.hasOwn(CLOSING, character)) {
      add(word, false);
      word = "";
      const end = text.indexOf(CLOSING[character], at + 1);
      add(text.slice(at + 1, end < 0 ? text.length : end), true);
      at = end < 0 ? text.length : end + 1;
    } else if (/\s/u.test(character)) {
      add(word, false);
      word = "";
      at += 1;
    } else {
      word += character;
      at += 1;
    }
  }
  add(word, false);
  return terms;
};

// ---- page sets as bitmaps: bit i = page i, least significant bit first in each byte --------
export const bitmap = (pages) => new Uint8Array(Math.ceil(pages / 8));
export const has = (bits, page) => (bits[page >> 3] >> (page & 7)) & 1;
export const and = (a, b) => a.map((byte, i) => byte & b[i]);
export const or = (a, b) => a.map((byte, i) => byte | b[i]);
const ONES = Uint8Array.from({ length: 256 }, (_, byte) => [...byte.toString(2)].filter((d) => d === "1").length);
export const count = (bits) => bits.reduce((sum, byte) => sum + ONES[byte], 0);
export const members = (bits) => {
  const out = [];
  for (let i = 0; i < bits.length; i++) {
    for (let byte = bits[i], bit = 0; byte; bit++, byte >>= 1) if (byte & 1) out.push(i * 8 + bit);
  }
  return out;
};

// ---- the files of one language's phrase index ---------------------------------------------
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// FNV-1a, 32 bits, of the gram's UTF-8 bytes: which bucket file holds the gram.
const fnv1a = (bytes) => {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
};

// The files are gzip as stored; a server that sent them with Content-Encoding: gzip has
// decompressed them already (no gzip magic number then).
const gunzip = async (response) => {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
};

class Reader {
  constructor(bytes) { this.bytes = bytes; this.at = 0; }
  get done() { return this.at >= this.bytes.length; }
  varint() {  // unsigned LEB128
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (this.at >= this.bytes.length || shift > 49) throw new Error("phrase index: a number runs past its file");
      const byte = this.bytes[this.at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  }
  take(length) {
    if (this.at + length > this.bytes.length) throw new Error("phrase index: an entry runs past its file");
    const slice = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return slice;
  }
}

const BUCKETS_KEPT = 4000;  // decoded bucket files kept in memory (a few KB each)
const INDEX_FORMAT = 2;     // the format of phrases.py this reads
const LENGTH_STEPS = 8;     // phrases.py: a length code has 8 steps an octave
// The bytes of the manifest's base64 strings (its lengths and filter bitmaps).
const base64Bytes = (encoded) => {
  const raw = atob(encoded);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
};
export const PLACES = 256;  // phrases.py: a first place is in 256ths of the text
const [BM25_K1, BM25_B] = [1.2, 0.75];  // Okapi BM25's usual parameters (Lucene's defaults)
// The filter that names a report's search shard (hooks/archive/render.py search_attributes);
// the manifest has no bitmap for it: its "shards" list gives each shard's page ids.
const SHARD_FILTER = "shard";

/** One language's phrase index: its manifest and the gram buckets, fetched as needed. */
export class PhraseIndex {
  constructor(folder, meta) {
    this.folder = folder;
    this.meta = meta;
    this.pages = meta.pages;
    this.buckets = new Map();   // bucket number → Promise of Map gram → {kind, count, payload}
    this.fragments = new Map(); // fragment id → page ids (ids may repeat across shards)
    meta.fragments.forEach((id, page) => {
      if (!this.fragments.has(id)) this.fragments.set(id, []);
      this.fragments.get(id).push(page);
    });
    this.shardStarts = [];      // the first page id of each shard
    let start = 0;
    for (const shard of meta.shards) { this.shardStarts.push(start); start += shard.pages; }
    this.facetBits = new Map();
    // each page's length in normalised characters, from its one-byte code (phrases.py length_code)
    this.lengths = Float64Array.from(base64Bytes(meta.lengths), (code) => 2 ** (code / LENGTH_STEPS) - 1);
    this.averageLength = this.lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, this.lengths.length) || 1;
  }

  /** The index of a folder (URL ending in "/"), or null when the build wrote none (or one
   * of another format, or malformed: search then works as without it). Its manifest,
   * index.bin, is gzip of JSON (written last, so a whole index or none). */
  static async load(folder) {
    try {
      const response = await fetch(`${folder}index.bin`);
      if (!response.ok) return null;
      const meta = JSON.parse(decoder.decode(await gunzip(response)));
      const pages = meta.pages;
      const valid = meta.format === INDEX_FORMAT && Number.isInteger(pages) && pages >= 0
        && Number.isInteger(meta.buckets) && meta.buckets >= 1
        && Array.isArray(meta.fragments) && meta.fragments.length === pages
        && Array.isArray(meta.dates) && meta.dates.length === pages
        && Array.isArray(meta.shards) && meta.shards.reduce((sum, s) => sum + s.pages, 0) === pages
        && meta.facets && typeof meta.facets === "object" && typeof meta.lengths === "string";
      if (!valid) return null;
      const index = new PhraseIndex(folder, meta);
      return index.lengths.length === pages ? index : null;
    } catch {
      return null;
    }
  }

  /** The shard (its name in the manifest) and page number within it of a page id. */
  shardOf(page) {
    let shard = this.shardStarts.length - 1;
    while (shard > 0 && this.shardStarts[shard] > page) shard -= 1;
    return { name: this.meta.shards[shard].name, number: page - this.shardStarts[shard] };
  }

  /** The grams a page must hold to contain a normalised term: the term itself up to 3
   * characters, else its 3-character pieces. */
  static grams(term) {
    const characters = [...term];
    if (characters.length <= 3) return [term];
    const grams = new Set();
    for (let i = 0; i + 3 <= characters.length; i++) grams.add(characters.slice(i, i + 3).join(""));
    return [...grams];
  }

  bucket(number) {
    if (!this.buckets.has(number)) {
      if (this.buckets.size >= BUCKETS_KEPT) this.buckets.delete(this.buckets.keys().next().value);
      const name = number.toString(16).padStart(4, "0");
      // every bucket has a file: a missing one is a broken site, not "no pages"
      const loading = fetch(`${this.folder}grams/${name}.bin`).then(async (response) => {
        if (!response.ok) throw new Error(`phrase index: ${this.folder}grams/${name}.bin: ${response.status}`);
        return this.directory(await gunzip(response));
      });
      loading.catch(() => this.buckets.delete(number));
      this.buckets.set(number, loading);
    }
    return this.buckets.get(number);
  }

  // entry: varint(length of the gram's bytes), the bytes, varint(count * 2 + kind), payload:
  // kind 0 `count` page ids as varints (the first absolute, then deltas), kind 1 a bitmap;
  // then `count` bytes of times and `count` of first places, in page order
  directory(bytes) {
    const entries = new Map();
    const reader = new Reader(bytes);
    const size = Math.ceil(this.pages / 8);
    while (!reader.done) {
      const gram = decoder.decode(reader.take(reader.varint()));
      const header = reader.varint();
      const kind = header % 2;
      const count = (header - kind) / 2;
      const start = reader.at;
      if (kind === 1) reader.take(size); else for (let i = 0; i < count; i++) reader.varint();
      const payload = bytes.subarray(start, reader.at);
      entries.set(gram, { kind, count, payload, times: reader.take(count), firsts: reader.take(count) });
    }
    return entries;
  }

  // Postings {bits, times, firsts}: the pages as a bitmap, and per page (arrays of `pages`
  // bytes, 0 where not held) how often the gram occurs there (capped) and where first.
  decode(entry) {
    const out = this.none();
    const put = (i, page) => {
      if (page >= this.pages) throw new Error("phrase index: a page id past the last page");
      out.bits[page >> 3] |= 1 << (page & 7);
      out.times[page] = entry.times[i];
      out.firsts[page] = entry.firsts[i];
    };
    if (entry.kind === 1) members(entry.payload).slice(0, entry.count).forEach((page, i) => put(i, page));
    else {
      const reader = new Reader(entry.payload);
      for (let i = 0, page = 0; i < entry.count; i++) put(i, page = i === 0 ? reader.varint() : page + reader.varint());
    }
    return out;
  }

  none() {
    return { bits: bitmap(this.pages), times: new Uint8Array(this.pages), firsts: new Uint8Array(this.pages) };
  }

  async gram(gram) {
    const entries = await this.bucket(fnv1a(encoder.encode(gram)) % this.meta.buckets);
    const entry = entries.get(gram);
    return entry ? this.decode(entry) : this.none();
  }

  /** The postings of a normalised term: the pages whose text holds every one of its grams
   * (a bitmap), and per page how often the term can occur there at most (the fewest times
   * of its grams) and where it can first (the latest first place of its grams, in 256ths of
   * the text). Its twin is `PhraseIndex.postings` in phrases.py. */
  async term(term) {
    const [out, ...others] = await Promise.all(PhraseIndex.grams(term).map((gram) => this.gram(gram)));
    for (const other of others) {
      for (let i = 0; i < out.bits.length; i++) out.bits[i] &= other.bits[i];
      for (let page = 0; page < this.pages; page++) {
        if (!has(out.bits, page)) out.times[page] = out.firsts[page] = 0;
        else {
          if (other.times[page] < out.times[page]) out.times[page] = other.times[page];
          if (other.firsts[page] > out.firsts[page]) out.firsts[page] = other.firsts[page];
        }
      }
    }
    return out;
  }

  /** Okapi BM25 of a term's postings (`term`), as a function of a page: how relevant the
   * page is for it, from how often the term occurs there, how long the page is and how many
   * pages hold it. The same whatever the shards (Pagefind's idf is each shard's own). */
  scorer(postings) {
    const held = count(postings.bits);
    const idf = Math.log(1 + (this.pages - held + 0.5) / (held + 0.5));
    return (page) => {
      const times = postings.times[page];
      if (!times) return 0;
      const norm = 1 - BM25_B + BM25_B * this.lengths[page] / this.averageLength;
      return idf * times * (BM25_K1 + 1) / (times + BM25_K1 * norm);
    };
  }

  /** Fetch the buckets of a term's grams (while the reader is still typing). */
  preload(term) {
    return Promise.all(PhraseIndex.grams(term).map((gram) => this.bucket(fnv1a(encoder.encode(gram)) % this.meta.buckets)));
  }

  facet(group, value) {
    const key = `${group}\u0000${value}`;
    if (!this.facetBits.has(key)) {
      const encoded = this.meta.facets[group]?.[value];
      const bits = bitmap(this.pages);
      if (group === SHARD_FILTER) {  // not a facet: a shard holds consecutive page ids
        const shard = this.meta.shards.findIndex((each) => each.name === value);
        const start = this.shardStarts[shard];
        for (let page = start; shard >= 0 && page < start + this.meta.shards[shard].pages; page++) bits[page >> 3] |= 1 << (page & 7);
      } else if (typeof encoded === "string") {
        bits.set(base64Bytes(encoded).subarray(0, bits.length));
      }
      this.facetBits.set(key, bits);
    }
    return this.facetBits.get(key);
  }

  /** The pages Pagefind's filters select ({group: {any: [values]}}, {group: value} or
   * {group: [values]}; an empty `any` selects all), or undefined for a form this does not
   * read (the caller then leaves the filtering to Pagefind). */
  filtered(filters) {
    let pages = null;
    for (const [group, filter] of Object.entries(filters || {})) {
      let selected;
      if (typeof filter === "string") selected = this.facet(group, filter);
      else if (Array.isArray(filter)) selected = filter.map((v) => this.facet(group, v)).reduce(and, this.all());
      else if (filter && Object.keys(filter).length === 1 && Array.isArray(filter.any)) {
        if (!filter.any.length) continue;
        selected = filter.any.map((v) => this.facet(group, v)).reduce(or);
      } else return undefined;
      pages = pages ? and(pages, selected) : selected;
    }
    return pages ?? this.all();
  }

  all() {
    const bits = bitmap(this.pages).fill(255);
    if (this.pages % 8) bits[bits.length - 1] = (1 << (this.pages % 8)) - 1;
    return bits;
  }

  /** Per filter, its values and, per page, the index of the value it carries (-1: none; a
   * page's further values, as a report's several topics, in `more`): built once, so that
   * counting a set of pages visits its pages, not every value's bitmap (at 9,920 reports of
   * 992 units that took 0.3 s a query). */
  valuesByPage() {
    if (!this.byPage) {
      this.byPage = Object.entries(this.meta.facets).map(([group, values]) => {
        const names = Object.keys(values);
        const [first, more] = [new Int32Array(this.pages).fill(-1), new Map()];
        names.forEach((value, v) => {
          for (const page of members(this.facet(group, value))) {
            if (first[page] < 0) first[page] = v;
            else more.set(page, [...(more.get(page) || []), v]);
          }
        });
        return { group, names, first, more };
      });
      const first = new Int32Array(this.pages);  // a shard holds consecutive page ids
      this.shardStarts.forEach((start, s) => first.fill(s, start));
      this.byPage.push({ group: SHARD_FILTER, names: this.meta.shards.map((shard) => shard.name), first, more: new Map() });
    }
    return this.byPage;
  }

  /** Per filter and value, how many of these pages carry it (Pagefind's `filters` counts). */
  counts(pages) {
    const groups = this.valuesByPage();
    const tallies = groups.map(({ names }) => new Array(names.length).fill(0));
    for (const page of members(pages)) {
      groups.forEach(({ first, more }, g) => {
        if (first[page] >= 0) tallies[g][first[page]] += 1;
        for (const v of more.get(page) || []) tallies[g][v] += 1;
      });
    }
    return Object.fromEntries(groups.map(({ group, names }, g) =>
      [group, Object.fromEntries(names.map((name, v) => [name, tallies[g][v]]))]));
  }
}

// ---- excerpts --------------------------------------------------------------------------------
const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const LEADING = /[\s\p{P}]/u;  // what an excerpt does not begin with

/** Where each phrase first occurs in a text (original offsets, or null), and an excerpt of
 * about `length` words around the first phrase found, with every occurrence of a phrase in
 * it marked. Words as Pagefind cuts a fragment's content: at its zero-width spaces (Chinese)
 * or at white space; `delimited` says which, for a part of a text (a block may hold one word). */
export const excerptAround = (content, phrases, length, delimited = content.includes("\u200B")) => {
  const words = delimited ? content.split("\u200B") : content.split(/[\r\n\s]+/g);
  const joiner = delimited ? "" : " ";
  const starts = [];
  let text = "";
  for (const word of words) {
    if (starts.length) text += joiner;
    starts.push(text.length);
    text += word;
  }
  const map = mapped(text);
  const ranges = [];   // every occurrence of every phrase: [start, end) in text
  const first = phrases.map((phrase) => {
    let found = null;
    for (let at = map.text.indexOf(phrase); at >= 0; at = map.text.indexOf(phrase, at + 1)) {
      const range = [map.from(at), map.to(at + phrase.length - 1)];
      found ??= range;
      ranges.push(range);
    }
    return found;
  });
  const anchor = first.find(Boolean);
  const wordAt = (offset) => {
    let low = 0, high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle; else high = middle - 1;
    }
    return low;
  };
  let begin = 0, end = Math.min(words.length, length);
  if (anchor) {
    const [a, b] = [wordAt(anchor[0]), wordAt(Math.max(anchor[0], anchor[1] - 1))];
    const need = b - a + 1;
    if (need >= length) [begin, end] = [a, b + 1];
    else {
      begin = Math.max(0, Math.min(a - Math.floor((length - need) / 2), words.length - length));
      end = Math.min(words.length, begin + length);
    }
  }
  let low = starts[begin] ?? 0;
  const high = end > 0 ? starts[end - 1] + words[end - 1].length : 0;
  // an excerpt cut inside a sentence does not begin with the punctuation after its first word's
  // predecessor ("，面对…"): skipped, up to the first mark
  const firstMark = Math.min(high, ...ranges.map(([a]) => a).filter((a) => a >= low));
  while (low < firstMark && LEADING.test(text[low])) low += 1;
  const marks = ranges.filter(([a, b]) => a < high && b > low).map(([a, b]) => [Math.max(a, low), Math.min(b, high)])
    .sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  let html = "", at = low;
  for (const [a, b] of marks) {
    if (b <= at) continue;
    html += escape(text.slice(at, Math.max(a, at))) + "<mark>" + escape(text.slice(Math.max(a, at), b)) + "</mark>";
    at = b;
  }
  html += escape(text.slice(at, high));
  return { excerpt: html.trim(), found: first.map((range) => (range ? text.slice(range[0], range[1]) : null)) };
};
