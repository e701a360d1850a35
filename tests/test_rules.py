"""Arithmetic rules between a template's metrics: reading them, and checking figures against them."""
from __future__ import annotations

import pytest

from archive.rules import NEGATION, Rule, parse_rule


# --- reading a rule ---------------------------------------------------------------------------

def test_parse_a_comparison_of_two_metrics():
    assert parse_rule("public_revenue <= tax_revenue") == Rule(
        "public_revenue <= tax_revenue", ((1, "public_revenue"),), "<=", ((1, "tax_revenue"),))


def test_parse_a_sum():
    assert parse_rule("a + b == total") == Rule("a + b == total", ((1, "a"), (1, "b")), "==", ((1, "total"),))


def test_parse_a_difference_against_a_number():
    assert parse_rule("a - b >= 0") == Rule("a - b >= 0", ((1, "a"), (-1, "b")), ">=", ((1, "0"),))


@pytest.mark.parametrize("text, left, op, right", [
    ("a<=b", ((1, "a"),), "<=", ((1, "b"),)),                       # spaces are optional
    ("a>=b", ((1, "a"),), ">=", ((1, "b"),)),
    ("a < b", ((1, "a"),), "<", ((1, "b"),)),
    ("a > b", ((1, "a"),), ">", ((1, "b"),)),
    ("a - 2.5 > 1", ((1, "a"), (-1, "2.5")), ">", ((1, "1"),)),     # decimals
    ("-a <= 100", ((-1, "a"),), "<=", ((1, "100"),)),               # a leading sign
    ("x_2 + y+z == w", ((1, "x_2"), (1, "y"), (1, "z")), "==", ((1, "w"),)),
])
def test_parse_variants(text, left, op, right):
    assert parse_rule(text) == Rule(text, left, op, right)


def test_surrounding_space_is_dropped_from_the_text():
    assert parse_rule("  a <= b \n").text == "a <= b"


@pytest.mark.parametrize("text, keys", [
    ("a <= b", ("a", "b")),
    ("a + b == total", ("a", "b", "total")),
    ("a - 2.5 >= 0", ("a",)),                # numbers are not keys
    ("b - a >= 0", ("b", "a")),              # in the order written: the first is where a problem points
])
def test_keys_are_the_metrics_in_order(text, keys):
    assert parse_rule(text).keys == keys


@pytest.mark.parametrize("text, message", [
    ("a = b", "no comparison (<=, >=, ==, <, >)"),
    ("a b", "no comparison (<=, >=, ==, <, >)"),
    ("<= b", "no comparison (<=, >=, ==, <, >)"),
    ("a =< b", "cannot read '='"),
    ("a <=", "cannot read '='"),
    ("a <= b <= c", "cannot read '<= c'"),
    ("a * 2 <= b", "cannot read '* 2'"),
    ("Tax <= b", "cannot read 'Tax'"),           # keys are lowercase
    ("a b <= c", "+ or - missing before 'b'"),
    ("a <= 2x", "+ or - missing before 'x'"),
])
def test_a_rule_that_cannot_be_read_says_why(text, message):
    with pytest.raises(ValueError) as error:
        parse_rule(text)
    assert str(error.value) == message


# --- checking figures -------------------------------------------------------------------------

def test_sides_add_up_terms_and_numbers():
    assert parse_rule("a - b + 1.5 == total").sides({"a": 10, "b": 4, "total": 7.5}) == (7.5, 7.5)


@pytest.mark.parametrize("text, values, holds", [
    ("a <= b", {"a": 1, "b": 2}, True),
    ("a <= b", {"a": 2, "b": 2}, True),
    ("a <= b", {"a": 3, "b": 2}, False),
    ("a >= b", {"a": 2, "b": 2}, True),
    ("a >= b", {"a": 1, "b": 2}, False),
    ("a < b", {"a": 2, "b": 2}, False),
    ("a > b", {"a": 2, "b": 2}, False),
    ("a > b", {"a": 3, "b": 2}, True),
    ("a + b == total", {"a": 600, "b": 668, "total": 1268}, True),
    ("a + b == total", {"a": 600, "b": 600, "total": 1268}, False),
    ("a + b == total", {"a": 0.1, "b": 0.2, "total": 0.3}, True),      # no floating-point surprise
    ("a - b >= 0", {"a": 5, "b": 5}, True),
    ("a - b >= 0", {"a": 4, "b": 5}, False),
])
def test_holds(text, values, holds):
    assert parse_rule(text).holds(values) is holds


@pytest.mark.parametrize("text, a, holds", [
    # figures are printed rounded to two places: a difference within 0.005 is rounding
    ("a == b", 1.004, True),
    ("a == b", 0.996, True),
    ("a == b", 1.006, False),
    ("a == b", 0.994, False),
    ("a <= b", 1.004, True),
    ("a <= b", 1.006, False),
    ("a >= b", 0.996, True),
    ("a >= b", 0.994, False),
    # strict comparisons allow for nothing
    ("a < b", 1.0, False),
    ("a > b", 1.0, False),
])
def test_rounding_slack(text, a, holds):
    assert parse_rule(text).holds({"a": a, "b": 1}) is holds


def test_slack_grows_a_little_with_large_figures():
    rule = parse_rule("a == b")
    assert rule.holds({"a": 1e12 + 900, "b": 1e12})          # below one part in a billion
    assert not rule.holds({"a": 1e12 + 1100, "b": 1e12})


def test_each_comparison_has_its_negation():
    assert NEGATION == {"<=": ">", ">=": "<", "==": "≠", "<": "≥", ">": "≤"}
