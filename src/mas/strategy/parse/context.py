"""Context: the symbol, timeframe, trading sessions and weekdays a text names."""

from __future__ import annotations

from mas.i18n.errors import Text
from mas.strategy.parse.cursor import Cursor
from mas.strategy.parse.lexer import Token
from mas.strategy.spec import WEEKDAYS

_TF_UNITS = {"minute": "M", "hour": "H", "day": "D", "week": "W"}


class ContextReader(Cursor):
    """Reads a context item at the cursor."""

    def context(self) -> bool:
        """Read a symbol, a timeframe or another run setting at the cursor; whether one was read."""
        token = self.peek()
        if token is None:
            return False
        kind = token.kind
        if kind == "SYMBOL":
            self.pos += 1
            self._set("symbol", str(token.value), token)
        elif kind == "CUR":
            self.pos += 1
            self.next_kind("PAIRSEP")
            quote = self.next_kind("CUR")
            if quote is None:
                raise self.fail(Text("parse_against_currency", word=token.text), token)
            self._set("symbol", f"{token.value}{quote.value}", token)
        elif kind == "TIMEFRAME":
            self.pos += 1
            self._set("timeframe", str(token.value), token)
        elif kind == "NUM" and self._timeframe_at(self.pos) is not None:
            timeframe = self._timeframe_at(self.pos)
            self.pos += 2
            self._set("timeframe", timeframe, token)
        elif kind == "SESSION":
            self.pos += 1
            self.sessions.append({"name": str(token.value)})
        elif kind == "TIME" or (kind == "BETWEEN" and (self.peek(1) or token).kind == "TIME"):
            self.pos += 1 if kind == "BETWEEN" else 0
            self._time_window()
        elif kind == "TZ" and (self.peek(1) or token).kind in ("TIME", "BETWEEN"):  # "UTC 08:00-17:00"
            self.pos += 1
        elif kind == "WEEKDAY":
            self.weekdays.extend(d for d in self._weekdays() if d not in self.weekdays)
        elif kind == "EXCEPT" and (self.peek(1) or token).kind == "WEEKDAY":
            self.pos += 1
            excluded = self._weekdays()
            base = self.weekdays or list(WEEKDAYS)
            self.weekdays = [d for d in base if d not in excluded]
        else:
            return False
        return True

    def _set(self, field: str, value: str, token: Token) -> None:
        current = getattr(self, field)
        if current is not None and current != value:
            raise self.fail(Text(f"parse_two_{field}s", current=current, value=value), token)
        setattr(self, field, value)

    def _timeframe_at(self, i: int) -> str | None:
        """'4 hour', '15-minute', '1 day' at token ``i`` when not a period ('20-day SMA')."""
        if i + 1 >= len(self.tokens):
            return None
        number, unit = self.tokens[i], self.tokens[i + 1]
        if unit.kind == "TIMEFRAME" and unit.value == "H1" and unit.text[:1] in "小時时":  # "4小時圖"
            name = f"H{float(number.value):g}"  # type: ignore[arg-type]
            return name if name in ("H1", "H2", "H3", "H4", "H6", "H8", "H12") else None
        if unit.kind != "UNIT" or unit.value not in _TF_UNITS:
            return None
        after = self.tokens[i + 2] if i + 2 < len(self.tokens) else None
        if unit.value == "day" and after is not None and after.kind in ("IND", "HIGHEST", "LOWEST", "PRICE",
                                                                         "INAROW", "HOLD_END"):
            return None
        before = self.tokens[i - 1] if i > 0 else None
        if before is not None and before.kind in ("FOR", "RISK"):
            return None
        value = float(number.value)  # type: ignore[arg-type]
        name = f"{_TF_UNITS[str(unit.value)]}{value:g}"
        if name not in ("M1", "M2", "M3", "M4", "M5", "M6", "M10", "M12", "M15", "M20", "M30", "H1", "H2", "H3", "H4",
                        "H6", "H8", "H12", "D1", "W1"):
            raise self.fail(Text("parse_no_such_timeframe", word=f"{number.text}{unit.text}"), unit, start=number.start)
        return name

    def _time_window(self) -> None:
        start = self.next_kind("TIME")
        if start is None:
            return
        if self.next_kind("RANGE", "CONJ") is None and not self._consume_word("to"):
            raise self.fail(Text("parse_until_when", word=start.text), start)
        end = self.next_kind("TIME")
        if end is None:
            raise self.fail(Text("parse_until_when", word=start.text), start)
        self.next_kind("BETWEEN_END")  # "08:00到17:00之間"
        self.next_kind("TZ")  # "08:00-17:00 UTC": the bars' time zone (UTC for the bundled data)
        self.sessions.append({"start": str(start.value), "end": str(end.value)})

    def _weekdays(self) -> list[str]:
        days: list[str] = []
        while True:
            token = self.next_kind("WEEKDAY")
            if token is None:
                return days
            first = str(token.value)
            if first == "mon-fri":
                days.extend(WEEKDAYS[:5])
            elif self.next_kind("RANGE") is not None or self._consume_word("to"):
                last = self.next_kind("WEEKDAY")
                if last is None or last.value == "mon-fri":
                    raise self.fail(Text("parse_to_which_day", word=token.text), token)
                i, j = WEEKDAYS.index(first), WEEKDAYS.index(str(last.value))
                days.extend(WEEKDAYS[i: j + 1] if i <= j else WEEKDAYS[i:] + WEEKDAYS[: j + 1])
            else:
                days.append(first)
            save = self.pos
            if self.next_kind("CONJ") is None or (self.skip() or token).kind != "WEEKDAY":
                self.pos = save
                return days

    def _context_ahead(self) -> bool:
        """A timeframe ('4 hour', '15-minute') starts at the cursor."""
        token = self.peek()
        return token is not None and token.kind == "NUM" and self._timeframe_at(self.pos) is not None
