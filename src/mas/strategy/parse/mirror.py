"""Symmetric rules: "and the opposite for shorts", "vice versa", "反之亦然" make the short rules the long rules'
mirror image.

The mirror of a condition swaps directions (``<`` and ``>``, crosses above and below, rising and falling, the high
and the low, the upper and lower bands, the highest and lowest of N bars) and reflects oscillator levels about
their centre (RSI 30 -> 70, Williams %R -80 -> -20, CCI -100 -> 100, MACD 0.001 -> -0.001). Values without a
direction stay: volume and its averages, ATR and ADX ("volume > 1.5 x its average" holds for both sides), and in
a sum they widen the other way (SMA(20) + 2 x ATR(14) -> SMA(20) - 2 x ATR(14)). A level of a price itself
("close > 1.1000") has no mirror and is refused by name.
"""

from __future__ import annotations

from typing import Any

from mas.i18n.errors import Text
from mas.strategy.spec import parse_operand

__all__ = ["MirrorError", "mirror_condition"]

_CENTRES = {"rsi": 50.0, "kd": 50.0, "stoch": 50.0, "willr": -50.0, "cci": 0.0, "macd": 0.0}
"""Oscillators whose levels reflect about a centre."""
_UNDIRECTED = frozenset({"atr", "adx"})
_OPS = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_KINDS = {"crosses_above": "crosses_below", "crosses_below": "crosses_above", "rising": "falling",
          "falling": "rising"}
_FIELDS = {"high": "low", "low": "high"}
_OUTPUTS = {"upper": "lower", "lower": "upper"}


class MirrorError(ValueError):
    """A condition with no mirror image (the message says which part)."""


class _Mirror:
    def __init__(self, indicators: dict[str, dict[str, Any]]) -> None:
        self.indicators = indicators

    def kind_of(self, operand: Any) -> str:
        """'const', 'price', 'undirected' or an indicator kind."""
        if isinstance(operand, (int, float)):
            return "const"
        if isinstance(operand, dict):
            return self.kind_of(operand["terms"][0]["operand"])
        name, _, _ = parse_operand(operand)
        settings = self.indicators.get(name)
        if settings is None:
            return "undirected" if name == "volume" else "price"
        if settings["kind"] in _UNDIRECTED or settings.get("source") == "volume":
            return "undirected"
        return str(settings["kind"])

    def operand(self, operand: Any, other: Any) -> Any:
        """The mirror of ``operand`` (``other``: the value it is compared with, which places a number)."""
        if isinstance(operand, (int, float)):
            centre = _CENTRES.get(self.kind_of(other))
            if centre is None:
                raise MirrorError(Text("parse_mirror_no_opposite", level=f"{operand:g}"))
            return round(2 * centre - float(operand), 10)
        if isinstance(operand, dict):
            terms = []
            for term in operand["terms"]:
                if self.kind_of(term["operand"]) == "undirected":
                    terms.append({**term, "times": -term.get("times", 1.0)})
                else:
                    terms.append({**term, "operand": self.operand(term["operand"], other)})
            return {**operand, "terms": terms, "plus": -operand.get("plus", 0.0)}
        name, output, back = parse_operand(operand)
        settings = self.indicators.get(name)
        if settings is None:
            name = _FIELDS.get(name, name)
        elif settings["kind"] in ("highest", "lowest"):
            name = self._extreme(settings)
        output = _OUTPUTS.get(output, output) if output else output
        return name + (f".{output}" if output else "") + (f"[{back}]" if back else "")

    def _extreme(self, settings: dict[str, Any]) -> str:
        """The highest high of N bars <-> the lowest low of N bars (another source stays: highest close <-> lowest
        close), registered as an indicator when the text did not name it."""
        kind = "lowest" if settings["kind"] == "highest" else "highest"
        source = settings.get("source")
        if source in _FIELDS:
            source = _FIELDS[source]
        default = "high" if kind == "highest" else "low"
        field = source or default
        ident = f"{kind}_{settings['period']}" if field == default else f"{kind}_{field}_{settings['period']}"
        extra = {} if field == default else {"source": field}
        self.indicators.setdefault(ident, {"id": ident, "kind": kind, "period": settings["period"], **extra})
        return ident

    def condition(self, c: dict[str, Any]) -> dict[str, Any]:
        kind = c["kind"]
        if kind in ("all", "any"):
            return {**c, "conditions": [self.condition(child) for child in c["conditions"]]}
        if kind in ("not", "for_bars"):
            return {**c, "condition": self.condition(c["condition"])}
        if kind == "sequence":
            return {**c, "first": self.condition(c["first"]), "then": self.condition(c["then"])}
        if kind in ("rising", "falling"):
            if self.kind_of(c["value"]) == "undirected":
                return c
            return {**c, "kind": _KINDS[kind], "value": self.operand(c["value"], c["value"])}
        if kind == "between":
            if self.kind_of(c["value"]) == "undirected":
                return c
            low, high = (self.operand(c[x], c["value"]) for x in ("low", "high"))
            return {**c, "value": self.operand(c["value"], c["low"]), "low": high, "high": low}
        left, right = c["left"], c["right"]
        if self.kind_of(left) == "undirected" and self.kind_of(right) in ("undirected", "const"):
            return c  # "volume > 1.5 x its average", "ADX > 25": the same for both sides
        mirrored = {**c, "left": self.operand(left, right), "right": self.operand(right, left)}
        if kind == "compare":
            mirrored["op"] = _OPS[c["op"]]
        else:
            mirrored["kind"] = _KINDS[kind]
        return mirrored


def mirror_condition(condition: dict[str, Any], indicators: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The short side's condition for a long side's (a parsed condition dict); ``indicators`` (id -> settings) gets
    the mirrored N-bar extremes it needs. MirrorError for parts without a mirror image."""
    return _Mirror(indicators).condition(condition)
