"""Reading YAML with the line of every key, so that each problem can point at its line.

Front matter comes from pull requests, so it is read as untrusted input, in bounded steps:

1. *Size*: a front matter longer than ``MAX_CHARACTERS`` is refused unread (``split``; the
   maintainer's vocabulary, read with ``load_yaml`` too, may be longer).
2. *Screening the event stream* (PyYAML's parser is a state machine: it never recurses and
   never expands anything): an anchor (``&a``), an alias (``*a``) or an explicit tag
   (``!!int``, ``!x``) is refused — reports have no use for them, and an alias bomb then
   costs nothing; nesting deeper than ``MAX_DEPTH`` is refused before the recursive
   composer could run out of stack. Each of these is one problem and the front matter is
   not read further.
3. *Composing and checking the nodes* (now small and shallow): a key written twice in one
   mapping is a problem at the second one naming the first (YAML would silently keep the
   last). Plain values are resolved by an allowlist, not by YAML 1.1's rules: a value is a
   number only in plain decimal (``1234``, ``-3.5``, ``+2``, ``.5``), a boolean only as
   ``true``/``false``, nothing only when empty, ``~`` or ``null``; everything else is text.
   A plain value that YAML 1.1 (PyYAML, which MkDocs and most tools use) or YAML 1.2 would
   read as a number or a boolean but that is not in that allowlist — ``yes``/``no``/``on``/
   ``off``/``y``/``n``, ``0x84``, ``0o17``, ``017``, ``0b1``, ``1_234``, ``2:12``, ``1e9``,
   ``.inf``, ``.nan`` — is a problem saying how to write it, because the reader cannot tell
   which was meant; so is a number of more than ``MAX_DIGITS`` digits (it cannot be kept
   exactly, and Python refuses to convert very long ones). Such a value is kept as
   :class:`Flagged` text, so that the checks that follow skip it instead of reporting it
   a second time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .problems import Problem

MAX_CHARACTERS = 10_000   # a report's front matter is a few hundred characters, the sample's longest 1,500
MAX_DEPTH = 10            # a report needs 3 levels (metrics → key → withheld), the vocabulary 4
MAX_DIGITS = 15           # digits a float keeps exactly; the largest figure defined is 12 digits

STR = "tag:yaml.org,2002:str"
FLAGGED = "tag:archive,2024:flagged"


class Flagged(str):
    """Text whose plain YAML notation was already reported; the checks after parsing skip it."""


class _Loader(yaml.SafeLoader):
    """SafeLoader whose plain values resolve by the allowlist above (dates stay text too)."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
        ("tag:yaml.org,2002:bool", r"(?:true|True|TRUE|false|False|FALSE)", "tTfF"),
        ("tag:yaml.org,2002:null", r"(?:~|null|Null|NULL|)", ["~", "n", "N", ""]),
        ("tag:yaml.org,2002:int", r"[-+]?[0-9]+", "-+0123456789"),
        ("tag:yaml.org,2002:float", r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)", "-+.0123456789")):
    _Loader.add_implicit_resolver(_tag, re.compile(rf"^{_pattern}$"), list(_first))
_Loader.add_constructor(FLAGGED, lambda loader, node: Flagged(node.value))
# An integer with leading zeros is not plain decimal (YAML 1.1 reads 017 as octal 15): see _notation.
_Loader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: int(node.value))
_Loader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: float(node.value))

if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.cyaml.CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """The same resolving and constructing over libyaml's parser: screening and reading a
        front matter of ``MAX_CHARACTERS`` take milliseconds instead of most of a second."""

        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
        yaml_constructors = _Loader.yaml_constructors

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
else:  # pragma: no cover - PyYAML without libyaml: the pure-Python parser, slower but the same
    _FastLoader = _Loader

Lines = dict[tuple[str, ...], int]

_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_BOOL_WORDS = {"yes": True, "no": False, "on": True, "off": False, "y": True, "n": False}
_NUMBER_FORMS = (   # what YAML 1.1 or 1.2 reads as a number, with the way to read it
    ("hexadecimal", re.compile(r"[-+]?0x[0-9a-fA-F_]+"), lambda v: int(v.replace("_", ""), 16)),
    ("octal", re.compile(r"[-+]?0o[0-7_]+"), lambda v: int(v.replace("_", ""), 8)),
    ("binary", re.compile(r"[-+]?0b[01_]+"), lambda v: int(v.replace("_", ""), 2)),
    ("octal", re.compile(r"[-+]?0[0-7_]+"), lambda v: int(v.replace("_", ""), 8)),
    ("sexagesimal", re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"), None),
    ("underscore", re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?"), None),
    ("exponent", re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+"), None),
    ("infinity", re.compile(r"[-+]?\.(?:inf|Inf|INF)"), None),
    ("not_a_number", re.compile(r"\.(?:nan|NaN|NAN)"), None),
    ("leading_zero", re.compile(r"[-+]?0[0-9]+"), None),
)


def _sexagesimal(value: str) -> str:
    sign = -1 if value.startswith("-") else 1
    total = 0.0
    for part in value.lstrip("+-").replace("_", "").split(":"):
        total = total * 60 + float(part)
    total *= sign
    return _plain(total)


def _plain(number: float | int) -> str:
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return str(number)


def _notation(value: str) -> tuple[str, str] | None:
    """(kind, how YAML reads it) for a plain value YAML would take for a number or a boolean."""
    if len(value) > 64:
        return None
    word = value.lower()
    if word in _BOOL_WORDS and value in (word, word.capitalize(), word.upper()):
        return "boolean", "true" if _BOOL_WORDS[word] else "false"
    for kind, pattern, read in _NUMBER_FORMS:
        if not pattern.fullmatch(value):
            continue
        if kind == "underscore":
            if "_" not in value or not any(c.isdigit() for c in value):
                continue
            digits = value.replace("_", "")
            try:
                return kind, _plain(float(digits)) if any(c in digits for c in ".eE") else str(int(digits))
            except ValueError:
                return None
        if kind == "sexagesimal":
            return kind, _sexagesimal(value)
        if kind in ("infinity", "not_a_number", "exponent"):
            return kind, {"infinity": ("-" if value.startswith("-") else "") + "∞",
                          "not_a_number": "NaN"}.get(kind) or _plain(float(value))
        if kind == "leading_zero":
            return kind, str(int(value))
        return kind, str(read(value))
    return None


def load_yaml(text: str, path: str, first_line: int = 1,
              code: str = "yaml_error") -> tuple[object, Lines, list[Problem]]:
    """Data, the line of each key (by key path), and the problems found reading it.

    The data is None when the YAML cannot be read at all (broken, too deep, with
    anchors, aliases or tags); with duplicate keys or notations it is read and kept.
    """
    refused, broken = _screen(text, path, first_line, _FastLoader)
    if broken and _FastLoader is not _Loader:
        # PyYAML's own parser names what is wrong in plainer words, and libyaml may stop ahead of it
        # (its scanner looks ahead): screened again up to PyYAML's error, which is the one reported
        refused, broken = _screen(text, path, first_line, _Loader)
    if refused or broken:
        return None, {}, [refused or _broken(broken, path, first_line, code)]
    loader = _FastLoader(text)
    problems: list[Problem] = []
    lines: Lines = {}
    try:
        node = loader.get_single_node()
        if node is not None:
            _check(node, (), lines, problems, path, first_line)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        return None, {}, [_broken(error, path, first_line, code)]
    except RecursionError:  # unreachable after screening; never a traceback if it is reached
        return None, {}, [Problem(path, first_line, "yaml_too_deep", {"limit": MAX_DEPTH})]
    finally:
        loader.dispose()
    return data, lines, problems


def _broken(error: yaml.YAMLError, path: str, first_line: int, code: str) -> Problem:
    # the context ("while parsing a flow sequence") usually starts on the line to fix
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    line = first_line + (mark.line if mark else 0)
    detail = getattr(error, "problem", None) or str(error).splitlines()[0]
    return Problem(path, line, code, {"detail": detail})


def _screen(text: str, path: str, first_line: int,
            parser: type) -> tuple[Problem | None, yaml.YAMLError | None]:
    """The first construct refused before composing, from the event stream alone; or the error
    that makes the text no YAML at all."""
    depth = 0
    loader = parser(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            line = first_line + event.start_mark.line
            if isinstance(event, yaml.AliasEvent):
                return Problem(path, line, "yaml_alias", {"name": event.anchor}), None
            if getattr(event, "anchor", None) is not None:
                return Problem(path, line, "yaml_anchor", {"name": event.anchor}), None
            tag = getattr(event, "tag", None)
            if tag is not None:
                return Problem(path, line, "yaml_tag", {"tag": tag.replace("tag:yaml.org,2002:", "!!", 1)}), None
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(path, line, "yaml_too_deep", {"limit": MAX_DEPTH}), None
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as error:
        return None, error
    finally:
        loader.dispose()
    return None, None


def _check(node: yaml.Node, prefix: tuple[str, ...], lines: Lines, problems: list[Problem],
           path: str, first_line: int, name: str = "") -> None:
    """Record each key's line; flag duplicate keys, YAML 1.1 notations and overlong numbers.

    ``name`` is the field as a contributor reads it: the keys leading to it, without list positions.
    """
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key_node.tag = STR   # a key is a name: 2022, true or 017 as written
            text = str(key_node.value)
            key = prefix + (text,)
            field_name = f"{name}.{text}" if name else text
            line = first_line + key_node.start_mark.line
            if text in seen:
                problems.append(Problem(path, line, "duplicate_key", {"field": field_name, "first": seen[text], "at": key}))
            else:
                seen[text] = line
                lines[key] = line
            _check(value_node, key, lines, problems, path, first_line, field_name)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            key = prefix + (str(position),)
            lines[key] = first_line + item.start_mark.line
            _check(item, key, lines, problems, path, first_line, name)
    elif isinstance(node, yaml.ScalarNode) and not node.style and prefix:  # plain: None, or '' from libyaml
        line = first_line + node.start_mark.line
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            digits = sum(character.isdigit() for character in node.value)
            if digits > MAX_DIGITS:
                node.tag = FLAGGED
                problems.append(Problem(path, line, "number_too_long",
                                        {"field": name, "digits": digits, "limit": MAX_DIGITS, "at": prefix}))
            elif node.tag == "tag:yaml.org,2002:int" and not _PLAIN_INT.fullmatch(node.value):
                node.tag = FLAGGED   # 017: octal 15 in YAML 1.1, 17 in YAML 1.2
                problems.append(_notation_problem(path, line, name, node.value, prefix))
        elif node.tag == STR and _notation(node.value):
            node.tag = FLAGGED
            problems.append(_notation_problem(path, line, name, node.value, prefix))


def _notation_problem(path: str, line: int, name: str, value: str, at: tuple[str, ...]) -> Problem:
    kind, reading = _notation(value)
    code = {"boolean": "yaml_boolean", "infinity": "yaml_special", "not_a_number": "yaml_special"}.get(kind, "yaml_number")
    return Problem(path, line, code, {"field": name, "value": value, "kind": f"notation_{kind}",
                                      "reading": reading, "plain": _plain_form(kind, value, reading), "at": at})


def _plain_form(kind: str, value: str, reading: str) -> str:
    """The plain decimal the contributor most likely meant."""
    if kind in ("octal", "leading_zero") and not value.lstrip("+-").startswith(("0o", "0O")):
        sign = "-" if value.startswith("-") else ""
        return sign + (value.lstrip("+-").replace("_", "").lstrip("0") or "0")
    return reading


_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)
_OPENING = re.compile(r"\A---[ \t]*\r?$", re.M)


@dataclass
class Source:
    """A Markdown file split into its front matter and its body."""

    path: str
    meta: dict[str, object]
    lines: Lines
    body: str
    body_line: int
    problems: list[Problem] = field(default_factory=list)

    def line(self, *key: str) -> int:
        """The line of a key, else of its nearest parent, else the first line."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1


def split(text: str, path: str) -> Source:
    """Front matter and body of a Markdown file; problems instead of exceptions."""
    match = _FENCE.match(text)
    if not match:
        code = "front_matter_not_closed" if _OPENING.match(text) else "no_front_matter"
        return Source(path, {}, {}, text, 1, [Problem(path, 1, code)])
    body_line = 1 + text.count("\n", 0, match.end())
    if len(match.group(1)) > MAX_CHARACTERS:
        problem = Problem(path, 2, "front_matter_too_long", {"size": len(match.group(1)), "limit": MAX_CHARACTERS})
        return Source(path, {}, {}, text[match.end():], body_line, [problem])
    data, lines, problems = load_yaml(match.group(1), path, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        if not problems:
            problems = [Problem(path, 2, "yaml_error", {"detail": "not a mapping of field: value"})]
        data = {}
    return Source(path, data, lines, text[match.end():], body_line, problems)


def strip(text: str) -> str:
    """The body alone, for generators that did not understand the front matter."""
    match = _FENCE.match(text)
    return text[match.end():] if match else text
