"""The archive's settings, declared once under ``extra: archive:`` in mkdocs.yml."""
from __future__ import annotations

from dataclasses import dataclass, fields

from .pagefind_index import PACK_BYTES
from .problems import MESSAGE_LANGUAGES


class SettingsError(ValueError):
    """A setting is wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    vocabulary: str = "vocabulary.yml"   # relative to the docs folder, excluded from the site
    messages: str = "zh"                 # language of problem messages: zh or en
    latest: int = 10                     # reports listed on the home page
    sample: bool = False                 # say on every page that the figures are fictional
    search: bool = True                  # build the Pagefind search index after the site
    search_memory: int = 6000            # MB the search indexer may use: its shards are sized to fit
    # KB of small words packed into one chunk of a shard's word index (pagefind_index.pack):
    # smaller, fewer bytes a query fetches and more files; a test sets it small for many chunks
    search_chunk_kb: int = PACK_BYTES // 1000
    public: bool = False                 # a public build: confidential figures masked and left out
    jump_factor: float = 10              # a figure changing more than this many times on the year before is flagged
    feed_entries: int = 20               # reports in each Atom feed (archive.feeds); 0 writes no feeds


def load_settings(raw: object) -> Settings:
    """Check the ``extra.archive`` mapping and fill in defaults."""
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        raise SettingsError("extra.archive must be a mapping of setting: value — "
                            "write it as `archive:` followed by indented settings")
    known = {f.name: f for f in fields(Settings)}
    for name in raw:
        if name not in known:
            raise SettingsError(f"extra.archive.{name} is not a setting — use one of: {', '.join(known)}")
    settings = Settings(**raw)
    if not isinstance(settings.vocabulary, str) or not settings.vocabulary.endswith((".yml", ".yaml")):
        raise SettingsError("extra.archive.vocabulary must name a .yml file in the docs folder — "
                            "for example vocabulary: vocabulary.yml")
    if settings.messages not in MESSAGE_LANGUAGES:
        raise SettingsError(f"extra.archive.messages is {settings.messages!r} — use {' or '.join(MESSAGE_LANGUAGES)}")
    if not isinstance(settings.latest, int) or isinstance(settings.latest, bool) or settings.latest < 1:
        raise SettingsError("extra.archive.latest must be a whole number of at least 1 — for example latest: 10")
    entries = settings.feed_entries
    if not isinstance(entries, int) or isinstance(entries, bool) or entries < 0:
        raise SettingsError("extra.archive.feed_entries must be a whole number, 0 for no feeds — "
                            "for example feed_entries: 20")
    for name in ("sample", "search", "public"):
        if not isinstance(getattr(settings, name), bool):
            raise SettingsError(f"extra.archive.{name} must be true or false")
    memory = settings.search_memory
    if not isinstance(memory, int) or isinstance(memory, bool) or memory < 1:
        raise SettingsError("extra.archive.search_memory must be a whole number of megabytes — "
                            "for example search_memory: 6000")
    chunk = settings.search_chunk_kb
    if not isinstance(chunk, int) or isinstance(chunk, bool) or chunk < 1:
        raise SettingsError("extra.archive.search_chunk_kb must be a whole number of kilobytes, at least 1 — "
                            f"for example search_chunk_kb: {PACK_BYTES // 1000}")
    factor = settings.jump_factor
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or factor <= 1:
        raise SettingsError("extra.archive.jump_factor must be a number above 1 — for example jump_factor: 10")
    return settings
