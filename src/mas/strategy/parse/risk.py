"""Risk: stop loss, take profit and trailing stop distances (pips, points, %, ATR multiples), exit after N
bars, maximum open positions, lots and the percentage of equity at risk."""

from __future__ import annotations

from typing import Any

from mas.i18n.errors import Text
from mas.strategy.parse.cursor import END, number_text
from mas.strategy.parse.errors import AmbiguityError
from mas.strategy.parse.lexer import Token
from mas.strategy.parse.operands import OperandReader


class RiskReader(OperandReader):
    """Reads a risk item at the cursor."""

    def risk_item(self) -> bool:
        """Read a risk setting at the cursor (stop loss, take profit, size, ...); whether one was read."""
        token = self.peek()
        if token is None:
            return False
        if token.kind == "RISK":
            self.pos += 1
            self._risk(str(token.value), token)
            return True
        if token.kind != "NUM":
            return False
        after = self.peek(1)
        if after is None:
            return False
        if after.kind == "UNIT" and after.value == "lots":
            self.pos += 2
            self.risk["lots"] = float(token.value)  # type: ignore[arg-type]
            return True
        if after.kind == "UNIT" and after.value == "bars" and (self.peek(2) or after).kind == "HOLD_END":
            self.pos += 3
            self.risk["exit_after_bars"] = self.whole(token, Text("parse_what_bars"))
            return True
        j = self.pos + 1
        while j < len(self.tokens) and self.tokens[j].kind in ("UNIT", "TIMES", "IND", "FILLER") and j < self.pos + 4:
            if self.tokens[j].kind == "IND" and self.tokens[j].value != "atr":
                return False
            j += 1
        if j < len(self.tokens) and j > self.pos + 1 and self.tokens[j].kind == "RISK" and \
                self.tokens[j].value in ("sl", "tp", "trail"):
            distance = self._distance(self.tokens[j])
            self.pos = j + 1
            self._set_distance(str(self.tokens[j].value), distance)
            return True
        return False

    def _risk(self, kind: str, token: Token) -> None:
        if kind in ("sl", "tp", "trail"):
            self._set_distance(kind, self._distance(token))
        elif kind == "hold":
            self.next_kind("FOR")
            number = self.next_kind("NUM")
            if number is None:
                raise self.fail(Text("parse_hold_how_many_bars", word=token.text), token)
            unit = self.next_kind("UNIT")
            if unit is None or unit.value != "bars":
                raise self.fail(Text("parse_hold_in_bars"), unit or number, start=number.start)
            self.next_kind("HOLD_END") or self.next_kind("ACTION")
            self.risk["exit_after_bars"] = self.whole(number, Text("parse_what_bars"))
        elif kind == "max":
            self.next_kind("RISK")
            number = self.next_kind("NUM")
            unit = self.next_kind("UNIT")
            if number is None or unit is None or unit.value != "positions":
                raise self.fail(Text("parse_max_of_what", word=token.text), token)
            self.risk["max_open_positions"] = self.whole(number, Text("parse_what_positions"))
        elif kind == "risk":
            percent = self._percent()
            if percent is None:
                raise self.fail(Text("parse_risk_how_much", word=token.text), token)
            self.risk["risk_percent"] = percent
            save = self.pos
            stop = self.next_kind("RISK")  # "... at the stop loss": how the size is found, not a distance
            if stop is None or stop.value != "sl" or (self.peek() or END).kind not in ("SEP", "END"):
                self.pos = save
        else:  # lots
            number = self.next_kind("NUM")
            if number is None:
                raise self.fail(Text("parse_how_many_lots", word=token.text), token)
            unit = self.next_kind("UNIT")
            if unit is not None and unit.value != "lots":
                raise self.fail(Text("parse_size_in_lots", word=f"{token.text} {number.text} {unit.text}"), unit,
                                start=token.start)
            self.risk["lots"] = float(number.value)  # type: ignore[arg-type]

    def _percent(self) -> float | None:
        if self.next_kind("PERCENT_OF") is not None:
            number = self.next_kind("NUM")
            return None if number is None else float(number.value)  # type: ignore[arg-type]
        number = self.next_kind("NUM")
        unit = self.next_kind("UNIT")
        if number is None or unit is None or unit.value != "percent":
            return None
        return float(number.value)  # type: ignore[arg-type]

    def _distance(self, head: Token) -> dict[str, Any]:
        """'30 pips', '30 points', '1%', '百分之1', '2 x ATR', '2 ATR(20)', 'ATR x 2'."""
        self.next_kind("CMP")  # "stop loss at / of / = ..." reads the same
        if self.next_kind("PERCENT_OF") is not None:
            number = self.next_kind("NUM")
            if number is not None:
                return {"unit": "percent", "value": float(number.value)}  # type: ignore[arg-type]
        atr = self.next_kind("IND")
        if atr is not None:
            if atr.value != "atr":
                raise self.fail(Text("parse_distance_units", word=atr.text), atr)
            params = self._params(atr)
            self.next_kind("TIMES")
            number = self.next_kind("NUM")
            self.next_kind("TIMES")
            value = float(number.value) if number is not None else 1.0  # type: ignore[arg-type]
            return _atr_distance(value, params, self, atr)
        number = self.next_kind("NUM")
        if number is None:
            raise self.fail(Text("parse_how_far", word=head.text), self.peek() or head)
        value = float(number.value)  # type: ignore[arg-type]
        times = self.next_kind("TIMES")
        unit = self.next_kind("UNIT", "IND")
        if unit is not None and unit.kind == "IND" and unit.value == "atr":
            return _atr_distance(value, self._params(unit), self, unit)
        if unit is not None and unit.kind == "UNIT" and unit.value in ("pips", "points", "percent") and times is None:
            return {"unit": str(unit.value), "value": value}
        if unit is not None:
            raise self.fail(Text("parse_distance_units", word=unit.text), unit)
        n = number_text(value)
        raise AmbiguityError(Text("parse_distance_what", word=f"{head.text} {number.text}", n=n),
                             [f"{n} pips", f"{n} points", Text("parse_reading_percent_of_price", n=n)],
                             self.text[head.start:number.end], head.start, number.end)

    def _set_distance(self, kind: str, distance: dict[str, Any]) -> None:
        field = {"sl": "stop_loss", "tp": "take_profit", "trail": "trailing_stop"}[kind]
        self.risk[field] = distance


def _atr_distance(value: float, params: list[float], reader: OperandReader, token: Token) -> dict[str, Any]:
    """A distance of ``value`` ATRs (the ATR period from ``params``, else 14)."""
    period = reader.whole_value(params[0], token) if params else 14
    return {"unit": "atr", "value": value, "atr_period": period}
