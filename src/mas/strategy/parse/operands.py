"""Operands: the values a condition compares (numbers, prices, indicators and their lines, N-bar extremes,
pronouns and named indicators), each registered as a spec indicator when it is one."""

from __future__ import annotations

from typing import Any

from mas.i18n.errors import Text
from mas.strategy.parse.cursor import Cursor, Operand, number_text
from mas.strategy.parse.lexer import Token
from mas.strategy.spec import INDICATOR_OUTPUTS

_DEFAULT_PARAMS = {"rsi": [14], "macd": [12, 26, 9], "bbands": [20, 2], "kd": [9, 3, 3], "stoch": [14, 3, 3],
                   "atr": [14], "adx": [14], "cci": [14], "willr": [14]}
_PARAM_NAMES = {"sma": ["period"], "ema": ["period"], "wma": ["period"], "rsi": ["period"],
                "macd": ["fast", "slow", "signal"], "bbands": ["period", "nbdev"],
                "kd": ["period", "k_smooth", "d_smooth"], "stoch": ["fastk", "slowk", "slowd"], "atr": ["period"],
                "adx": ["period"], "cci": ["period"], "willr": ["period"]}
_OUTPUT_OWNERS = {"signal": ("macd",), "line": ("macd",), "hist": ("macd",), "upper": ("bbands",),
                  "lower": ("bbands",), "middle": ("bbands",), "k": ("kd", "stoch"), "d": ("kd", "stoch")}
_NAMES = {"sma": "SMA", "ema": "EMA", "wma": "WMA", "rsi": "RSI", "macd": "MACD", "bbands": "Bollinger Bands",
          "kd": "KD", "stoch": "Stochastic", "atr": "ATR", "adx": "ADX", "cci": "CCI", "willr": "Williams %R"}


class OperandReader(Cursor):
    """Reads one operand at the cursor."""

    def operand(self, required: bool = False) -> Operand | None:
        """A value, with arithmetic on it: '1.5 x SMA(volume, 20)', 'SMA(20) + 2 x ATR(14)', '20日均量的1.5倍'."""
        start = self.skip()
        times = self._multiplier()
        first = self._single(required or times is not None)
        if first is None:
            return None
        times = self._postfix_multiplier(times)
        terms = [(1.0 if times is None else times, first)]
        plus = 0.0
        while first.kind != "const":
            sign = self._arith_sign()
            if sign is None:
                break
            times = self._multiplier()
            value = self._single(True)
            assert value is not None
            if value.kind == "const" and times is None:
                plus += sign * float(value.ref)  # type: ignore[arg-type]
                continue
            times = self._postfix_multiplier(times)
            terms.append((sign * (1.0 if times is None else times), value))
        if len(terms) == 1 and terms[0][0] == 1.0 and not plus:
            return first
        for _, value in terms:
            if value.kind in ("const", "expr"):
                raise self.fail(Text("parse_arithmetic_terms"), self.tokens[self.pos - 1],
                                start=start.start if start is not None else None)
        ref = {"terms": [{"operand": value.ref, "times": times} for times, value in terms], "plus": plus}
        return Operand(ref, "expr")

    def _multiplier(self) -> float | None:
        """'1.5 x', '1.5 times', '1.5倍' in front of a value."""
        save = self.pos
        token, after = self.skip(), self.peek(1)
        if token is not None and token.kind == "NUM" and after is not None and after.kind == "TIMES":
            self.pos += 2
            return float(token.value)  # type: ignore[arg-type]
        if token is not None and token.kind == "MULT":  # "twice the average volume"
            self.pos += 1
            return float(token.value)  # type: ignore[arg-type]
        self.pos = save
        return None

    def _postfix_multiplier(self, times: float | None) -> float | None:
        """'... times 1.5', '...的1.5倍' after a value."""
        save = self.pos
        token = self.skip()
        if token is not None and token.kind == "FILLER" and token.text == "的":
            self.pos += 1
            token = self.peek()
        after = self.peek(1)
        if times is None and token is not None and token.kind == "NUM" and after is not None and after.kind == "TIMES":
            self.pos += 2
            return float(token.value)  # type: ignore[arg-type]
        if times is None and token is not None and token.kind == "TIMES" and after is not None and after.kind == "NUM":
            self.pos += 2
            return float(after.value)  # type: ignore[arg-type]
        self.pos = save
        return times

    def _arith_sign(self) -> float | None:
        """+1 / -1 for '+', 'plus', '加', '-', 'minus', '減' between two values ('plus' and '-' only before a number
        or a value: 'and' and a range read otherwise)."""
        save = self.pos
        token, after = self.skip(), self.peek(1)
        self.pos = save
        if token is None or after is None:
            return None
        self.skip()
        value_next = after.kind in ("NUM", "IND", "PRICE", "OUTPUT", "HIGHEST", "LOWEST")
        if token.kind == "ARITH" and value_next:
            self.pos += 1
            return 1.0 if token.value == "+" else -1.0
        times_next = after.kind == "NUM" and (self.peek(2) or after).kind == "TIMES"
        if token.kind == "CONJ" and token.text.lower() in ("plus", "加上") and times_next:
            self.pos += 1
            return 1.0
        if token.kind == "RANGE" and token.text == "-" and value_next:
            self.pos += 1
            return -1.0
        self.pos = save
        return None

    def _single(self, required: bool = False) -> Operand | None:
        start = self.skip()
        back = 1 if self.next_kind("PREV") is not None else 0
        token = self.skip()
        result = self._operand(token) if token is not None else None
        if result is None:
            if required or back:
                raise self.fail(Text("parse_expected_value"), token or start)
            return None
        if back:
            if isinstance(result.ref, float):
                raise self.fail(Text("parse_previous_needs"), token)
            result = Operand(f"{result.ref}[1]", result.kind, result.period, result.output, result.indicator)
        return result

    def _operand(self, token: Token) -> Operand | None:
        kind = token.kind
        if kind == "NUM":
            return self._number_operand(token)
        if kind == "ZERO":
            self.pos += 1
            return Operand(0.0, "const")
        if kind == "IND":
            self.pos += 1
            return self._indicator_operand(str(token.value), token, self._params(token))
        if kind == "OUTPUT":
            self.pos += 1
            return self._output_operand(str(token.value), token)
        if kind == "PRICE" or (kind == "ACTION" and token.text.lower() == "close"):
            self.pos += 1
            value = str(token.value) if kind == "PRICE" else "close"
            again = self.peek()
            if again is not None and again.kind == "PRICE" and again.value == value:  # "價格收在"
                self.pos += 1
            return Operand(value, "price")
        if kind == "NAME":
            return self._named_operand(token)
        if kind in ("HIGHEST", "LOWEST"):
            self.pos += 1
            source = self.next_kind("PRICE")
            self.next_kind("PREV")  # "the highest high of the previous 20 bars"
            number = self.next_kind("NUM")
            if number is None:
                raise self.fail(Text("parse_extreme_how_many_bars", word=token.text), token)
            self.next_kind("UNIT")
            return self._extreme(kind.lower(), self.whole(number, Text("parse_what_period")), source)
        if kind == "PRONOUN":
            self.pos += 1
            last = self.last_subject
            if last is not None and last is self.subject and not self._in_subject:
                # "the close is above it": it is what was named before the close, else the last object
                others = [o for o in (self.previous_subject, self.last_object) if o is not None and o.ref != last.ref]
                last = others[0] if others else None
            if last is None:
                raise self.fail(Text("parse_pronoun_what", word=token.text), token)
            return Operand(last.ref, last.kind, last.period, last.output, last.indicator, from_pronoun=True)
        return None

    def _number_operand(self, token: Token) -> Operand:
        """A constant, or a period in front of what it measures: '20 SMA', '20-day high', '20日均線', '5日線'."""
        j = self.pos + 1
        unit = self.tokens[j] if j < len(self.tokens) else None
        if unit is not None and unit.kind == "UNIT" and unit.value in ("day", "bars"):
            j += 1
            if j < len(self.tokens) and self.tokens[j].kind == "FILLER" and self.tokens[j].text == "的":
                j += 1  # "20根K棒的最高價"
        target = self.tokens[j] if j < len(self.tokens) else None
        if target is not None:
            period = float(token.value)  # type: ignore[arg-type]
            if target.kind == "IND" and str(target.value) in _PARAM_NAMES | {"avg": 0, "avg_volume": 0}:
                self.pos = j + 1
                params = [period, *self._params(target)[1:]] if self._has_params() else [period]
                return self._indicator_operand(str(target.value), target, params)
            if target.kind in ("HIGHEST", "LOWEST") or (
                    target.kind == "PRICE" and target.value in ("high", "low") and j > self.pos + 1):
                self.pos = j + 1
                name = target.kind.lower() if target.kind != "PRICE" else (
                    "highest" if target.value == "high" else "lowest")
                return self._extreme(name, self.whole(token, Text("parse_what_period")), None)
            if target.kind == "TIMEFRAME" and target.text.endswith(("日線", "日线")) and j == self.pos + 1:
                self.pos = j + 1
                return self._indicator_operand("sma", target, [period])
        self.pos += 1
        self.next_kind("UNIT") if self._percent_next() else None
        return Operand(float(token.value), "const")  # type: ignore[arg-type]

    def _percent_next(self) -> bool:
        token = self.peek()
        return token is not None and token.kind == "UNIT" and token.value == "percent"

    def _has_params(self) -> bool:
        token = self.peek()
        return token is not None and token.kind == "LPAR"

    def _params(self, head: Token) -> list[float]:
        """'(12, 26, 9)' or a number right after the name ('RSI 14'); [] when none."""
        token = self.peek()
        keyword = self._param_keyword()
        if keyword is not None:
            number = self.next_kind("NUM")
            if number is None:
                raise self.fail(Text("parse_expected_number", word=f"{head.text} {keyword.text}"),
                                self.peek() or keyword)
            return [float(number.value)]  # type: ignore[arg-type]
        if token is not None and token.kind == "LPAR":
            self.pos += 1
            values = []
            source = self.next_kind("PRICE")
            if source is not None:  # "SMA(volume, 20)"
                self.param_source = str(source.value)
                self.next_kind("PCOMMA")
            while True:
                self._param_keyword()  # "(period 14)"
                number = self.next_kind("NUM")
                if number is None:
                    raise self.fail(Text("parse_expected_numbers_in_parentheses", word=head.text), self.peek() or head)
                values.append(float(number.value))  # type: ignore[arg-type]
                if self.next_kind("PCOMMA") is None:
                    break
            if self.next_kind("RPAR") is None:
                raise self.fail(Text("parse_parenthesis_open", word=head.text), self.peek() or head)
            return values
        if token is not None and token.kind == "NUM" and token.start <= head.end + 1:
            after = self.peek(1)
            if after is None or after.kind not in ("CMP_POST", "BETWEEN_END", "RANGE", "UNIT", "TIMES"):
                self.pos += 1
                return [float(token.value)]  # type: ignore[arg-type]
        return []

    def _param_keyword(self) -> Token | None:
        """Consume 'with period', 'period', 'length', '週期為' (and a ':' or '=') when a number follows."""
        j = self.pos
        while j < len(self.tokens) and (self.tokens[j].kind == "FILLER" and self.tokens[j].text.lower() in (
                "with", "a") or self.tokens[j].text == ","):  # "fast EMA, period 21"
            j += 1
        if j >= len(self.tokens):
            return None
        token = self.tokens[j]
        is_keyword = token.kind == "PARAMKW" or (token.kind == "UNIT" and token.value == "bars" and token.text.lower()
                                                 in ("period", "periods", "週期", "周期"))
        k = j + 1
        while k < len(self.tokens) and self.tokens[k].kind == "FILLER" and self.tokens[k].text in (":", "=", "of"):
            k += 1
        if not is_keyword or k >= len(self.tokens) or self.tokens[k].kind != "NUM":
            return None
        self.pos = k
        return token

    def _named_operand(self, name: Token) -> Operand:
        """'fast EMA with period 21' declares the fast EMA; 'the fast EMA' then refers to it."""
        self.pos += 1
        head = self.skip()
        if head is None or head.kind != "IND" or str(head.value) not in _PARAM_NAMES:
            raise self.fail(Text("parse_named_what", word=name.text), head or name)
        self.pos += 1
        kind = str(head.value)
        key = (str(name.value), kind)
        params = self._params(head)
        if not params:
            if key not in self.named:
                raise self.fail(Text("parse_named_which_period", word=f"{name.text} {head.text}"), head,
                                start=name.start)
            return self._indicator_operand(kind, head, list(self.named[key]))  # type: ignore[arg-type]
        known = self.named.get(key)
        if known is not None and list(known) != params:  # type: ignore[call-overload]
            raise self.fail(Text("parse_named_two_settings", word=f"{name.text} {head.text}"), head, start=name.start)
        self.named[key] = params  # type: ignore[assignment]
        return self._indicator_operand(kind, head, params)

    def _indicator_operand(self, kind: str, token: Token, params: list[float]) -> Operand:
        source, self.param_source = self.param_source, None
        if source is not None:
            if kind not in ("sma", "ema", "wma") or not params:
                raise self.fail(Text("parse_price_field_only_averages", word=token.text), token)
            if source != "close":
                return self._average_of(kind, source, self.whole_value(params[0], token))
        if kind == "avg":
            subject = self.subject
            kind = "avg_volume" if subject is not None and subject.ref == "volume" else "sma"
        if kind == "avg_volume":
            if not params:
                raise self.fail(Text("parse_average_volume_bars", word=token.text), token)
            period = self.whole_value(params[0], token)
            ident = self._register(f"sma_volume_{period}", {"kind": "sma", "period": period, "source": "volume"})
            return Operand(ident, "sma_volume", period, indicator=ident)
        names = _PARAM_NAMES[kind]
        if not params and kind in self.explicit:  # a bare "RSI" after "RSI(2)": that RSI
            known = list(dict.fromkeys(self.explicit[kind]))
            if len(known) > 1:
                listed = Text.lines(known, Text("sep_and"))
                raise self.fail(Text("parse_which_indicator", word=token.text, name=_NAMES[kind], listed=listed),
                                token)
            params = [float(v) for v in self.indicators[known[0]].values() if isinstance(v, (int, float))]
        values = list(params) or list(_DEFAULT_PARAMS.get(kind, []))
        if not values:
            raise self.fail(Text("parse_which_period", word=token.text), token)
        if len(values) > len(names):
            raise self.fail(Text("parse_takes_numbers", word=token.text, count=len(names), names=", ".join(names)),
                            token)
        values += _DEFAULT_PARAMS.get(kind, [])[len(values):]
        if len(values) < len(names):
            raise self.fail(Text("parse_needs_params", word=token.text, names=", ".join(names)), token)
        settings: dict[str, Any] = {}
        for name, value in zip(names, values, strict=True):
            settings[name] = value if name == "nbdev" else self.whole_value(value, token)
        ident = "_".join([kind, *(number_text(v).replace(".", "_") for v in settings.values())])
        if params:
            if self.defaulted.get(kind, ident) != ident:
                raise self.fail(Text("parse_earlier_default", word=token.text, name=_NAMES[kind],
                                     ident=self.defaulted[kind]), token)
            self.explicit.setdefault(kind, []).append(ident)
        else:
            self.defaulted[kind] = ident
        self._register(ident, {"kind": kind, **settings})
        output = None
        save = self.pos
        following = self.skip()
        if following is not None and following.kind == "OUTPUT":
            if kind not in _OUTPUT_OWNERS[str(following.value)]:
                raise self.fail(Text("parse_no_such_line", word=following.text, name=_NAMES[kind]), following)
            self.pos += 1
            output = str(following.value)
        else:
            self.pos = save
            output = INDICATOR_OUTPUTS.get(kind, (None,))[0]  # explicit default line: MACD -> macd_12_26_9.line
        operand = Operand(ident if output is None else f"{ident}.{output}", kind, int(values[0]), output, ident)
        self.last_by_kind[kind] = operand
        return operand


    def _average_of(self, kind: str, source: str, period: int) -> Operand:
        """A moving average of another price field: 'SMA(volume, 20)' is the 20-bar average volume."""
        ident = self._register(f"{kind}_{source}_{period}", {"kind": kind, "period": period, "source": source})
        return Operand(ident, "sma_volume" if source == "volume" else kind, period, indicator=ident)

    def _output_operand(self, output: str, token: Token) -> Operand:
        owners = _OUTPUT_OWNERS[output]
        subject = self.subject
        if self._has_params():  # "the lower Bollinger band (20, 2)"
            kind = subject.kind if subject is not None and subject.kind in owners else owners[0]
            base = self._indicator_operand(kind, token, self._params(token))
        elif subject is not None and subject.kind in owners and subject.indicator is not None:
            base = subject
        else:
            candidates = [self.last_by_kind[k] for k in owners if k in self.last_by_kind]
            base = candidates[-1] if candidates else self._indicator_operand(owners[0], token, [])
        ident = base.indicator
        return Operand(f"{ident}.{output}", base.kind, base.period, output, ident)

    def _extreme(self, kind: str, period: int, source: Token | None) -> Operand:
        field = str(source.value) if source is not None else ("high" if kind == "highest" else "low")
        default = "high" if kind == "highest" else "low"
        ident = f"{kind}_{period}" if field == default else f"{kind}_{field}_{period}"
        self._register(ident, {"kind": kind, "period": period, **({} if field == default else {"source": field})})
        return Operand(f"{ident}[1]", kind, period, indicator=ident)

