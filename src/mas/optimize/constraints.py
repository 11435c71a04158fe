"""Constraints between parameters (``--constraint "fast < slow"``), parsed without ``eval``.

The grammar is tiny: arithmetic over parameter names and numbers, and one or more comparisons
(chained like Python: ``a < b <= c`` means ``a < b and b <= c``)::

    constraint := sum (CMP sum)+          CMP := < <= > >= == !=
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/" | "%") unary)*
    unary      := "-" unary | atom
    atom       := NUMBER | NAME | "(" sum ")"

Names are parameters of the space (dotted paths allowed). A combination for which a constraint
cannot be evaluated (division by zero, a text value in arithmetic) does not satisfy it.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mas.i18n.errors import Text, text_of

__all__ = ["Constraint", "ConstraintError", "parse_constraint", "violated_constraint"]

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
    | (?P<op><=|>=|==|!=|<|>|[-+*/%()])
    )""", re.VERBOSE)

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}
ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "%": operator.mod,
}


class ConstraintError(ValueError):
    """A constraint that does not parse, names an unknown parameter, or cannot be evaluated."""


@dataclass(frozen=True)
class _Number:
    value: float | int

    def eval(self, params: Mapping[str, Any]) -> Any:
        return self.value


@dataclass(frozen=True)
class _Name:
    name: str

    def eval(self, params: Mapping[str, Any]) -> Any:
        return params[self.name]


@dataclass(frozen=True)
class _Negate:
    operand: Any

    def eval(self, params: Mapping[str, Any]) -> Any:
        return -self.operand.eval(params)


@dataclass(frozen=True)
class _Binary:
    op: str
    left: Any
    right: Any

    def eval(self, params: Mapping[str, Any]) -> Any:
        return ARITHMETIC[self.op](self.left.eval(params), self.right.eval(params))


@dataclass(frozen=True)
class Constraint:
    """A parsed constraint: ``holds(params)`` tells whether a combination satisfies it."""

    text: str
    operands: tuple[Any, ...]
    comparators: tuple[str, ...]
    names: frozenset[str]

    def holds(self, params: Mapping[str, Any]) -> bool:
        """True when every comparison of the chain holds; ConstraintError when it cannot be evaluated."""
        try:
            left = self.operands[0].eval(params)
            for op, operand in zip(self.comparators, self.operands[1:], strict=True):
                right = operand.eval(params)  # evaluated only when the chain gets there, as in Python
                if not COMPARISONS[op](left, right):
                    return False
                left = right
            return True
        except KeyError as exc:
            raise ConstraintError(Text("constraint_no_value", text=self.text, name=exc.args[0])) from None
        except (ArithmeticError, TypeError) as exc:
            raise ConstraintError(Text("constraint_cannot_evaluate", text=self.text, params=dict(params),
                                       reason=str(exc))) from None

    def check_names(self, known: Iterable[str]) -> None:
        """ConstraintError when the constraint names a parameter outside ``known``."""
        known = list(known)
        unknown = sorted(self.names - set(known))
        if unknown:
            key = "constraint_unknown_one" if len(unknown) == 1 else "constraint_unknown_many"
            raise ConstraintError(Text(key, text=self.text, names=", ".join(map(repr, unknown)),
                                       known=", ".join(known) or Text("none_found")))

    def __str__(self) -> str:
        return self.text


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = self._tokenize(text)
        self.pos = 0
        self.names: set[str] = set()

    def _fail(self, problem: Text) -> ConstraintError:
        return ConstraintError(Text("constraint_malformed", text=self.text, problem=problem))

    def _tokenize(self, text: str) -> list[tuple[str, str]]:
        tokens, pos = [], 0
        stripped = text.rstrip()
        while pos < len(stripped):
            match = _TOKEN.match(stripped, pos)
            if match is None or match.end() == pos:
                raise self._fail(Text("constraint_unexpected_at", token=stripped[pos:].strip()[:10], position=pos + 1))
            kind = match.lastgroup or ""
            tokens.append((kind, match.group(kind)))
            pos = match.end()
        return tokens

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise self._fail(Text("constraint_ends_early"))
        self.pos += 1
        return token

    def parse(self) -> Constraint:
        if not self.tokens:
            raise self._fail(Text("constraint_empty"))
        operands, comparators = [self._sum()], []
        while (token := self._peek()) is not None and token[1] in COMPARISONS:
            self.pos += 1
            comparators.append(token[1])
            operands.append(self._sum())
        if self._peek() is not None:
            raise self._fail(Text("constraint_unexpected", token=self._peek()[1]))
        if not comparators:
            raise self._fail(Text("constraint_no_comparison"))
        return Constraint(" ".join(value for _, value in self.tokens), tuple(operands), tuple(comparators),
                          frozenset(self.names))

    def _sum(self) -> Any:
        node = self._product()
        while (token := self._peek()) is not None and token[1] in ("+", "-"):
            self.pos += 1
            node = _Binary(token[1], node, self._product())
        return node

    def _product(self) -> Any:
        node = self._unary()
        while (token := self._peek()) is not None and token[1] in ("*", "/", "%"):
            self.pos += 1
            node = _Binary(token[1], node, self._unary())
        return node

    def _unary(self) -> Any:
        token = self._peek()
        if token is not None and token[1] == "-":
            self.pos += 1
            return _Negate(self._unary())
        return self._atom()

    def _atom(self) -> Any:
        kind, value = self._take()
        if kind == "number":
            number = float(value)
            return _Number(int(value) if re.fullmatch(r"\d+", value) else number)
        if kind == "name":
            self.names.add(value)
            return _Name(value)
        if value == "(":
            node = self._sum()
            closing = self._peek()
            if closing is None or closing[1] != ")":
                raise self._fail(Text("constraint_paren_open"))
            self.pos += 1
            return node
        raise self._fail(Text("constraint_unexpected", token=value))


def parse_constraint(text: str) -> Constraint:
    """Parse one constraint (see the module doc); ConstraintError quoting it when it is malformed."""
    if not isinstance(text, str):
        raise ConstraintError(Text("constraint_not_text", value=text))
    return _Parser(text).parse()


def violated_constraint(constraints: Iterable[Constraint], params: Mapping[str, Any]) -> str | None:
    """Why ``params`` is excluded (the first constraint it fails, or why one cannot be evaluated), else None."""
    for constraint in constraints:
        try:
            if not constraint.holds(params):
                return Text("constraint_not_held", text=constraint.text)
        except ConstraintError as exc:
            return text_of(exc)
    return None
