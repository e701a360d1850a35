"""A work report as the archive knows it: its metadata and figures, not its prose."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date

from .formatting import Number
from .problems import Problem


@dataclass(frozen=True)
class Translation:
    """Another language's version of a report: its own title and text, the original's data."""

    lang: str
    path: str
    title: str


@dataclass
class Report:
    """One report file, checked. Fields that failed their check are None or empty."""

    path: str                      # relative to the docs folder: reports/2022/tax-bureau-2022.md
    title: str
    date: Date | None = None
    year: int | None = None
    unit: str | None = None        # vocabulary keys from here on
    recipient: str | None = None
    topics: tuple[str, ...] = ()
    template: str | None = None
    metrics: dict[str, Number] = field(default_factory=dict)
    withheld: dict[str, str] = field(default_factory=dict)       # metric → reason it is not published
    confidential: frozenset[str] = frozenset()                    # this report's metrics kept from public builds
    lines: dict[str, int] = field(default_factory=dict)   # field or metrics.key → line
    size: int = 0                                          # characters of text, for the search index's budget
    translations: dict[str, Translation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Page address relative to the language root: reports/2022/tax-bureau-2022/."""
        return self.path.removesuffix(".md") + "/"

    @property
    def slug(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".md")

    @property
    def sort_key(self) -> tuple:
        """Newest first: by date of issue, then year reported on, then path for stability."""
        return (self.date or Date.min, self.year or 0, self.path)

    def title_in(self, lang: str) -> str:
        translation = self.translations.get(lang)
        return translation.title if translation else self.title

    def line(self, name: str) -> int:
        return self.lines.get(name, 1)
