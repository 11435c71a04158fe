"""Risk: stop loss, take profit and trailing stop distances (pips, points, %, ATR multiples), exit after N
bars, maximum open positions, lots and the percentage of equity at risk."""

from __future__ import annotations

from typing import Any

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
            self.risk["exit_after_bars"] = self.whole(token, "a number of bars")
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
                raise self.fail(f'"{token.text}": how many bars? e.g. "exit after 10 bars"', token)
            unit = self.next_kind("UNIT")
            if unit is None or unit.value != "bars":
                raise self.fail('say it in bars, e.g. "exit after 10 bars"', unit or number, start=number.start)
            self.next_kind("HOLD_END") or self.next_kind("ACTION")
            self.risk["exit_after_bars"] = self.whole(number, "a number of bars")
        elif kind == "max":
            self.next_kind("RISK")
            number = self.next_kind("NUM")
            unit = self.next_kind("UNIT")
            if number is None or unit is None or unit.value != "positions":
                raise self.fail(f'"{token.text}": maximum of what? e.g. "max 2 open positions"', token)
            self.risk["max_open_positions"] = self.whole(number, "a number of positions")
        elif kind == "risk":
            percent = self._percent()
            if percent is None:
                raise self.fail(f'"{token.text}": how much? e.g. "risk 1% of equity per trade"', token)
            self.risk["risk_percent"] = percent
            save = self.pos
            stop = self.next_kind("RISK")  # "... at the stop loss": how the size is found, not a distance
            if stop is None or stop.value != "sl" or (self.peek() or END).kind not in ("SEP", "END"):
                self.pos = save
        else:  # lots
            number = self.next_kind("NUM")
            if number is None:
                raise self.fail(f'"{token.text}": how many lots? e.g. "0.5 lots"', token)
            unit = self.next_kind("UNIT")
            if unit is not None and unit.value != "lots":
                raise self.fail(f'"{token.text} {number.text} {unit.text}": give the size in lots (e.g. "0.5 lots"), '
                                'or '
                                'the risk per trade ("risk 1% per trade" with a stop loss)', unit, start=token.start)
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
                raise self.fail(f'"{atr.text}": distances are in pips, points, % or ATR', atr)
            params = self._params(atr)
            self.next_kind("TIMES")
            number = self.next_kind("NUM")
            self.next_kind("TIMES")
            value = float(number.value) if number is not None else 1.0  # type: ignore[arg-type]
            return _atr_distance(value, params, self, atr)
        number = self.next_kind("NUM")
        if number is None:
            raise self.fail(f'"{head.text}": how far? e.g. "30 pips", "1%" or "2 x ATR"', self.peek() or head)
        value = float(number.value)  # type: ignore[arg-type]
        times = self.next_kind("TIMES")
        unit = self.next_kind("UNIT", "IND")
        if unit is not None and unit.kind == "IND" and unit.value == "atr":
            return _atr_distance(value, self._params(unit), self, unit)
        if unit is not None and unit.kind == "UNIT" and unit.value in ("pips", "points", "percent") and times is None:
            return {"unit": str(unit.value), "value": value}
        if unit is not None:
            raise self.fail(f'"{unit.text}": distances are in pips, points, % or ATR', unit)
        n = number_text(value)
        raise AmbiguityError(f'"{head.text} {number.text}": {n} what?', [f"{n} pips", f"{n} points",
                                                                        f"{n}% of the price"],
                             self.text[head.start:number.end], head.start, number.end)

    def _set_distance(self, kind: str, distance: dict[str, Any]) -> None:
        field = {"sl": "stop_loss", "tp": "take_profit", "trail": "trailing_stop"}[kind]
        self.risk[field] = distance


def _atr_distance(value: float, params: list[float], reader: OperandReader, token: Token) -> dict[str, Any]:
    """A distance of ``value`` ATRs (the ATR period from ``params``, else 14)."""
    period = reader.whole_value(params[0], token) if params else 14
    return {"unit": "atr", "value": value, "atr_period": period}
