"""The checks a report must pass, each reported at the line to change.

``check_report`` turns a split source into a Report, collecting every problem instead of
stopping at the first, so that a contributor fixes a file in one go.
"""
from __future__ import annotations

import math
import re
from datetime import date as Date, datetime, timedelta, timezone

from .frontmatter import Flagged, Source
from .formatting import is_number
from .problems import Problem
from .prose import check_text
from .report import Report, Translation
from .rules import NEGATION
from .vocabulary import TERM_KEY, Vocabulary, nearest

FIELDS = ("title", "date", "year", "unit", "recipient", "topics", "template", "metrics", "confidential", "source")
#: ``source``: the file ./dev import read (name, sha256, encoding), for the maintainer; no output shows it
SOURCE_KEYS = ("file", "sha256", "encoding")
REQUIRED = ("title", "date", "unit", "topics", "template")
EXAMPLES = {"title": "区税务局2022年度工作汇报", "date": "2023-01-15", "unit": "区税务局",
            "topics": "[组织收入, 纳税服务]", "template": "税务工作年度汇报", "year": "2022", "recipient": "区委组织部"}
PLACEHOLDERS = {"", "tbd", "todo", "待补充", "待定", "待填", "xx", "xxx", "-", "—"}
LOCATION = re.compile(r"^reports/(\d{4})/([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


#: the archive's reports are dated in China Standard Time, whatever the build machine's zone
ISSUE_ZONE = timezone(timedelta(hours=8))
PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")


def today_of_issue() -> Date:
    """Today's date where reports are issued: a report dated after it is not issued yet."""
    return datetime.now(ISSUE_ZONE).date()


def check_report(source: Source, vocab: Vocabulary, today: Date | None = None) -> Report:
    """All problems of one report file, and the report as far as it is valid.

    A value the YAML reader already reported (``Flagged``) is skipped by every check here,
    so that one mistake gives one message. ``today`` is the build date (injectable for tests).
    """
    meta, path = source.meta, source.path
    problems = list(source.problems)
    lines = {".".join(key): line for key, line in source.lines.items()}
    add = lambda code, line, **args: problems.append(Problem(path, line, code, args))  # noqa: E731

    location = LOCATION.match(path)
    if not location:
        add("bad_location", 1, path=path)
    if source.problems and not meta:
        return Report(path, path, lines=lines, problems=problems)

    for name in meta:
        if name not in FIELDS:
            add("unknown_field", source.line(str(name)), field=name, suggestion=nearest(str(name), list(FIELDS)))
    for name in REQUIRED:
        if name not in meta:
            add("missing_field", 1, field=name, example=EXAMPLES[name])

    title = _text(meta, "title", source, add) or path
    today = today or today_of_issue()
    issued = _date(meta, source, add, today)
    year = _year(meta, issued, source, add)
    if year is not None:
        _year_rule(meta, issued if issued and issued <= today else None, year, location, source, add)
    unit = (_term(vocab, "units", meta.get("unit"), source.line("unit"), add, "unit")
            if _given(meta, "unit", source, add) else None)
    recipient = _text(meta, "recipient", source, add)
    if recipient:
        _recipient(vocab, recipient, source.line("recipient"), add)
    topics = _topics(meta, vocab, source, add)
    template = (_term(vocab, "templates", meta.get("template"), source.line("template"), add, "template")
                if _given(meta, "template", source, add) else None)
    metrics, withheld = _metrics(meta, vocab, template, source, add)
    given = meta.get("metrics") if isinstance(meta.get("metrics"), dict) else {}
    # checked against every defined metric the report gives: a wrong value is reported once, at the value
    confidential = _confidential(meta, {str(k) for k in given if str(k) in vocab.metrics}, source, add)
    _source(meta, source, add)
    problems[:len(source.problems)] = [_with_metric(problem) for problem in source.problems]
    # a metric with a wrong value is reported once, at its value, not again where it is quoted
    _check_body(source, {str(key) for key in given if str(key) in vocab.metrics}, vocab, add, metrics)
    return Report(path, title, issued, year, unit, recipient, topics, template, metrics, withheld, confidential,
                  lines, len(source.body), problems=problems)


def check_translation(source: Source, lang: str, original: Report | None, original_path: str,
                      vocab: Vocabulary) -> list[Problem]:
    """A translation carries only its title and text; its figures are the original's.

    The translation is attached to its original, whose page lists the problems too.
    """
    problems = list(source.problems)
    add = lambda code, line, **args: problems.append(Problem(source.path, line, code, args))  # noqa: E731
    if original is None:
        add("orphan_translation", 1, original=original_path, lang=lang)
        return problems
    for name in source.meta:
        if name != "title":
            add("translation_field", source.line(str(name)), field=name, original=original_path)
    if "title" not in source.meta and not (source.problems and not source.meta):
        add("missing_field", 1, field="title", example="District Tax Bureau work report for 2022")
    title = _text(source.meta, "title", source, add) or original.title
    _check_body(source, given_metrics(original), vocab, add, original.metrics)
    original.translations[lang] = Translation(lang, source.path, title)
    original.problems.extend(problems)
    return problems


PAGE_FIELDS = ("title",)


def check_page(source: Source) -> tuple[str | None, list[Problem]]:
    """The title of a page that is not a report (guide, about, any page a pull request adds).

    The theme acts on many front matter keys (``template`` picks a template, ``description``
    and ``title`` are printed unescaped into <head>, ``redirect``…): a page outside the
    reports may carry its title and nothing else, and the title is text.
    """
    problems = list(source.problems)
    add = lambda code, line, **args: problems.append(Problem(source.path, line, code, args))  # noqa: E731
    for name in source.meta:
        if name not in PAGE_FIELDS:
            add("page_field", source.line(str(name)), field=name)
    return _text(source.meta, "title", source, add), problems


def given_metrics(report: Report) -> set[str]:
    """Every defined metric the report gives, with a valid value or not (its lines keep them).

    A translation quotes the original's metrics: an invalid value is reported once, at the
    original's value, not again as an unknown quote in the translation.
    """
    keys = {name.split(".", 1)[1] for name in report.lines if name.startswith("metrics.") and name.count(".") == 1}
    return keys | set(report.metrics) | set(report.withheld)


def _with_metric(problem: Problem) -> Problem:
    """A YAML problem under metrics names its metric, so a public build can mask its figure."""
    keys = problem.figure_keys()
    if not keys or "metrics" in problem.args:
        return problem
    return Problem(problem.path, problem.line, problem.code, {**problem.args, "metrics": keys})


def _labels(term) -> dict[str, str]:
    """Both labels: the message language picks one."""
    return {"zh": term.zh, "en": term.en}


def _given(meta, name, source, add) -> bool:
    value = meta.get(name)
    if name in meta and (value is None or (isinstance(value, str) and not value.strip())):
        add("empty_field", source.line(name), field=name, example=EXAMPLES[name])
        return False
    return name in meta


def _text(meta, name, source, add) -> str | None:
    if name not in meta or not _given(meta, name, source, add):
        return None
    value = meta[name]
    if isinstance(value, (dict, list)):
        add("wrong_type", source.line(name), field=name, expected="text", example=EXAMPLES.get(name, "…"))
        return None
    return str(value).strip()


def _date(meta, source, add, today: Date) -> Date | None:
    if "date" not in meta or not _given(meta, "date", source, add) or isinstance(meta["date"], Flagged):
        return None
    value = str(meta["date"]).strip()
    try:
        if not DATE.match(value):
            raise ValueError
        issued = Date.fromisoformat(value)
    except ValueError:
        add("bad_date", source.line("date"), value=value)
        return None
    if issued > today:
        add("future_date", source.line("date"), date=value, today=today.isoformat())
    return issued


def _year(meta, issued, source, add) -> int | None:
    if "year" not in meta:
        return issued.year if issued else None
    if not _given(meta, "year", source, add):
        return None
    value = meta["year"]
    if isinstance(value, Flagged):
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        add("quoted_number", source.line("year"), field="year", value=value.strip())
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2200:
        add("bad_year", source.line("year"), value=value)
        return None
    if issued and value > issued.year:
        add("year_after_date", source.line("year"), year=value, date=issued.isoformat())
    return value


#: a year a title names: 2024年, 2024年度, 2021—2023年, 2021年至2023年
TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d\d)(?:年度?)?\s*[-—–~～至到]\s*((?:19|20|21)\d\d)年|"
                        r"(?<!\d)((?:19|20|21)\d\d)年")


def title_years(title: object) -> list[tuple[int, int]]:
    """The years (first, last) a title names, each as a range: 2021—2023年 is (2021, 2023)."""
    if not isinstance(title, str):
        return []
    return [(int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(3)), int(m.group(3)))
            for m in TITLE_YEAR.finditer(title)]


def _year_rule(meta, issued: Date | None, year: int, location, source, add) -> None:
    """One rule for the year a report belongs to, checked here and stated in the guide.

    ``year`` is the year the report reviews (the year of ``date`` when it is not given); the
    report lies in ``reports/<year>/`` and was issued in that year or the next (an annual
    report issued in March 2025 on 2024 has ``year: 2024``); a year its title names is that
    year or the year of issue (a report on 2024 issued in 2025 may be titled 「2025年…」, the
    one case where the title and ``year`` differ, and then ``year`` must be written). One
    mistake gives one message: the first of these that fails (``issued`` is None when the date is
    unusable or in the future, already reported).
    """
    written = "year" in meta
    if issued and year > issued.year:
        return   # year_after_date, reported with the year
    if location and int(location.group(1)) != year:
        folder = int(location.group(1))
        where = source.line("year") if written else source.line("date")
        if not written and issued and folder == issued.year - 1:
            add("year_dir_default", where, folder=folder, year=year, date=issued.isoformat())
        else:
            add("year_dir_mismatch", where, folder=location.group(1), year=year)
        return
    if issued and issued.year > year + 1:
        add("date_after_year", source.line("date"), date=issued.isoformat(), year=year)
        return
    named = title_years(meta.get("title"))
    if not named or not issued or any(first <= wanted <= last for first, last in named
                                      for wanted in (year, issued.year)):
        return
    earlier = [last for _, last in named if last <= issued.year]
    title_year = max(earlier) if earlier else named[0][1]
    date = issued.isoformat()
    how = {"zh": "", "en": ""} if written else {"zh": f"（没有写 year，按印发日期 {date} 的年份计）",
                                                 "en": f" (no year is given: it is the year of the date of issue, {date})"}
    add("title_year", source.line("year") if written else source.line("title"), title_year=title_year, year=year,
        how=how)


def _term(vocab, section, value, line, add, field: str | None = None) -> str | None:
    if isinstance(value, Flagged):
        return None
    if isinstance(value, (dict, list)) or value is None:
        add("wrong_type", line, field=field or section, expected="name", example=EXAMPLES.get(field or "", "…"))
        return None
    key = vocab.resolve(section, value)
    if key is None:
        add("unknown_term", line, kind=section, value=value, suggestion=vocab.nearest(section, value))
    return key


def _recipient(vocab: Vocabulary, text: str, line: int, add) -> None:
    """A recipient is free text (shown as written where the vocabulary does not list it), but one
    written as a key (kebab-case ASCII) means an entry of the vocabulary's recipients: an unknown one
    is a typo, reported like an unknown unit."""
    for key, written in vocab.recipient_parts(text):
        if key is None and TERM_KEY.fullmatch(written):
            add("unknown_term", line, kind="recipients", value=written, suggestion=vocab.nearest("recipients", written))


#: what separates the topics a contributor wrote as one text: "组织收入, 减税降费" or "组织收入、减税降费"
TOPIC_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")


def _topics(meta, vocab, source, add) -> tuple[str, ...]:
    if "topics" not in meta or not _given(meta, "topics", source, add):
        return ()
    value = meta["topics"]
    if isinstance(value, str) and not isinstance(value, Flagged) and TOPIC_SEPARATORS.search(value.strip(" ,，、;；")):
        items = [item.strip() for item in TOPIC_SEPARATORS.split(value) if item.strip()]
        add("topics_one_string", source.line("topics"), value=value, items=", ".join(items))
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        add("wrong_type", source.line("topics"), field="topics", expected="list", example=EXAMPLES["topics"])
        return ()
    keys: list[str] = []
    for position, item in enumerate(items):
        line = source.line("topics", str(position)) if not isinstance(value, str) else source.line("topics")
        key = _term(vocab, "topics", item, line, add, "topics")
        if key in keys:
            add("duplicate_topic", line, value=item)
        elif key:
            keys.append(key)
    return tuple(keys)


def _metrics(meta, vocab, template_key, source, add) -> dict:
    template = vocab.templates.get(template_key) if template_key else None
    given = meta.get("metrics")
    if given is None:
        given = {}
    if not isinstance(given, dict):
        add("metrics_not_mapping", source.line("metrics"), example="tax_revenue: 1268000000")
        given = {}
    metrics, withheld = {}, {}
    for key, value in given.items():
        key, line = str(key), source.line("metrics", str(key))
        definition = vocab.metrics.get(key)
        if definition is None:
            add("unknown_metric", line, key=key, suggestion=nearest(key, list(template.metrics if template else vocab.metrics)))
            continue
        if template and key not in template.metrics:
            add("metric_not_in_template", line, key=key, template=_labels(template))
        if isinstance(value, Flagged):
            continue   # reported where it was read
        if isinstance(value, dict):
            reason = value.get("withheld")
            if set(value) == {"withheld"} and isinstance(reason, str) and reason.strip():
                withheld[key] = reason.strip()
            else:
                add("bad_withheld", line, key=key)
            continue
        number = _number(key, value, definition, line, add)
        if number is not None:
            metrics[key] = number
    if template:
        for key in template.required:
            if key not in given:
                definition = vocab.metrics[key]
                add("missing_metric", source.line("metrics") if "metrics" in meta else source.line("template"),
                    key=key, label=_labels(definition), template=_labels(template), unit=definition.unit)
        for rule in template.rules:
            if rule.keys and all(key in metrics for key in rule.keys) and not rule.holds(metrics):
                left, right = rule.sides(metrics)
                add("rule_broken", source.line("metrics", rule.keys[0]), template=_labels(template), rule=rule.text,
                    left=_plain(left), negation=NEGATION[rule.op], right=_plain(right), metrics=tuple(rule.keys),
                    keys={"zh": "、".join(rule.keys), "en": ", ".join(rule.keys)})
    return metrics, withheld


def _plain(value: float) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _confidential(meta, keys: set[str], source, add) -> frozenset[str]:
    """The report's figures kept from public builds; every wrong item is reported at its line.

    When the field cannot be read as meant (a wrong item, ``yes``), every figure of the report
    counts as confidential: a public build never shows a figure its report may have meant to keep.
    """
    value = meta.get("confidential", False)
    if value is True:
        return frozenset(keys)
    if value is False or value is None:
        return frozenset()
    if isinstance(value, list) and all(str(item) in keys for item in value):
        return frozenset(str(item) for item in value)
    if isinstance(value, list) and value:
        for position, item in enumerate(value):
            if str(item) not in keys and not isinstance(item, Flagged):
                add("bad_confidential", source.line("confidential", str(position)), value=item)
    elif not isinstance(value, Flagged):
        add("bad_confidential", source.line("confidential"), value=value)
    return frozenset(keys)


def _source(meta, source, add) -> None:
    """``source: {file: …, sha256: …, encoding: …}`` as ./dev import writes it: texts under known keys."""
    value = meta.get("source")
    if "source" not in meta or isinstance(value, Flagged):
        return
    if not isinstance(value, dict) or not value or any(
            str(key) not in SOURCE_KEYS or not isinstance(item, str) for key, item in value.items()):
        add("bad_source", source.line("source"), keys=", ".join(SOURCE_KEYS))


def _number(key, value, definition, line, add):
    unit = definition.unit
    figure = {"metrics": (key,)}   # the message quotes the figure: masked where it is confidential
    if isinstance(value, str) and PLAIN_NUMBER.fullmatch(value.strip()):
        add("quoted_number", line, field=key, value=value.strip(), **figure)
        return None
    if value is None or (isinstance(value, str) and (value.strip().lower() in PLACEHOLDERS or "*" in value)):
        add("placeholder_metric", line, key=key, value="" if value is None else value, unit=unit, **figure)
        return None
    if not is_number(value) or not math.isfinite(value):
        example = _example(definition)
        add("not_number", line, key=key, value=value, example=example, **figure)
        return None
    if definition.kind == "integer" and float(value) != int(value):
        add("not_integer", line, key=key, value=value, unit=unit, **figure)
        return None
    low, high = definition.min, definition.max
    if (low is not None and value < low) or (high is not None and value > high):
        add("out_of_bounds", line, key=key, value=value, unit=unit,
            low="-∞" if low is None else low, high="∞" if high is None else high, **figure)
        return None
    return int(value) if definition.kind == "integer" else value


def _example(definition) -> str:
    """A plausible number in the metric's own unit, for the fix of a not_number problem."""
    if definition.kind == "money" and definition.unit == "元":
        return "1268000000"
    return "1234" if definition.kind == "integer" else "12.5"


def _check_body(source: Source, defined: set[str], vocab: Vocabulary, add, values=None) -> None:
    """The text's rules (:mod:`.prose`): quotes, masked and typed figures, title lines, emphasis."""
    check_text(source.body, source.body_line, defined, vocab, values or {}, add)
