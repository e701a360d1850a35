"""Reading YAML with the line of every key, so that each problem can point at its line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .problems import Problem


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: we check them ourselves and say which line."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Lines = dict[tuple[str, ...], int]


def load_yaml(text: str, path: str, first_line: int = 1,
              code: str = "yaml_error") -> tuple[object, Lines, list[Problem]]:
    """Data, the line of each key (by key path), and a problem if the YAML is broken."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        # the context ("while parsing a flow sequence") usually starts on the line to fix
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        detail = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, {}, [Problem(path, line, code, {"detail": detail})]
    finally:
        loader.dispose()
    lines: Lines = {}
    if node is not None:
        _collect_lines(node, (), lines, first_line)
    return data, lines, []


def _collect_lines(node: yaml.Node, prefix: tuple[str, ...], lines: Lines, first_line: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = prefix + (str(key_node.value),)
            lines[key] = first_line + key_node.start_mark.line
            _collect_lines(value_node, key, lines, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            key = prefix + (str(position),)
            lines[key] = first_line + item.start_mark.line
            _collect_lines(item, key, lines, first_line)


_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)


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
        return Source(path, {}, {}, text, 1, [Problem(path, 1, "no_front_matter")])
    body_line = 1 + text.count("\n", 0, match.end())
    data, lines, problems = load_yaml(match.group(1), path, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict) and not problems:
        problems = [Problem(path, 2, "yaml_error", {"detail": "not a mapping of field: value"})]
        data = {}
    return Source(path, data, lines, text[match.end():], body_line, problems)


def strip(text: str) -> str:
    """The body alone, for generators that did not understand the front matter."""
    match = _FENCE.match(text)
    return text[match.end():] if match else text
