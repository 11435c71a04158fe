"""Runtime of a spec's indicators and conditions: one bar at a time, O(1) work per bar.

The rules' semantics live here: :data:`CONDITION_OPERANDS` lists every condition kind with the
fields holding its operands, and the nodes below define what each kind means bar by bar. The fast
path evaluates the same kinds over all bars at once (:mod:`mas.vector.signals`, from the same
table, :data:`TIE` and :data:`COMPARISONS`); ``tests/vector/test_one_rule.py`` holds the two equal
on every kind.

:class:`SignalBook` holds one symbol's streaming indicators (``mas.strategy.indicators``) and the
spec's rules as stateful condition nodes. ``step(bar)`` updates every indicator once, then every
node once (no short-circuit: crosses and counters need each bar), and returns which rules hold.

Crosses and rising / falling treat two values whose difference is within 1e-10 of their scale as equal, like the
hand-written built-ins: the scale is the bar's close for operands in price units (prices, moving
averages, bands, MACD, ATR, highest/lowest of a price), 100 for oscillators and the operands'
own size otherwise (a sum: its first term's). Comparisons are exact.
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Callable
from typing import Any

from mas.strategy import indicators as ind
from mas.strategy.spec import (
    INDICATOR_OUTPUTS,
    OSCILLATORS,
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

__all__ = ["COMPARISONS", "CONDITION_OPERANDS", "RULE_NAMES", "TIE", "SignalBook", "all_of", "any_of", "compare",
           "indicator_updater", "operand_scale", "operands_of", "sum_of"]

RULE_NAMES = ("entry_long", "exit_long", "entry_short", "exit_short")
"""The spec's four rules, in the order :meth:`SignalBook.step` returns them."""
CONDITION_OPERANDS: dict[str, tuple[str, ...]] = {
    "compare": ("left", "right"),
    "crosses_above": ("left", "right"),
    "crosses_below": ("left", "right"),
    "between": ("value", "low", "high"),
    "rising": ("value",),
    "falling": ("value",),
    "for_bars": (),
    "sequence": (),
    "all": (),
    "any": (),
    "not": (),
}
"""Every condition kind of the spec and the fields holding its operands (the others hold conditions)."""
TIE = 1e-10
"""Crosses and rising / falling: a difference within this share of its scale is no difference."""
COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {"<": operator.lt, "<=": operator.le, ">": operator.gt,
                                                      ">=": operator.ge}
"""A comparison's operator (on floats, or elementwise on arrays)."""
_PRICE_UNIT_KINDS = frozenset({"sma", "ema", "wma", "bbands", "highest", "lowest", "macd"})
_OUTPUT_FIELDS = {"line": "macd", "signal": "signal", "hist": "hist", "upper": "upper", "middle": "middle",
                  "lower": "lower", "k": "k", "d": "d"}

Reader = Callable[[], "float | None"]
Bar = dict[str, Any]


def indicator_updater(spec_indicator: Any) -> tuple[Any, Callable[[Bar], object]]:
    """(streaming indicator, function feeding it one bar) for an indicator of the spec."""
    kind = spec_indicator.kind
    if kind in ("sma", "ema", "wma", "rsi"):
        cls = {"sma": ind.SMA, "ema": ind.EMA, "wma": ind.WMA, "rsi": ind.RSI}[kind]
        obj, field = cls(spec_indicator.period), spec_indicator.source
        return obj, lambda bar: obj.update(bar[field])
    if kind == "macd":
        obj, field = ind.MACD(spec_indicator.fast, spec_indicator.slow, spec_indicator.signal), spec_indicator.source
        return obj, lambda bar: obj.update(bar[field])
    if kind == "bbands":
        obj, field = ind.BollingerBands(spec_indicator.period, spec_indicator.nbdev), spec_indicator.source
        return obj, lambda bar: obj.update(bar[field])
    if kind in ("highest", "lowest"):
        obj = (ind.Highest if kind == "highest" else ind.Lowest)(spec_indicator.period)
        field = spec_indicator.field
        return obj, lambda bar: obj.update(bar[field])
    if kind == "kd":
        obj = ind.KD(spec_indicator.period, spec_indicator.k_smooth, spec_indicator.d_smooth)
    elif kind == "stoch":
        obj = ind.Stochastic(spec_indicator.fastk, spec_indicator.slowk, spec_indicator.slowd)
    else:
        obj = {"atr": ind.ATR, "adx": ind.ADX, "cci": ind.CCI, "willr": ind.WilliamsR}[kind](spec_indicator.period)
    return obj, lambda bar: obj.update(bar["high"], bar["low"], bar["close"])


def operand_scale(operand: float | str | Sum, indicators: dict[str, Any]) -> str:
    """'price' (scale: the close), 'oscillator' (scale: 100) or 'raw' (scale: the values' size); a sum has its
    first term's."""
    if isinstance(operand, (int, float)):
        return "raw"
    if isinstance(operand, Sum):
        return operand_scale(operand.terms[0].operand, indicators)
    name, _, _ = parse_operand(operand)
    spec_indicator = indicators.get(name)
    if spec_indicator is None:
        return "raw" if name == "volume" else "price"
    if spec_indicator.kind in OSCILLATORS:
        return "oscillator"
    source = getattr(spec_indicator, "field", None) or getattr(spec_indicator, "source", "close")
    if spec_indicator.kind == "atr" or (spec_indicator.kind in _PRICE_UNIT_KINDS and source != "volume"):
        return "price"
    return "raw"


def sum_of(values: list[Any], operand: Sum) -> Any:
    """The value of a sum operand from its terms' values (floats or arrays): ``times`` × each, added in order, then
    ``plus``; the one arithmetic both paths run, so the floats are the same."""
    total = operand.terms[0].times * values[0]
    for term, value in zip(operand.terms[1:], values[1:], strict=True):
        total = total + term.times * value
    return total + operand.plus


def operands_of(condition: Any) -> list[float | str | Sum]:
    """The operands of ``condition``, in :data:`CONDITION_OPERANDS`' order."""
    return [getattr(condition, field) for field in CONDITION_OPERANDS[condition.kind]]


def _value_reader(obj: Any, output: str | None) -> Reader:
    if output is None:
        return lambda: obj.value
    attribute = _OUTPUT_FIELDS[output]

    def read() -> float | None:
        value = obj.value
        return None if value is None else getattr(value, attribute)

    return read


class SignalBook:
    """One symbol's indicators and rule conditions; ``step(bar)`` -> which rules hold on that bar."""

    def __init__(self, spec: StrategySpec) -> None:
        self.bar: Bar = {}
        self._indicators: dict[str, Any] = {}
        self._kinds = {i.id: i for i in spec.indicators}
        self._updaters: list[Callable[[Bar], object]] = []
        for spec_indicator in spec.indicators:
            obj, update = indicator_updater(spec_indicator)
            self._indicators[spec_indicator.id] = obj
            self._updaters.append(update)
        self._histories: list[tuple[deque, Reader]] = []
        self._readers: dict[str, Reader] = {}
        self._nodes: list[Any] = []  # every node, children before parents
        self._rules = [self._node(rule) if rule is not None else None for rule in
                       (getattr(spec, name) for name in RULE_NAMES)]

    def indicator(self, ident: str) -> Any:
        """The streaming indicator behind id ``ident``."""
        return self._indicators[ident]

    def step(self, bar: Bar) -> tuple[bool, bool, bool, bool]:
        """Feed one completed bar; (entry_long, exit_long, entry_short, exit_short)."""
        self.bar = bar
        for update in self._updaters:
            update(bar)
        for history, read in self._histories:
            history.append(read())
        for node in self._nodes:
            node.step()
        return tuple(rule is not None and rule.value is True for rule in self._rules)  # type: ignore[return-value]

    # ------------------------------------------------------------------ operands
    def _reader(self, operand: float | str | Sum) -> Reader:
        if isinstance(operand, (int, float)):
            constant = float(operand)
            return lambda: constant
        if operand in self._readers:
            return self._readers[operand]
        if isinstance(operand, Sum):
            terms = [self._reader(term.operand) for term in operand.terms]

            def total() -> float | None:
                values = [read() for read in terms]
                return None if None in values else sum_of(values, operand)

            self._readers[operand] = total  # type: ignore[index]
            return total
        name, output, back = parse_operand(operand)
        if name in self._indicators:
            output = output or INDICATOR_OUTPUTS.get(self._kinds[name].kind, (None,))[0]
            current = _value_reader(self._indicators[name], output)
        else:
            current = self._price_reader(name)
        reader = current
        if back:
            history: deque = deque([None] * (back + 1), maxlen=back + 1)
            self._histories.append((history, current))
            reader = lambda: history[0]  # noqa: E731 - the value ``back`` bars ago
        self._readers[operand] = reader
        return reader

    def _price_reader(self, field: str) -> Reader:
        return lambda: self.bar[field]

    def _scale(self, operand: float | str) -> Callable[[float, float], float]:
        """How big a difference between ``operand`` and another line is noise (see the module doc)."""
        category = operand_scale(operand, self._kinds)
        if category == "price":
            return lambda a, b: abs(self.bar["close"])
        if category == "oscillator":
            return lambda a, b: 100.0
        return lambda a, b: max(abs(a), abs(b))

    # ------------------------------------------------------------------ nodes
    def _node(self, condition: Any) -> Any:
        readers = [self._reader(operand) for operand in operands_of(condition)]
        if isinstance(condition, Compare):
            node: Any = _CompareNode(readers[0], condition.op, readers[1])
        elif isinstance(condition, Cross):
            scale_left, scale_right = self._scale(condition.left), self._scale(condition.right)
            node = _CrossNode(*readers, lambda a, b: max(scale_left(a, b), scale_right(a, b)),
                              condition.kind == "crosses_above")
        elif isinstance(condition, Between):
            node = _BetweenNode(*readers)
        elif isinstance(condition, Trend):
            node = _TrendNode(readers[0], condition.bars, condition.kind == "rising", self._scale(condition.value))
        elif isinstance(condition, ForBars):
            node = _ForBarsNode(self._node(condition.condition), condition.bars)
        elif isinstance(condition, Sequence):
            node = _SequenceNode(self._node(condition.first), self._node(condition.then), condition.within)
        elif isinstance(condition, (AllOf, AnyOf)):
            node = _GroupNode([self._node(c) for c in condition.conditions], isinstance(condition, AllOf))
        elif isinstance(condition, Not):
            node = _NotNode(self._node(condition.condition))
        else:  # pragma: no cover - the spec's union is closed
            raise TypeError(f"unknown condition {condition!r}")
        self._nodes.append(node)
        return node


class _CompareNode:
    """Every node's ``value`` is True, False or None (unknown: an operand is warming up); groups
    and ``not`` follow three-valued (Kleene) logic, and a rule fires only when it is True."""

    __slots__ = ("left", "right", "test", "value")

    def __init__(self, left: Reader, op: str, right: Reader) -> None:
        self.left, self.test, self.right = left, COMPARISONS[op], right
        self.value: bool | None = None

    def step(self) -> None:
        a, b = self.left(), self.right()
        self.value = None if a is None or b is None else self.test(a, b)


def compare(a: float | None, op: str, b: float | None) -> bool | None:
    """``a op b``, or None when either side is unknown."""
    if a is None or b is None:
        return None
    return COMPARISONS[op](a, b)


class _CrossNode:
    """Previous difference <= 0 and current > 0 (above), or previous >= 0 and current < 0 (below)."""

    __slots__ = ("left", "right", "scale", "above", "prev", "value")

    def __init__(self, left: Reader, right: Reader, scale: Callable[[float, float], float], above: bool) -> None:
        self.left, self.right, self.scale, self.above = left, right, scale, above
        self.prev: float | None = None
        self.value: bool | None = None

    def step(self) -> None:
        a, b = self.left(), self.right()
        if a is None or b is None:
            self.prev = self.value = None
            return
        diff = a - b
        if abs(diff) <= TIE * self.scale(a, b):
            diff = 0.0
        prev, self.prev = self.prev, diff
        if prev is None:
            self.value = None
        elif self.above:
            self.value = prev <= 0.0 < diff
        else:
            self.value = prev >= 0.0 > diff


class _BetweenNode:
    __slots__ = ("x", "low", "high", "value")

    def __init__(self, x: Reader, low: Reader, high: Reader) -> None:
        self.x, self.low, self.high = x, low, high
        self.value: bool | None = None

    def step(self) -> None:
        x = self.x()
        self.value = all_of(compare(self.low(), "<=", x), compare(x, "<=", self.high()))


class _TrendNode:
    """The value now against ``bars`` bars ago; a change within 1e-10 of its scale is no change."""

    __slots__ = ("x", "rising", "history", "scale", "value")

    def __init__(self, x: Reader, bars: int, rising: bool, scale: Callable[[float, float], float]) -> None:
        self.x, self.rising, self.scale = x, rising, scale
        self.history: deque = deque([None] * (bars + 1), maxlen=bars + 1)
        self.value: bool | None = None

    def step(self) -> None:
        now = self.x()
        self.history.append(now)
        then = self.history[0]
        if now is None or then is None:
            self.value = None
            return
        diff = now - then
        if abs(diff) <= TIE * self.scale(now, then):
            diff = 0.0
        self.value = diff > 0.0 if self.rising else diff < 0.0


class _ForBarsNode:
    __slots__ = ("child", "bars", "run", "value")

    def __init__(self, child: Any, bars: int) -> None:
        self.child, self.bars = child, bars
        self.run = 0
        self.value: bool | None = None

    def step(self) -> None:
        held = self.child.value
        self.run = self.run + 1 if held else 0
        self.value = True if self.run >= self.bars else (None if held is None else False)


class _SequenceNode:
    """``then`` now and ``first`` on one of the ``within`` bars before (three-valued: AND of ``then`` and the OR
    of ``first`` over those bars, the bars before the first one unknown); counts keep it O(1) a bar."""

    __slots__ = ("first", "then", "window", "trues", "unknowns", "value")

    def __init__(self, first: Any, then: Any, within: int) -> None:
        self.first, self.then = first, then
        self.window: deque = deque([None] * within)
        self.trues, self.unknowns = 0, within
        self.value: bool | None = None

    def step(self) -> None:
        happened = True if self.trues else (None if self.unknowns else False)
        self.value = all_of(self.then.value, happened)
        old, new = self.window.popleft(), self.first.value
        self.window.append(new)
        self.trues += (new is True) - (old is True)
        self.unknowns += (new is None) - (old is None)


class _GroupNode:
    __slots__ = ("children", "every", "value")

    def __init__(self, children: list[Any], every: bool) -> None:
        self.children, self.every = children, every
        self.value: bool | None = None

    def step(self) -> None:
        values = [child.value for child in self.children]
        self.value = all_of(*values) if self.every else any_of(*values)


class _NotNode:
    __slots__ = ("child", "value")

    def __init__(self, child: Any) -> None:
        self.child = child
        self.value: bool | None = None

    def step(self) -> None:
        value = self.child.value
        self.value = None if value is None else not value


def all_of(*values: bool | None) -> bool | None:
    """Three-valued AND: False if any is False, else None if any is unknown, else True."""
    if False in values:
        return False
    return None if None in values else True


def any_of(*values: bool | None) -> bool | None:
    """Three-valued OR: True if any is True, else None if any is unknown, else False."""
    if True in values:
        return True
    return None if None in values else False
