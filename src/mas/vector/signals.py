"""A spec's rules as boolean arrays over all bars, with the runtime's three-valued logic.

:mod:`mas.strategy.conditions` defines the rules and steps them one bar at a time; here every
condition kind of its :data:`~mas.strategy.conditions.CONDITION_OPERANDS` becomes two arrays,
``true`` and ``false`` (neither: unknown, an operand warming up), computed for all bars at once
with the same arithmetic: the same operands, the same differences, the same tie tolerance
(:data:`~mas.strategy.conditions.TIE`) on the same scales
(:func:`~mas.strategy.conditions.operand_scale`), the same comparisons, the same resets of crosses
after unknown bars, Kleene AND / OR / NOT. A rule fires on the bars where it is true.
``tests/vector/test_one_rule.py`` holds this module and the streaming nodes equal, kind by kind.

The trade kernel takes each rule as the list of bars where it fires (:func:`rule_bars`). A rule that
is a cross (as the MA and MACD built-ins' are) is listed straight from one compiled pass over its two
operands, which finds the crossings both ways at once (an entry and an exit crossing the same pair
cost one pass) without writing an array per bar.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mas.strategy.conditions import COMPARISONS, RULE_NAMES, TIE, operand_scale, operands_of, sum_of
from mas.strategy.spec import (
    INDICATOR_OUTPUTS,
    PRICE_FIELDS,
    WEEKDAYS,
    AllOf,
    AnyOf,
    Between,
    Compare,
    Cross,
    ForBars,
    Not,
    Sequence,
    StrategySpec,
    Sum,
    Trend,
    parse_operand,
)
from mas.vector.candles import Candles, IndicatorCache
from mas.vector.jit import HAVE_NUMBA, njit

__all__ = ["entry_filter", "rule_arrays", "rule_bars"]

Truth = tuple[np.ndarray, np.ndarray]
"""(true, false) per bar."""


def _shift(values: np.ndarray, bars: int) -> np.ndarray:
    if bars == 0:
        return values
    out = np.full(len(values), np.nan)
    if bars < len(values):
        out[bars:] = values[:-bars]
    return out


class _Evaluator:
    def __init__(self, spec: StrategySpec, candles: Candles, cache: IndicatorCache) -> None:
        self.candles = candles
        self.cache = cache
        self.kinds = {i.id: i for i in spec.indicators}
        self.size = len(candles)
        self._operands: dict[Any, np.ndarray] = {}
        self._crossings: dict[tuple[Any, Any], tuple[np.ndarray, np.ndarray]] = {}

    def operand(self, operand: float | str | Sum) -> np.ndarray:
        if operand in self._operands:
            return self._operands[operand]
        if isinstance(operand, (int, float)):
            values = np.full(self.size, float(operand))
        elif isinstance(operand, Sum):  # NaN (unknown) where a term is
            values = sum_of([self.operand(term.operand) for term in operand.terms], operand)
        else:
            name, output, back = parse_operand(operand)
            if name in PRICE_FIELDS:
                current = self.candles.field(name)
            else:
                indicator = self.kinds[name]
                output = output or INDICATOR_OUTPUTS.get(indicator.kind, (None,))[0]
                current = self.cache.outputs(indicator)[output]
            values = _shift(current, back)
        self._operands[operand] = values
        return values

    def scale(self, operand: float | str | Sum, a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
        category = operand_scale(operand, self.kinds)
        if category == "price":
            return self.candles.abs_close
        if category == "oscillator":
            return 100.0
        return np.maximum(np.abs(a), np.abs(b))

    def tied(self, diff: np.ndarray, scale: np.ndarray | float) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.where(np.abs(diff) <= TIE * scale, 0.0, diff)

    def fires(self, condition: Any) -> np.ndarray:
        """The bars where ``condition`` is true, as a boolean array."""
        if isinstance(condition, Cross) and HAVE_NUMBA:
            fired = np.zeros(self.size, dtype=bool)
            fired[self.fires_at(condition)] = True
            return fired
        return self.node(condition)[0]

    def fires_at(self, condition: Any) -> np.ndarray:
        """The bars where ``condition`` is true, ascending (a rule's own condition: its false side is not needed,
        and a pair of operands crossing both ways, as entry and exit often do, is crossed in one compiled pass
        that lists the bars without writing an array per bar)."""
        if isinstance(condition, Cross) and HAVE_NUMBA:
            key = (condition.left, condition.right)
            if key not in self._crossings:
                a, b = self.operand(condition.left), self.operand(condition.right)
                codes = [_SCALE_CODES[operand_scale(x, self.kinds)] for x in key]
                above, below = self.cache.scratch(2)
                ups, downs = _crossing_bars(a, b, codes[0], codes[1], self.candles.abs_close, TIE,
                                            _tie_bound(codes, self.candles), above, below)
                self._crossings[key] = above[:ups].copy(), below[:downs].copy()
            above, below = self._crossings[key]
            return above if condition.kind == "crosses_above" else below
        return np.flatnonzero(self.node(condition)[0])

    def node(self, condition: Any) -> Truth:
        values = [self.operand(operand) for operand in operands_of(condition)]
        if isinstance(condition, Compare):
            return _compare(values[0], condition.op, values[1])
        if isinstance(condition, Cross):
            a, b = values
            if HAVE_NUMBA:  # the true side from the compiled pass over the pair (both ways, cached)
                with np.errstate(invalid="ignore"):
                    diff = a - b  # a tie (0.0) is known: only NaN differences are not
                true = np.zeros(self.size, dtype=bool)
                true[self.fires_at(condition)] = True
            else:
                scale = np.maximum(self.scale(condition.left, a, b), self.scale(condition.right, a, b))
                diff = self.tied(a - b, scale)
                prev = _shift(diff, 1)
                with np.errstate(invalid="ignore"):
                    true = (prev <= 0.0) & (diff > 0.0) if condition.kind == "crosses_above" else \
                        (prev >= 0.0) & (diff < 0.0)
            known = ~np.isnan(diff) & ~np.isnan(_shift(diff, 1))  # a cross needs this bar's and the previous one's
            return true, known & ~true
        if isinstance(condition, Between):
            x, low, high = values
            return _all([_compare(low, "<=", x), _compare(x, "<=", high)])
        if isinstance(condition, Trend):
            now = values[0]
            then = _shift(now, condition.bars)
            diff = self.tied(now - then, self.scale(condition.value, now, then))
            known = ~np.isnan(diff)
            with np.errstate(invalid="ignore"):
                true = diff > 0.0 if condition.kind == "rising" else diff < 0.0
            return true, known & ~true
        if isinstance(condition, ForBars):
            child_true, child_false = self.node(condition.condition)
            held = np.concatenate(([0], np.cumsum(child_true, dtype=np.int64)))
            bars = condition.bars
            true = np.zeros(self.size, dtype=bool)
            if bars <= self.size:
                true[bars - 1:] = held[bars:] - held[:-bars] == bars
            return true, ~true & (child_true | child_false)
        if isinstance(condition, Sequence):
            return _sequence(self.node(condition.first), self.node(condition.then), condition.within)
        if isinstance(condition, (AllOf, AnyOf)):
            children = [self.node(c) for c in condition.conditions]
            return _all(children) if isinstance(condition, AllOf) else _any(children)
        if isinstance(condition, Not):
            child_true, child_false = self.node(condition.condition)
            return child_false, child_true
        raise TypeError(f"unknown condition {condition!r}")  # pragma: no cover - the spec's union is closed


_SCALE_CODES = {"raw": 0, "price": 1, "oscillator": 2}


@njit
def _scale(code: int, a: float, b: float, abs_close: float) -> float:
    if code == 1:
        return abs_close
    if code == 2:
        return 100.0
    return max(abs(a), abs(b))


@njit
def _crossing_bars(a: np.ndarray, b: np.ndarray, left: int, right: int, abs_close: np.ndarray, tie: float,
                   bound: float, above: np.ndarray, below: np.ndarray) -> tuple[int, int]:
    """The cross node both ways in one pass, true sides only (ties within ``tie``, :data:`TIE`, of the larger scale
    are 0, unknown bars reset it): the bars where ``a`` crosses above ``b`` go into ``above`` and those where it
    crosses below into ``below``, ascending; returns how many of each. (``tie`` is an argument, not the global:
    numba would freeze another module's constant into its cache.)

    ``bound``: no tie tolerance of any bar exceeds it (:func:`_tie_bound`), so a difference beyond it needs
    no look at the bar's scale."""
    ups = downs = 0
    prev = np.nan
    for i in range(len(a)):
        x, y = a[i], b[i]
        if np.isnan(x) or np.isnan(y):
            prev = np.nan
            continue
        diff = x - y
        if abs(diff) <= bound and abs(diff) <= tie * max(_scale(left, x, y, abs_close[i]),
                                                         _scale(right, x, y, abs_close[i])):
            diff = 0.0
        if prev <= 0.0 < diff:  # comparisons with a NaN prev (unknown) are false
            above[ups] = i
            ups += 1
        elif prev >= 0.0 > diff:
            below[downs] = i
            downs += 1
        prev = diff
    return ups, downs


def _tie_bound(codes: list[int], candles: Candles) -> float:
    """An upper bound of the cross's tie tolerance over all bars: 1e-10 of the largest |close| (price scale) or of
    100 (oscillators); none (inf) when an operand is scaled by its own values or a close is not a number."""
    scales = []
    for code in codes:
        if code == 1:
            scales.append(candles.max_abs_close)
        elif code == 2:
            scales.append(100.0)
        else:
            return np.inf
    bound = TIE * max(scales) * (1.0 + 1e-9)
    return bound if np.isfinite(bound) else np.inf


def _sequence(first: Truth, then: Truth, within: int) -> Truth:
    """``then`` now AND (``first`` on one of the ``within`` bars before): true when one of them was true, false when
    all of them were false (bars before the first one are unknown)."""
    size = len(first[0])

    def window_count(flags: np.ndarray) -> np.ndarray:  # how many of bars i-within .. i-1 are flagged
        held = np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))
        upto = np.arange(size)
        return held[upto] - held[np.maximum(upto - within, 0)]

    happened = window_count(first[0]) > 0
    never = (window_count(first[1]) == within) & (np.arange(size) >= within)
    return _all([then, (happened, never & ~happened)])


def _compare(a: np.ndarray, op: str, b: np.ndarray) -> Truth:
    known = ~np.isnan(a) & ~np.isnan(b)
    with np.errstate(invalid="ignore"):
        result = COMPARISONS[op](a, b)
    return known & result, known & ~result


def _all(children: list[Truth]) -> Truth:
    false = np.logical_or.reduce([f for _, f in children])
    true = np.logical_and.reduce([t for t, _ in children])
    return true & ~false, false


def _any(children: list[Truth]) -> Truth:
    true = np.logical_or.reduce([t for t, _ in children])
    false = np.logical_and.reduce([f for _, f in children])
    return true, false & ~true


def rule_arrays(spec: StrategySpec, candles: Candles, cache: IndicatorCache) -> dict[str, np.ndarray]:
    """Rule name -> bars where it fires (all False for rules the spec does not set)."""
    evaluator = _Evaluator(spec, candles, cache)
    out = {}
    for name in RULE_NAMES:
        condition = getattr(spec, name)
        out[name] = evaluator.fires(condition) if condition is not None else np.zeros(len(candles), dtype=bool)
    return out


def rule_bars(spec: StrategySpec, candles: Candles, cache: IndicatorCache) -> dict[str, np.ndarray]:
    """Rule name -> the bars where it fires, ascending (empty for rules the spec does not set)."""
    evaluator = _Evaluator(spec, candles, cache)
    out = {}
    for name in RULE_NAMES:
        condition = getattr(spec, name)
        out[name] = evaluator.fires_at(condition) if condition is not None else np.zeros(0, dtype=np.int64)
    return out


def entry_filter(spec: StrategySpec, candles: Candles) -> np.ndarray:
    """Bars whose open time the spec's sessions and weekdays allow entries on."""
    filters = spec.filters
    allowed = np.ones(len(candles), dtype=bool)
    days = np.floor_divide(candles.time, 86_400)
    if filters.weekdays:
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0 as datetime.weekday()
        allowed &= np.isin(weekday, [WEEKDAYS.index(d) for d in filters.weekdays])
    if filters.sessions:
        minute = (candles.time - days * 86_400) // 60
        inside = np.zeros(len(candles), dtype=bool)
        for session in filters.sessions:
            start, end = session.minutes()
            inside |= ((minute >= start) & (minute < end)) if start < end else ((minute >= start) | (minute < end))
        allowed &= inside
    return allowed
