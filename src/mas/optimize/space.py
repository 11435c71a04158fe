"""Parameter spaces: ``--param`` specs parsed into value lists, and the grid they span.

Syntax of one spec (``name`` is a strategy keyword, or a dotted path into a spec strategy):

- ``name=start:stop:step``: an arithmetic range, *inclusive* of ``stop`` when a whole number of
  steps reaches it (``fast=5:50:5`` is 5, 10, ..., 50). Values are computed in decimal from the
  text, so float steps do not drift (``x=0.1:0.5:0.1`` is exactly 0.1, 0.2, 0.3, 0.4, 0.5). All
  three parts whole numbers give ints, otherwise floats. A negative step counts down.
- ``name=v1,v2,...``: a list of values (ints, floats, ``true``/``false``, else text).
- ``name=v``: one fixed value.

The grid is the Cartesian product in the order the parameters were given, the last one varying
fastest; :meth:`ParamSpace.combination` decodes any index of it without building the grid.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from mas.i18n.errors import Text

__all__ = ["MAX_RANGE_VALUES", "ParamSpace", "ParamSpecError", "parse_param_spec", "parse_value"]

MAX_RANGE_VALUES = 1_000_000
"""More values than this in one range is almost certainly a typo (a step of 0.0001 for 0.1)."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
SYNTAX = Text("param_spec_syntax")

Value = Any


class ParamSpecError(ValueError):
    """A ``--param`` spec that cannot be read; the message names the parameter and the syntax."""


def parse_value(text: str) -> Value:
    """``"5"`` -> 5, ``"0.5"`` -> 0.5, ``"true"`` -> True; anything else stays text."""
    raw = text.strip()
    lowered = raw.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for cast in (int, float):
        try:
            return cast(raw)
        except ValueError:
            continue
    return raw


def _decimal(text: str, part: str, spec: str, name: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ParamSpecError(Text("param_spec_not_number", spec=spec, part=part, text=text.strip(), name=name,
                                  syntax=SYNTAX)) from None
    if not value.is_finite():
        raise ParamSpecError(Text("param_spec_not_finite", spec=spec, part=part, name=name, syntax=SYNTAX))
    return value


def _is_whole(text: str) -> bool:
    return re.fullmatch(r"\s*[+-]?\d+\s*", text) is not None


def _range_values(spec: str, name: str, body: str) -> list[Value]:
    parts = body.split(":")
    if len(parts) != 3:
        raise ParamSpecError(Text("param_spec_range_parts", spec=spec, name=name, syntax=SYNTAX))
    start, stop, step = (_decimal(text, part, spec, name) for text, part in zip(parts, ("start", "stop", "step"),
                                                                                strict=True))
    if step == 0:
        raise ParamSpecError(Text("param_spec_step_zero", spec=spec, name=name, syntax=SYNTAX))
    if (stop - start) * step < 0:
        key = "param_spec_step_negative" if stop < start else "param_spec_step_positive"
        raise ParamSpecError(Text(key, spec=spec, step=step, name=name, stop=stop, start=start))
    count = int((stop - start) / step) + 1
    if count > MAX_RANGE_VALUES:
        raise ParamSpecError(Text("param_spec_too_many", spec=spec, count=f"{count:,}", name=name,
                                  most=f"{MAX_RANGE_VALUES:,}"))
    whole = all(_is_whole(p) for p in parts)
    values = [start + k * step for k in range(count)]
    return [int(v) for v in values] if whole else [float(v) for v in values]


def parse_param_spec(spec: str) -> tuple[str, list[Value]]:
    """``"fast=5:50:5"`` -> ``("fast", [5, 10, ..., 50])``; ParamSpecError naming the problem."""
    if "=" not in spec:
        raise ParamSpecError(Text("param_spec_no_equals", spec=spec, syntax=SYNTAX))
    name, body = (part.strip() for part in spec.split("=", 1))
    if not _NAME.match(name):
        raise ParamSpecError(Text("param_spec_bad_name", spec=spec, name=name, syntax=SYNTAX))
    if not body:
        raise ParamSpecError(Text("param_spec_no_value", spec=spec, name=name, syntax=SYNTAX))
    if ":" in body:
        return name, _range_values(spec, name, body)
    items = [item.strip() for item in body.split(",")]
    if any(not item for item in items):
        raise ParamSpecError(Text("param_spec_empty_item", spec=spec, name=name, syntax=SYNTAX))
    values = [parse_value(item) for item in items]
    keys = [(type(v).__name__, v) for v in values]
    duplicates = sorted({repr(v) for v, key in zip(values, keys, strict=True) if keys.count(key) > 1})
    if duplicates:
        raise ParamSpecError(Text("param_spec_duplicates", spec=spec, name=name, values=", ".join(duplicates)))
    return name, values


@dataclass(frozen=True)
class ParamSpace:
    """Named value lists; their grid is the product, last parameter fastest."""

    names: tuple[str, ...]
    values: tuple[tuple[Value, ...], ...]

    def __post_init__(self) -> None:
        if len(set(self.names)) != len(self.names):
            twice = sorted({n for n in self.names if self.names.count(n) > 1})
            raise ParamSpecError(Text("param_spec_twice", names=", ".join(twice)))
        for name, vals in zip(self.names, self.values, strict=True):
            if not vals:
                raise ParamSpecError(Text("param_spec_no_values", name=name))

    @classmethod
    def from_specs(cls, specs: Sequence[str]) -> ParamSpace:
        """The space of ``--param`` specs, in the order given."""
        parsed = [parse_param_spec(s) for s in specs]
        return cls(tuple(n for n, _ in parsed), tuple(tuple(v) for _, v in parsed))

    @classmethod
    def from_mapping(cls, params: Mapping[str, Any]) -> ParamSpace:
        """From ``{"fast": "5:50:5", "slow": [20, 40], "volume": 0.1}`` (spec text, a sequence or one value)."""
        names, values = [], []
        for name, spec in params.items():
            if isinstance(spec, str):
                _, vals = parse_param_spec(f"{name}={spec}")
            elif isinstance(spec, (list, tuple, range)):
                vals = list(spec)
            else:
                vals = [spec]
            names.append(name)
            values.append(tuple(vals))
        return cls(tuple(names), tuple(values))

    @property
    def size(self) -> int:
        """Number of combinations in the grid."""
        total = 1
        for vals in self.values:
            total *= len(vals)
        return total

    def combination(self, index: int) -> dict[str, Value]:
        """The ``index``-th combination of the grid (0-based, as :meth:`grid` orders them)."""
        if not 0 <= index < self.size:
            raise IndexError(f"combination {index} is outside the grid of {self.size}")
        out: dict[str, Value] = {}
        for name, vals in zip(reversed(self.names), reversed(self.values), strict=True):
            index, k = divmod(index, len(vals))
            out[name] = vals[k]
        return {name: out[name] for name in self.names}

    def grid(self) -> Iterator[dict[str, Value]]:
        """Every combination, in grid order."""
        for index in range(self.size):
            yield self.combination(index)

    def random_order(self, seed: int | None) -> Iterator[dict[str, Value]]:
        """Distinct combinations in a random order fixed by ``seed`` (every one, eventually)."""
        rng = random.Random(seed)
        size = self.size
        if size <= MAX_RANGE_VALUES:
            for index in rng.sample(range(size), size):
                yield self.combination(index)
            return
        seen: set[int] = set()
        while len(seen) < size:
            index = rng.randrange(size)
            if index not in seen:
                seen.add(index)
                yield self.combination(index)
