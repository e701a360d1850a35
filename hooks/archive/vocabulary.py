"""The maintainer's vocabularies: reporting units, topics, metric definitions, templates.

They live in one YAML file beside the content. Every entry has a zh and an en label; a
report may name a unit, topic or template by its key, by its Chinese label or by one of the
``aliases`` the maintainer lists for it (a unit's full official name, as reports are signed:
国家税务总局XX市XX区税务局). An alias is the maintainer's explicit statement that the name
means that entry, so it resolves like the label; a name that is none of them is a problem
with the nearest key, label or alias suggested.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .frontmatter import load_yaml
from .formatting import KINDS, MONEY_SCALE, UNITS, is_number
from .problems import Problem
from .rules import Rule, parse_rule

TERM_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
METRIC_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
#: the languages every entry is labelled in (its fields zh and en): a page in another language shows
#: the default language's labels (labels.interface_language)
LABEL_LANGUAGES = ("zh", "en")
SECTIONS = ("units", "topics", "metrics", "templates", "recipients")
#: sections a vocabulary may leave out: a report's recipient is free text, and the vocabulary gives
#: the English label of those it lists (a recipient it does not list is shown as written, marked zh)
OPTIONAL_SECTIONS = frozenset({"recipients"})
_FIELDS = {
    "recipients": ("zh", "en", "aliases"),
    "units": ("zh", "en", "aliases"),
    "topics": ("zh", "en", "aliases"),
    "metrics": ("zh", "en", "unit", "kind", "min", "max", "confidential"),
    "templates": ("zh", "en", "aliases", "required", "optional", "rules"),
}
#: what separates several recipients written as one text (区委、区政府), as official documents list them
RECIPIENT_SEPARATOR = "、"
#: which units of measure each kind of metric may use
KIND_UNITS: dict[str, tuple[str, ...]] = {
    "money": tuple(MONEY_SCALE),
    "percent": ("%",),
    "integer": tuple(u for u in UNITS if u != "%" and u not in MONEY_SCALE),
    "decimal": tuple(u for u in UNITS if u != "%"),
}


@dataclass(frozen=True)
class Term:
    """A unit, topic, metric or template: a stable key and its labels."""

    key: str
    zh: str
    en: str
    #: other names a report may use for it (units, topics, templates); keyword-only, after the subclasses' fields
    aliases: tuple[str, ...] = field(default=(), kw_only=True)

    def label(self, lang: str) -> str:
        """The label in one of LABEL_LANGUAGES (another is a KeyError, never a label in another silently)."""
        return {"zh": self.zh, "en": self.en}[lang]


@dataclass(frozen=True)
class MetricDef(Term):
    unit: str = ""
    kind: str = "decimal"
    min: float | None = None
    max: float | None = None
    confidential: bool = False   # masked as ** in a public build, left out of its outputs


@dataclass(frozen=True)
class Template(Term):
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()

    @property
    def metrics(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass
class Vocabulary:
    units: dict[str, Term] = field(default_factory=dict)
    topics: dict[str, Term] = field(default_factory=dict)
    metrics: dict[str, MetricDef] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    recipients: dict[str, Term] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Term]:
        return getattr(self, name)

    def resolve(self, section: str, name: object) -> str | None:
        """The key a report means by a key, a Chinese label or an alias, if any."""
        terms = self.section(section)
        text = str(name).strip()
        if text in terms:
            return text
        for term in terms.values():
            if term.zh == text or text in term.aliases:
                return term.key
        return None

    def recipient_parts(self, text: str) -> tuple[tuple[str | None, str], ...]:
        """Whom a report's ``recipient`` names, each as (its key, or None where the vocabulary does
        not list it; the text as written): the whole text when it is one entry, else each part of a
        list written 区委、区政府 — so that the maintainer lists 区委 and 区政府 once each."""
        whole = self.resolve("recipients", text)
        if whole is not None or RECIPIENT_SEPARATOR not in text:
            return ((whole, text),)
        parts = [part.strip() for part in text.split(RECIPIENT_SEPARATOR) if part.strip()]
        return tuple((self.resolve("recipients", part), part) for part in parts)

    def nearest(self, section: str, name: object) -> str | None:
        """The closest known key or label, to suggest on a typo."""
        return nearest(str(name), self._names(section))

    def _names(self, section: str) -> list[str]:
        terms = self.section(section)
        if section == "metrics":
            return list(terms)
        return [name for term in terms.values() for name in (term.key, term.zh, *term.aliases)]


def nearest(name: str, candidates: list[str]) -> str | None:
    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return match[0] if match else None


def load_vocabulary(text: str | None, path: str) -> tuple[Vocabulary, list[Problem]]:
    """Parse and check the vocabulary file with the same care as a report."""
    if text is None:
        return Vocabulary(), [Problem(path, 1, "vocab_missing")]
    data, lines, problems = load_yaml(text, path, code="vocab_yaml_error")
    vocab = Vocabulary()
    if problems:
        return vocab, problems
    data = data if isinstance(data, dict) else {}

    def line(*key: str) -> int:
        while key:
            if key in lines:
                return lines[key]
            key = key[:-1]
        return 1

    for section in SECTIONS:
        entries = data.get(section)
        if section in OPTIONAL_SECTIONS and entries is None:
            continue
        if not isinstance(entries, dict) or not entries:
            problems.append(Problem(path, line(section), "vocab_section", {"section": section}))
            continue
        pattern = METRIC_KEY if section == "metrics" else TERM_KEY
        seen_labels: dict[str, str] = {}
        for key, entry in entries.items():
            key = str(key)
            where = line(section, key)
            if not pattern.match(key):
                words = "a-z 0-9 _" if section == "metrics" else "a-z 0-9 -"
                problems.append(Problem(path, where, "vocab_key", {"section": section, "key": key, "pattern": words}))
                continue
            entry = entry if isinstance(entry, dict) else {}
            for unknown in sorted(set(map(str, entry)) - set(_FIELDS[section])):
                problems.append(Problem(path, line(section, key, unknown), "vocab_field", {
                    "section": section, "key": key, "field": unknown,
                    "suggestion": nearest(unknown, list(_FIELDS[section]))}))
            labels = {}
            for lang in LABEL_LANGUAGES:
                label = entry.get(lang)
                if not isinstance(label, str) or not label.strip():
                    problems.append(Problem(path, where, "vocab_label", {"section": section, "key": key, "lang": lang}))
                    label = key
                labels[lang] = label.strip()
            other = seen_labels.setdefault(labels["zh"], key)
            if other != key:
                problems.append(Problem(path, where, "vocab_duplicate_label",
                                        {"section": section, "label": labels["zh"], "key": key, "other": other}))
            aliases = _aliases(section, key, entry, path, line, problems)
            if section == "metrics":
                term = _metric(key, labels, entry, path, line, problems)
            elif section == "templates":
                term = Template(key, labels["zh"], labels["en"], aliases=aliases)
            else:
                term = Term(key, labels["zh"], labels["en"], aliases=aliases)
            vocab.section(section)[key] = term
        _check_aliases(section, vocab.section(section), path, line, problems)
    templates = data.get("templates") if isinstance(data.get("templates"), dict) else {}
    for key, entry in templates.items():
        if str(key) in vocab.templates:
            vocab.templates[str(key)] = _template(vocab, vocab.templates[str(key)], entry, path, line, problems)
    return vocab, sorted(problems, key=lambda problem: problem.line)


def _aliases(section, key, entry, path, line, problems) -> tuple[str, ...]:
    """The other names of a unit, topic or template: a list of non-empty texts."""
    if "aliases" not in entry or "aliases" not in _FIELDS[section]:
        return ()   # metrics have no aliases: the field is reported as unknown (a quote names the key)
    value = entry["aliases"]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        problems.append(Problem(path, line(section, key, "aliases"), "vocab_aliases", {"section": section, "key": key}))
        return ()
    return tuple(dict.fromkeys(item.strip() for item in value))


def _check_aliases(section, terms, path, line, problems) -> None:
    """An alias names one entry only: not another entry's key, label or alias (else which is meant?)."""
    owner: dict[str, str] = {}
    for term in terms.values():
        for name in (term.key, term.zh):
            owner.setdefault(name, term.key)
    for term in terms.values():
        for alias in term.aliases:
            other = owner.setdefault(alias, term.key)
            if other != term.key:
                problems.append(Problem(path, line(section, term.key, "aliases"), "vocab_alias_taken",
                                        {"section": section, "alias": alias, "key": term.key, "other": other}))


def _metric(key, labels, entry, path, line, problems) -> MetricDef:
    unit, kind = str(entry.get("unit", "")), str(entry.get("kind", ""))
    if unit not in UNITS:
        problems.append(Problem(path, line("metrics", key, "unit"), "vocab_unit",
                                {"key": key, "value": unit, "choices": " ".join(UNITS)}))
    if kind not in KINDS:
        problems.append(Problem(path, line("metrics", key, "kind"), "vocab_kind",
                                {"key": key, "value": kind, "choices": ", ".join(KINDS)}))
    elif unit in UNITS and unit not in KIND_UNITS[kind]:
        problems.append(Problem(path, line("metrics", key, "unit"), "vocab_kind_unit",
                                {"key": key, "kind": kind, "unit": unit, "choices": " ".join(KIND_UNITS[kind])}))
    bounds = {}
    for name in ("min", "max"):
        value = entry.get(name)
        if value is not None and not is_number(value):
            problems.append(Problem(path, line("metrics", key, name), "vocab_bound",
                                    {"key": key, "detail": f"{name}: {value}"}))
            value = None
        bounds[name] = value
    if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
        problems.append(Problem(path, line("metrics", key, "min"), "vocab_bound",
                                {"key": key, "detail": f"min {bounds['min']} > max {bounds['max']}"}))
    confidential = entry.get("confidential", False)
    if not isinstance(confidential, bool):
        problems.append(Problem(path, line("metrics", key, "confidential"), "vocab_flag",
                                {"section": "metrics", "key": key, "field": "confidential"}))
        confidential = False
    return MetricDef(key, labels["zh"], labels["en"], unit, kind, bounds["min"], bounds["max"], confidential)


def _template(vocab, template, entry, path, line, problems) -> Template:
    lists = {}
    for name in ("required", "optional"):
        value = entry.get(name, []) if isinstance(entry, dict) else []
        if value is None:
            value = []
        if not isinstance(value, list):
            problems.append(Problem(path, line("templates", template.key, name), "vocab_template_list",
                                    {"key": template.key, "field": name}))
            value = []
        keys = []
        for position, metric in enumerate(value):
            metric = str(metric)
            if metric not in vocab.metrics:
                problems.append(Problem(path, line("templates", template.key, name, str(position)),
                                        "vocab_template_metric", {"key": template.key, "metric": metric,
                                                                  "suggestion": nearest(metric, list(vocab.metrics))}))
                continue
            keys.append(metric)
        lists[name] = tuple(keys)
    rules = []
    written = entry.get("rules") or [] if isinstance(entry, dict) else []
    if not isinstance(written, list):
        problems.append(Problem(path, line("templates", template.key, "rules"), "vocab_rules_list",
                                {"key": template.key}))
        written = []
    for position, text in enumerate(written):
        where = line("templates", template.key, "rules", str(position))
        try:
            rule = parse_rule(str(text))
            if not rule.keys:
                raise ValueError("it names no metric")
        except ValueError as error:
            problems.append(Problem(path, where, "vocab_rule", {"key": template.key, "rule": text, "detail": str(error)}))
            continue
        outside = [metric for metric in rule.keys if metric not in lists["required"] + lists["optional"]]
        if outside:
            problems.append(Problem(path, where, "vocab_rule_metric",
                                    {"key": template.key, "rule": rule.text, "metric": outside[0]}))
            continue
        rules.append(rule)
    return Template(template.key, template.zh, template.en, lists["required"], lists["optional"], tuple(rules),
                    aliases=template.aliases)
