"""The constraint grammar: parsed without eval, evaluated like Python's own comparisons."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mas.optimize.constraints import ConstraintError, parse_constraint, violated_constraint

NAMES = ("fast", "slow", "risk.stop_loss.value")
ALIASES = {"fast": "fast", "slow": "slow", "risk.stop_loss.value": "stop"}


def test_simple_comparison():
    constraint = parse_constraint("fast < slow")
    assert constraint.names == {"fast", "slow"}
    assert constraint.holds({"fast": 5, "slow": 20})
    assert not constraint.holds({"fast": 20, "slow": 20})


def test_chains_arithmetic_and_dotted_names():
    constraint = parse_constraint("2 * fast <= slow - 1 < risk.stop_loss.value * 10")
    assert constraint.holds({"fast": 5, "slow": 11, "risk.stop_loss.value": 1.5})
    assert not constraint.holds({"fast": 5, "slow": 11, "risk.stop_loss.value": 0.5})


@pytest.mark.parametrize("text, fragment", [
    ("", "it is empty"),
    ("fast", "there is no comparison"),
    ("fast <", "it ends too early"),
    ("fast < slow)", "unexpected ')'"),
    ("(fast < slow", "is not closed"),
    ("fast < (slow", "is not closed"),
    ("__import__('os').system('x') == 0", "unexpected"),
    ("fast < slow; rm", "unexpected"),
    ("fast ** 2 < slow", "unexpected '*'"),
    ("fast and slow", "unexpected 'and'"),
])
def test_malformed_constraints_are_refused_with_the_text(text, fragment):
    with pytest.raises(ConstraintError) as info:
        parse_constraint(text)
    assert fragment in str(info.value)
    assert repr(text) in str(info.value)


def test_names_must_be_swept():
    with pytest.raises(ConstraintError, match="'slow' is not swept with --param"):
        parse_constraint("fast < slow").check_names(["fast"])


def test_unevaluable_combinations_are_excluded_with_the_reason():
    constraints = [parse_constraint("fast / (slow - 20) > 0")]
    assert "cannot be evaluated" in violated_constraint(constraints, {"fast": 5, "slow": 20})
    assert violated_constraint(constraints, {"fast": 5, "slow": 30}) is None
    assert violated_constraint([parse_constraint("fast >= slow")], {"fast": 1, "slow": 2}) == \
        "constraint 'fast >= slow' does not hold"


def _atoms() -> st.SearchStrategy[str]:
    numbers = st.one_of(st.integers(0, 50).map(str), st.sampled_from(["0.5", "2.25", "1e1", ".5"]))
    return st.one_of(numbers, st.sampled_from(NAMES))


def _expressions() -> st.SearchStrategy[str]:
    return st.recursive(
        _atoms(),
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%"]), inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
            inner.map(lambda e: f"({e})"),
            inner.map(lambda e: f"-{e}"),
        ),
        max_leaves=8,
    )


def _python_value(text: str, values: dict[str, float]) -> object:
    """The test's oracle: Python itself, on generated text only (the product never evals)."""
    source = text
    for name, alias in ALIASES.items():
        source = source.replace(name, alias)
    try:
        return eval(source, {"__builtins__": {}}, {ALIASES[k]: v for k, v in values.items()})  # noqa: S307
    except ArithmeticError:
        return ArithmeticError


@given(st.lists(_expressions(), min_size=2, max_size=4), st.lists(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
                                                                  min_size=3, max_size=3),
       st.fixed_dictionaries({n: st.one_of(st.integers(-20, 20), st.sampled_from([0.5, 2.5, -1.25])) for n in NAMES}))
def test_grammar_agrees_with_python_semantics(operands, comparators, values):
    text = operands[0] + "".join(f" {op} {e}" for op, e in zip(comparators, operands[1:], strict=False))
    constraint = parse_constraint(text)
    assert constraint.names == {n for n in NAMES if n in text}
    expected = _python_value(text, values)
    if expected is ArithmeticError:
        with pytest.raises(ConstraintError, match="cannot be evaluated"):
            constraint.holds(values)
    else:
        assert constraint.holds(values) is expected


@given(st.text(max_size=40))
def test_arbitrary_text_parses_or_raises_a_constraint_error(text):
    try:
        parse_constraint(text)
    except ConstraintError as exc:
        assert "constraint" in str(exc)
