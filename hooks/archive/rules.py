"""Arithmetic rules between a template's metrics, as statistical tables state them.

A rule is written in the vocabulary as text, ``public_finance_revenue <= tax_revenue`` or
``a + b == total``: sums and differences of metric keys and numbers, compared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .formatting import Number

_COMPARE = re.compile(r"^(.+?)(<=|>=|==|<|>)(.+)$")
_TERM = re.compile(r"\s*([+-]?)\s*([a-z][a-z0-9_]*|\d+(?:\.\d+)?)\s*")
OPERATORS = {
    "<=": lambda a, b: a <= b + _slack(a, b),
    ">=": lambda a, b: a + _slack(a, b) >= b,
    "==": lambda a, b: abs(a - b) <= _slack(a, b),
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
}
NEGATION = {"<=": ">", ">=": "<", "==": "≠", "<": "≥", ">": "≤"}


def _slack(a: Number, b: Number) -> float:
    """Figures are rounded as published: allow for rounding in the last printed place."""
    return 0.005 + 1e-9 * max(abs(a), abs(b))


@dataclass(frozen=True)
class Rule:
    text: str
    left: tuple[tuple[int, str], ...]
    op: str
    right: tuple[tuple[int, str], ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(term for _, term in self.left + self.right if not term[0].isdigit())

    def sides(self, values: dict[str, Number]) -> tuple[Number, Number]:
        def total(side):
            return sum(sign * (float(term) if term[0].isdigit() else values[term]) for sign, term in side)
        return total(self.left), total(self.right)

    def holds(self, values: dict[str, Number]) -> bool:
        return OPERATORS[self.op](*self.sides(values))


def parse_rule(text: str) -> Rule:
    """The rule, or ValueError saying what is wrong with it."""
    match = _COMPARE.match(text.strip())
    if not match:
        raise ValueError("no comparison (<=, >=, ==, <, >)")
    left, op, right = match.groups()
    return Rule(text.strip(), _side(left), op, _side(right))


def _side(text: str) -> tuple[tuple[int, str], ...]:
    terms, at = [], 0
    while at < len(text):
        match = _TERM.match(text, at)
        if not match or match.end() == at:
            raise ValueError(f"cannot read '{text[at:].strip()}'")
        sign, term = match.groups()
        if terms and not sign:
            raise ValueError(f"+ or - missing before '{term}'")
        terms.append((-1 if sign == "-" else 1, term))
        at = match.end()
    if not terms:
        raise ValueError("an empty side")
    return tuple(terms)
