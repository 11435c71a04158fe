"""Tokens -> a strategy spec: the deterministic grammar shared by English and Chinese.

A text is a sequence of items separated freely by punctuation:

- rules: ``ACTION [when] CONDITION`` (English order) or ``[when] CONDITION [時] ACTION`` (Chinese
  order). ``buy`` enters long; ``sell`` exits the long a buy opened (without any buy rule it is
  ambiguous); ``short`` opens shorts, ``cover`` exits them; ``close`` / ``exit`` / ``平倉`` exits
  the side(s) the text enters. A clause that starts with ``and`` / ``且`` continues the previous
  condition.
  ``take profit when ...`` / ``...時停利`` is an exit too.
- conditions: comparisons, crosses, golden / death crosses, oversold / overbought, rising /
  falling, between, ``for N bars``, ``not``, joined by ``and`` or ``or`` (both in one condition
  is ambiguous and refused with its two readings). A cross may name its direction after its
  object (``crosses X from below``) and take a level of its first line (``K crosses above D below
  20``, ``KD 在 20 以下黃金交叉``). ``falls below L and then rises back above L`` is the cross back
  above L; any other sequence is refused (a spec has none). ``the opposite cross`` is a side's
  entry cross reversed; ``the opposite signal`` the other side's entry.
- references: ``it`` / ``the indicator`` (the previous subject; as an object, what was named
  before the subject), ``fast EMA with period 21`` then ``the fast EMA``, a bare ``RSI`` after
  ``RSI(2)`` (a bare mention before the settings, or two different settings, is refused).
- risk: stop loss, take profit, trailing stop (pips, points, %, ATR multiples), exit after N bars,
  max positions, lots, % of equity at risk.
- context: symbol, timeframe, sessions, weekdays.

Everything must be read: an unknown word, a dangling condition or a rule without a condition is
a :class:`ParseError` quoting the words; nothing falls back to a default strategy. Indicators
that have standard settings (RSI 14, MACD 12/26/9, Bollinger 20/2, KD 9/3/3, Stochastic 14/3/3,
ATR/ADX/CCI/Williams %R 14) take them when the text gives none; moving averages need a period.
A condition that compares a value with itself is refused (it can only be a misreading).
An "N-bar high / low" is the highest high / lowest low of the N bars before the current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mas.strategy.parse.errors import AmbiguityError, ParseError
from mas.strategy.parse.lexer import Token
from mas.strategy.spec import INDICATOR_OUTPUTS, WEEKDAYS, SpecError, StrategySpec, spec_from_dict

__all__ = ["build_spec"]

_SKIP = frozenset({"FILLER", "CHART", "THEN"})
_STOP = frozenset({"SEP", "ACTION", "RISK", "TIMEFRAME", "SYMBOL", "SESSION", "WEEKDAY", "HOLD_END", "CUR", "TIME",
                   "EXCEPT"})
_DEFAULT_PARAMS = {"rsi": [14], "macd": [12, 26, 9], "bbands": [20, 2], "kd": [9, 3, 3], "stoch": [14, 3, 3],
                   "atr": [14], "adx": [14], "cci": [14], "willr": [14]}
_PARAM_NAMES = {"sma": ["period"], "ema": ["period"], "wma": ["period"], "rsi": ["period"],
                "macd": ["fast", "slow", "signal"], "bbands": ["period", "nbdev"],
                "kd": ["period", "k_smooth", "d_smooth"], "stoch": ["fastk", "slowk", "slowd"], "atr": ["period"],
                "adx": ["period"], "cci": ["period"], "willr": ["period"]}
_OUTPUT_OWNERS = {"signal": ("macd",), "line": ("macd",), "hist": ("macd",), "upper": ("bbands",),
                  "lower": ("bbands",), "middle": ("bbands",), "k": ("kd", "stoch"), "d": ("kd", "stoch")}
_LEVELS = {"rsi": (30, 70), "kd": (20, 80), "stoch": (20, 80), "willr": (-80, -20), "cci": (-100, 100)}
_MOVING_AVERAGES = frozenset({"sma", "ema", "wma"})
_TF_UNITS = {"minute": "M", "hour": "H", "day": "D", "week": "W"}
_NAMES = {"sma": "SMA", "ema": "EMA", "wma": "WMA", "rsi": "RSI", "macd": "MACD", "bbands": "Bollinger Bands",
          "kd": "KD", "stoch": "Stochastic", "atr": "ATR", "adx": "ADX", "cci": "CCI", "willr": "Williams %R"}


@dataclass
class _Operand:
    ref: str | float
    kind: str  # an indicator kind, "price" or "const"
    period: int | None = None
    output: str | None = None
    indicator: str | None = None
    from_pronoun: bool = False
    implicit: bool = False  # not in the text: "跌破下軌" (the price), "高於70時賣出" (the previous subject)


def _number_text(value: float) -> str:
    return f"{value:g}"


class _Grammar:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.pos = 0
        self.indicators: dict[str, dict[str, Any]] = {}
        self.rules: dict[str, list[dict]] = {"entry_long": [], "exit_long": [], "entry_short": [], "exit_short": []}
        self.sells: list[tuple[dict, Token]] = []
        self.exits: list[tuple[dict, Token]] = []
        self.risk: dict[str, Any] = {}
        self.sessions: list[dict[str, str]] = []
        self.weekdays: list[str] = []
        self.symbol: str | None = None
        self.timeframe: str | None = None
        self.last_subject: _Operand | None = None
        self.last_object: _Operand | None = None
        self.subject: _Operand | None = None
        self.previous_subject: _Operand | None = None
        self.last_by_kind: dict[str, _Operand] = {}
        self.last_rule: tuple[list[dict], int] | None = None
        self.last_cross: tuple[_Operand, _Operand | None] | None = None
        self._in_subject = False
        self.named: dict[tuple[str, str], _Operand] = {}  # ("fast", "ema") -> the fast EMA the text declared
        self.explicit: dict[str, list[str]] = {}  # kind -> ids given with settings, in order
        self.defaulted: dict[str, str] = {}  # kind -> id a bare mention was read as (standard settings)

    # ------------------------------------------------------------------ token helpers
    def peek(self, offset: int = 0) -> Token | None:
        i = self.pos + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def skip(self) -> Token | None:
        """Skip glue words; the next token (not consumed)."""
        while self.pos < len(self.tokens) and self.tokens[self.pos].kind in _SKIP:
            self.pos += 1
        return self.peek()

    def next_kind(self, *kinds: str) -> Token | None:
        """Consume and return the next token (after glue) when its kind is one of ``kinds``."""
        save = self.pos
        token = self.skip()
        if token is not None and token.kind in kinds:
            self.pos += 1
            return token
        self.pos = save
        return None

    def fail(self, message: str, token: Token | None = None, start: int | None = None) -> ParseError:
        if token is None:
            token = self.tokens[-1] if self.tokens else None
        if token is None:
            return ParseError(message)
        begin = token.start if start is None else start
        return ParseError(message, self.text[begin:token.end], begin, token.end)

    def _at_close_price(self, token: Token) -> bool:
        """'close' is the closing price when a comparison or cross follows it."""
        after = self.peek(1)
        return token.text.lower() == "close" and after is not None and after.kind in (
            "CMP", "CROSS", "TOUCH", "BETWEEN", "GCROSS", "STATE", "TREND", "NOT")

    # ------------------------------------------------------------------ items
    def parse(self) -> None:
        pending: tuple[dict, Token] | None = None
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if token.kind in _SKIP or token.kind == "SEP":
                self.pos += 1
            elif token.kind == "CONJ":
                self.pos += 1
                following = self.skip()
                if following is None or (following.kind in _STOP and not self._at_close_price(following)) or \
                        self._context_ahead():
                    continue
                condition = self.condition()
                if pending is not None:
                    pending = (_join(token.value, pending[0], condition), pending[1])
                elif self.last_rule is not None:
                    rule, index = self.last_rule
                    rule[index] = _join(token.value, rule[index], condition)
                else:
                    pending = (condition, token)
            elif token.kind == "RISK" and token.value in ("tp", "sl") and self._exit_on_condition(pending is not None):
                # "take profit when the close crosses above the middle band", "收盤價高於中軌時停利": an exit
                self.pos += 1
                action = Token("ACTION", "exit_any", token.start, token.end, token.text)
                if pending is not None:
                    self.add_rule(action, pending[0])
                    pending = None
                else:
                    self.pos += 1  # "when"
                    self.add_rule(action, self.condition())
            elif self.context() or self.risk_item():
                continue
            elif token.kind == "ACTION" and not self._at_close_price(token):
                self.pos += 1
                if pending is not None:
                    self.add_rule(token, pending[0])
                    pending = None
                    continue
                while self.skip() is not None and self.context():
                    pass
                following = self.skip()
                if following is None or (following.kind in _STOP and not self._at_close_price(following)):
                    raise self.fail(f'"{token.text}": when? No condition follows it', token)
                self.add_rule(token, self.condition())
            elif not self.declaration():
                condition = self.condition()
                pending = (condition, token) if pending is None else (_join("and", pending[0], condition), pending[1])
        if pending is not None:
            raise self.fail("a condition with no action: say what to do (buy, sell, short, cover, close)",
                            self.tokens[-1], start=pending[1].start)

    def _exit_on_condition(self, pending: bool) -> bool:
        """A take profit / stop loss that is a condition, not a distance: 'take profit when ...', '...時停利'."""
        after = self.peek(1)
        if pending:
            return after is None or after.kind in ("SEP", "ACTION")
        return after is not None and after.kind == "FILLER" and after.text.lower() in (
            "when", "whenever", "if", "once", "as soon as")

    def declaration(self) -> bool:
        """'Bollinger Bands(20, 2): buy when ...' names the indicator the rules then refer to."""
        token = self.peek()
        if token is None or token.kind not in ("IND", "NAME"):
            return False
        save = self.pos
        declared = self.operand()
        while self.next_kind("CONJ") is not None and self.skip() is not None and self.skip().kind in ("IND", "NAME"):
            self.operand()  # "fast EMA(21) and slow EMA(50)."
        after = self.peek()
        if (after is not None and after.text in (":", "：")) or (self.skip() or _END).kind in ("SEP", "END"):
            self.last_subject = declared  # "RSI(14): buy below 30"
            return True
        self.pos = save
        return False

    def add_rule(self, action: Token, condition: dict) -> None:
        kind = str(action.value)
        if kind == "sell":
            self.sells.append((condition, action))
            return
        if kind == "exit_any":
            self.exits.append((condition, action))
            return
        self.rules[kind].append(condition)
        self.last_rule = (self.rules[kind], len(self.rules[kind]) - 1)

    def _context_ahead(self) -> bool:
        token = self.peek()
        return token is not None and token.kind == "NUM" and self._timeframe_at(self.pos) is not None

    # ------------------------------------------------------------------ conditions
    def condition(self) -> dict:
        start = self.skip()
        terms = [self.term()]
        joins: list[str] = []
        while True:
            save = self.pos
            token = self.next_kind("CONJ")
            if token is None:
                break
            following = self.skip()
            price_close = following is not None and following.kind == "ACTION" and self._at_close_price(following)
            if following is None or (following.kind in _STOP and not price_close) or self._context_ahead():
                self.pos = save
                break
            joins.append(str(token.value))
            terms.append(self.term())
        if len(set(joins)) > 1:
            raise self._mixed_and_or(terms, joins, start)
        if len(terms) == 1:
            return terms[0]
        return {"kind": "all" if joins[0] == "and" else "any", "conditions": _flatten(joins[0], terms)}

    def _mixed_and_or(self, terms: list[dict], joins: list[str], start: Token | None) -> AmbiguityError:
        from mas.strategy.explain import describe_condition

        def group(first: str) -> dict:
            groups: list[list[dict]] = [[terms[0]]]
            for join, term in zip(joins, terms[1:], strict=True):
                if join == first:
                    groups[-1].append(term)
                else:
                    groups.append([term])
            inner = [g[0] if len(g) == 1 else {"kind": "all" if first == "and" else "any", "conditions": g}
                     for g in groups]
            return {"kind": "any" if first == "and" else "all", "conditions": inner}

        readings = [describe_condition(group(first), self._spec_indicators(), "en") for first in ("and", "or")]
        last = self.tokens[self.pos - 1]
        begin = start.start if start is not None else last.start
        return AmbiguityError("'and' and 'or' are mixed in one condition; split it or repeat the action",
                              readings, self.text[begin:last.end], begin, last.end)

    def term(self) -> dict:
        token = self.skip()
        if token is None:
            raise self.fail("the text ends where a condition should be")
        if token.kind == "NOT":
            self.pos += 1
            return {"kind": "not", "condition": self.term()}
        if token.kind == "FOR":
            self.pos += 1
            bars = self.bar_count(token)
            return _for_bars(self.term(), bars)
        if token.kind == "GCROSS":
            self.pos += 1
            first = self.operand()
            if first is None and self.last_cross is not None:  # "死亡交叉時賣出" after a golden-cross rule
                return self.golden(self.last_cross[0], self.last_cross[1], token)
            if first is None:
                raise self.fail(f'"{token.text}": of which two lines? e.g. "golden cross of SMA(5) and SMA(20)"',
                                token)
            save = self.pos
            if self.next_kind("CONJ") is None or (self.skip() or _END).kind in _STOP | {"END"}:
                self.pos = save
                if first.kind in ("macd", "kd", "stoch"):  # "golden cross of KD below 20"
                    return self._with_level(self.golden(first, None, token), first)
                raise self.fail(f'"{token.text}": of which two lines? e.g. "golden cross of SMA(5) and SMA(20)"',
                                token)
            return self.golden(first, self.operand(required=True), token)
        if token.kind == "OPPOSITE":  # "close on the opposite cross": resolved against the entries in result()
            self.pos += 1
            return {"kind": "_opposite", "of": str(token.value), "at": self.pos - 1}
        return self.for_suffix(self.atom())

    def for_suffix(self, condition: dict) -> dict:
        save = self.pos
        token = self.skip()
        if token is not None and token.kind == "FOR" and not token.text.startswith("over"):
            self.pos += 1
            return _for_bars(condition, self.bar_count(token))
        if token is not None and token.kind in ("NUM", "INAROW"):
            try:
                bars = self.bar_count(token, need_in_a_row=True)
            except ParseError:
                self.pos = save
                return condition
            return _for_bars(condition, bars)
        self.pos = save
        return condition

    def bar_count(self, head: Token, need_in_a_row: bool = False) -> int:
        """N of 'N bars', 'N consecutive bars', 'N bars in a row', '3根'."""
        in_a_row = self.next_kind("INAROW") is not None
        self.next_kind("PARAMKW")  # "for a period of 3 bars"
        number = self.next_kind("NUM")
        if number is None:
            raise self.fail(f'"{head.text}": how many bars?', head)
        in_a_row = self.next_kind("INAROW") is not None or in_a_row
        if self.next_kind("UNIT") is None:
            if not in_a_row:
                raise self.fail(f'"{number.text}": bars? say e.g. "for 3 bars"', number)
        in_a_row = self.next_kind("INAROW") is not None or in_a_row
        if need_in_a_row and not in_a_row:
            raise self.fail("not a bar count", number)
        return self.whole(number, "a number of bars")

    def whole(self, token: Token, what: str) -> int:
        value = float(token.value)  # type: ignore[arg-type]
        if not value.is_integer() or value < 1:
            raise self.fail(f'"{token.text}": {what} must be a whole number of at least 1', token)
        return int(value)

    def atom(self) -> dict:
        first = self.skip()
        self.previous_subject = self.last_subject
        self._in_subject = True
        try:
            subject = self.operand()
        finally:
            self._in_subject = False
        following = self.skip()
        if subject is None:
            if following is not None and following.kind in ("CMP", "CROSS", "PRICE_CMP", "TOUCH", "CMP_POST"):
                subject = _Operand("close", "price", implicit=True)
            elif following is not None and following.kind in ("STATE", "TREND") and self.last_subject is not None:
                subject = self.last_subject  # "RSI超賣時買進，超買時賣出"
            else:
                token = following or first
                raise self.fail("expected a condition (e.g. 'RSI(14) < 30')", token)
        self.subject = subject
        self.last_subject = subject
        negate = self.next_kind("NOT") is not None
        prefix_bars = None
        head = self.skip()
        if head is not None and head.kind == "FOR":
            self.pos += 1
            prefix_bars = self.bar_count(head)
        condition = self._sequence(self.predicate(subject, first), first)
        if negate:
            condition = {"kind": "not", "condition": condition}
        return condition if prefix_bars is None else _for_bars(condition, prefix_bars)

    def predicate(self, subject: _Operand, first: Token | None) -> dict:
        token = self.skip()
        start = first.start if first is not None else None
        if token is None or token.kind in _STOP:
            raise self.fail("an incomplete condition: compare it, or say what it crosses", token or first, start)
        kind = token.kind
        self.pos += 1
        if kind in ("CMP", "PRICE_CMP"):
            right = self.operand(required=True)
            subject = self._omitted_subject(subject, right)
            self.last_object = right
            return {"kind": "compare", "left": subject.ref, "op": token.value, "right": right.ref}
        if kind == "TOUCH":
            right = self.operand(required=True)
            return self.touch(subject, right, token)
        if kind in ("CROSS", "DIR"):
            return self.cross(subject, token, start)
        if kind == "GCROSS":
            return self._with_level(self.golden(subject, self.operand(), token), subject)
        if kind == "STATE":
            return self._cross_after_level(subject, self.level(subject, str(token.value), token))
        if kind == "TREND":
            return self.trend(subject, token)
        if kind == "BETWEEN":
            low = self.operand(required=True)
            if self.next_kind("CONJ", "RANGE") is None and not self._consume_word("to"):
                raise self.fail('between what? e.g. "between 40 and 60"', token)
            high = self.operand(required=True)
            self.next_kind("BETWEEN_END")
            return {"kind": "between", "value": subject.ref, "low": low.ref, "high": high.ref}
        if kind == "CMP_POST":  # "站在20日均線之上": the price against the subject
            previous = self.previous_subject
            if subject.kind == "const" and previous is not None and previous.kind not in ("price", "const"):
                # "KD 在 20 以下黃金交叉時買進，在 80 以上死亡交叉時賣出": the previous subject's level
                self.last_subject = previous
                level = {"kind": "compare", "left": previous.ref, "op": token.value, "right": subject.ref}
                return self._cross_after_level(previous, level)
            return {"kind": "compare", "left": "close", "op": token.value, "right": subject.ref}
        if kind == "CONJ":  # "SMA(5) and SMA(20) golden cross"
            other = self.operand()
            cross = self.next_kind("GCROSS")
            if other is not None and cross is not None:
                return self.golden(subject, other, cross)
        if kind in ("NUM", "IND", "OUTPUT", "PRICE", "ZERO", "HIGHEST", "LOWEST", "PREV"):
            self.pos -= 1
            right = self.operand(required=True)
            post = self.next_kind("CMP_POST")
            if post is not None:  # "KD 在 20 以下黃金交叉": a level, then maybe the cross it qualifies
                level = {"kind": "compare", "left": subject.ref, "op": post.value, "right": right.ref}
                return self._cross_after_level(subject, level) if right.kind == "const" else level
            if self.next_kind("RANGE", "CONJ") is not None:
                high = self.operand(required=True)
                if self.next_kind("BETWEEN_END") is not None:
                    return {"kind": "between", "value": subject.ref, "low": right.ref, "high": high.ref}
        raise self.fail("an incomplete condition: compare it, or say what it crosses", token, start)

    def cross(self, subject: _Operand, token: Token, start: int | None) -> dict:
        """'crosses above X', 'crosses X from below (to above)', '由下往上穿越', 'crosses back below' (X omitted
        after a pronoun: the previous object), then an optional level: 'K crosses above D below 20'."""
        head = token
        if token.kind == "DIR":  # "由下往上" + "穿越 / 交叉"
            cross = self.next_kind("CROSS")
            if cross is None:
                raise self.fail(f'"{token.text}": crosses what? e.g. "由下往上穿越20日均線"', token, start)
            head = cross
        right = self.operand()
        subject = self._omitted_subject(subject, right)
        if right is None:
            if subject.from_pronoun and self.last_object is not None:
                right = self.last_object
            else:
                raise self.fail(f'"{head.text}": crosses what? e.g. "crosses above its signal line"', head, start)
        self.last_object = right
        directions = [str(t.value) for t in (token, head) if t.kind == "DIR" or t.value != "any"]
        after = self.next_kind("DIR")
        if after is not None:
            directions.append(str(after.value))
        if not directions:
            raise self.fail(f'"{head.text}": in which direction? say "crosses above" or "crosses below"', head, start)
        if len(set(directions)) > 1:
            last = after or head
            raise self.fail("the directions of this cross disagree (above and below)", last, start)
        direction = "crosses_above" if directions[0] == "above" else "crosses_below"
        return self._with_level({"kind": direction, "left": subject.ref, "right": right.ref}, subject)

    def _with_level(self, condition: dict, left: _Operand) -> dict:
        """A cross followed by a level of its first line: 'K crosses above D below 20', '... in the oversold zone'."""
        save = self.pos
        token = self.skip()
        line = _Operand(condition["left"], left.kind, left.period)
        if token is not None and token.kind == "CMP":
            self.pos += 1
            value = self.skip()
            after = self.peek(1)
            if value is not None and value.kind in ("NUM", "ZERO") and (after is None or after.kind not in (
                    "UNIT", "IND", "TIMES", "HIGHEST", "LOWEST", "PRICE", "OUTPUT")):
                level = self.operand(required=True)
                return {"kind": "all", "conditions": [condition, {"kind": "compare", "left": condition["left"],
                                                                  "op": token.value, "right": level.ref}]}
        elif token is not None and token.kind == "STATE" and left.kind in _LEVELS:
            self.pos += 1
            return {"kind": "all", "conditions": [condition, self.level(line, str(token.value), token)]}
        self.pos = save
        return condition

    def _cross_after_level(self, subject: _Operand, level: dict) -> dict:
        """A level followed by the cross it qualifies: 'KD 在 20 以下黃金交叉', 'K值在超賣區向上穿越D值'."""
        save = self.pos
        token = self.skip()
        if token is not None and token.kind in ("GCROSS", "CROSS", "DIR"):
            self.pos += 1
            if token.kind == "GCROSS":
                cross = self.golden(subject, self.operand(), token)
            else:
                cross = self.cross(subject, token, None)
            return {"kind": "all", "conditions": [cross, level]}
        self.pos = save
        return level

    def _sequence(self, condition: dict, first: Token | None) -> dict:
        """'falls below 30 and then rises back above 30' is the cross back above 30; other sequences are refused."""
        j = self.pos
        while j < len(self.tokens) and self.tokens[j].kind in ("FILLER", "CHART"):
            j += 1
        if j >= len(self.tokens) or self.tokens[j].kind != "THEN":
            return condition
        then = self.tokens[j]
        k = j + 1
        while k < len(self.tokens) and self.tokens[k].kind in _SKIP:
            k += 1
        if k >= len(self.tokens) or self.tokens[k].kind in _STOP:
            return condition  # "if RSI < 30 then buy"
        self.pos = j + 1
        second = self.atom()
        kinds = {"crosses_below": "below", "crosses_above": "above"}
        side = kinds.get(condition["kind"]) or {"<": "below", "<=": "below", ">": "above", ">=": "above"}.get(
            condition.get("op", ""))
        back = kinds.get(second["kind"])
        level = condition.get("right")
        if side is not None and back is not None and side != back and isinstance(level, float) and \
                second.get("left") == condition.get("left") and second.get("right") == level:
            return second  # it was on the other side of the level before it crossed back: the cross itself
        begin = first.start if first is not None else then.start
        last = self.tokens[self.pos - 1]
        raise ParseError(f'"{then.text}": a sequence of two events; a strategy spec has no sequences, only the '
                         "crossing back over one level (e.g. 'falls below 30 and then rises back above 30')",
                         self.text[begin:last.end], begin, last.end)

    def _omitted_subject(self, subject: _Operand, right: _Operand | None) -> _Operand:
        """An omitted subject is the previous one against a number or nothing ("高於70時賣出", "下穿時賣出"),
        else the price ("跌破下軌")."""
        previous = self.previous_subject
        if subject.implicit and previous is not None and previous.kind != "const" and (
                right is None or (right.kind == "const" and previous.kind != "price")):
            self.last_subject = previous
            return _Operand(previous.ref, previous.kind, previous.period, previous.output, previous.indicator,
                            from_pronoun=True)
        return subject

    def _consume_word(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token.text.lower() == word:
            self.pos += 1
            return True
        return False

    def touch(self, subject: _Operand, right: _Operand, token: Token) -> dict:
        if right.output == "lower" or right.kind == "lowest":
            op = "<="
        elif right.output == "upper" or right.kind == "highest":
            op = ">="
        else:
            readings = [f"{_describe_ref(subject.ref)} at or below {_describe_ref(right.ref)}",
                        f"{_describe_ref(subject.ref)} at or above {_describe_ref(right.ref)}"]
            raise AmbiguityError(f'"{token.text}": from which side?', readings, token.text, token.start, token.end)
        left = "close" if subject.kind != "price" else subject.ref
        return {"kind": "compare", "left": left, "op": op, "right": right.ref}

    def golden(self, first: _Operand, second: _Operand | None, token: Token) -> dict:
        direction = "crosses_above" if token.value == "above" else "crosses_below"
        self.last_cross = (first, second)
        if second is None:
            if first.kind == "macd":
                ident = first.indicator
                return {"kind": direction, "left": f"{ident}.line", "right": f"{ident}.signal"}
            if first.kind in ("kd", "stoch"):
                ident = first.indicator
                return {"kind": direction, "left": f"{ident}.k", "right": f"{ident}.d"}
            raise self.fail(f'"{token.text}": of which two lines? e.g. "SMA(5) crosses above SMA(20)"', token)
        if first.kind in _MOVING_AVERAGES and second.kind in _MOVING_AVERAGES and first.period and second.period:
            if second.period < first.period:
                first, second = second, first
        self.last_object = second
        return {"kind": direction, "left": first.ref, "right": second.ref}

    def level(self, subject: _Operand, state: str, token: Token) -> dict:
        levels = _LEVELS.get(subject.kind)
        if levels is None:
            raise self.fail(f'"{token.text}": defined for RSI, KD, Stochastic, Williams %R and CCI, '
                            f"not for {_describe_ref(subject.ref)}", token)
        low, high = levels
        if state == "oversold":
            return {"kind": "compare", "left": subject.ref, "op": "<", "right": float(low)}
        return {"kind": "compare", "left": subject.ref, "op": ">", "right": float(high)}

    def trend(self, subject: _Operand, token: Token) -> dict:
        kind = "rising" if token.value == "rising" else "falling"
        save = self.pos
        head = self.skip()
        if head is not None and (head.kind == "FOR" or (head.kind == "CMP" and head.text.lower() == "over")):
            self.pos += 1
            bars = self.bar_count(head)
            if head.text.lower().startswith("over"):
                return {"kind": kind, "value": subject.ref, "bars": bars}
            return _for_bars({"kind": kind, "value": subject.ref, "bars": 1}, bars)
        self.pos = save
        return {"kind": kind, "value": subject.ref, "bars": 1}

    # ------------------------------------------------------------------ operands
    def operand(self, required: bool = False) -> _Operand | None:
        start = self.skip()
        back = 1 if self.next_kind("PREV") is not None else 0
        token = self.skip()
        result = self._operand(token) if token is not None else None
        if result is None:
            if required or back:
                raise self.fail("expected a value here (a number, a price or an indicator)", token or start)
            return None
        if back:
            if isinstance(result.ref, float):
                raise self.fail("'previous' needs a price or an indicator", token)
            result = _Operand(f"{result.ref}[1]", result.kind, result.period, result.output, result.indicator)
        return result

    def _operand(self, token: Token) -> _Operand | None:
        kind = token.kind
        if kind == "NUM":
            return self._number_operand(token)
        if kind == "ZERO":
            self.pos += 1
            return _Operand(0.0, "const")
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
            return _Operand(value, "price")
        if kind == "NAME":
            return self._named_operand(token)
        if kind in ("HIGHEST", "LOWEST"):
            self.pos += 1
            source = self.next_kind("PRICE")
            self.next_kind("PREV")  # "the highest high of the previous 20 bars"
            number = self.next_kind("NUM")
            if number is None:
                raise self.fail(f'"{token.text}": over how many bars? e.g. "highest high of the last 20 bars"', token)
            self.next_kind("UNIT")
            return self._extreme(kind.lower(), self.whole(number, "a period"), source)
        if kind == "PRONOUN":
            self.pos += 1
            last = self.last_subject
            if last is not None and last is self.subject and not self._in_subject:
                # "the close is above it": it is what was named before the close, else the last object
                others = [o for o in (self.previous_subject, self.last_object) if o is not None and o.ref != last.ref]
                last = others[0] if others else None
            if last is None:
                raise self.fail(f'"{token.text}": what does it refer to?', token)
            return _Operand(last.ref, last.kind, last.period, last.output, last.indicator, from_pronoun=True)
        return None

    def _number_operand(self, token: Token) -> _Operand:
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
                return self._extreme(name, self.whole(token, "a period"), None)
            if target.kind == "TIMEFRAME" and target.text.endswith(("日線", "日线")) and j == self.pos + 1:
                self.pos = j + 1
                return self._indicator_operand("sma", target, [period])
        self.pos += 1
        self.next_kind("UNIT") if self._percent_next() else None
        return _Operand(float(token.value), "const")  # type: ignore[arg-type]

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
                raise self.fail(f'"{head.text} {keyword.text}": expected a number', self.peek() or keyword)
            return [float(number.value)]  # type: ignore[arg-type]
        if token is not None and token.kind == "LPAR":
            self.pos += 1
            values = []
            while True:
                self._param_keyword()  # "(period 14)"
                number = self.next_kind("NUM")
                if number is None:
                    raise self.fail(f'"{head.text}(...)": expected numbers in the parentheses', self.peek() or head)
                values.append(float(number.value))  # type: ignore[arg-type]
                if self.next_kind("PCOMMA") is None:
                    break
            if self.next_kind("RPAR") is None:
                raise self.fail(f'"{head.text}(": the parenthesis is not closed', self.peek() or head)
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

    def _named_operand(self, name: Token) -> _Operand:
        """'fast EMA with period 21' declares the fast EMA; 'the fast EMA' then refers to it."""
        self.pos += 1
        head = self.skip()
        if head is None or head.kind != "IND" or str(head.value) not in _PARAM_NAMES:
            raise self.fail(f'"{name.text}": {name.text} what? e.g. "{name.text} EMA with period 12"', head or name)
        self.pos += 1
        kind = str(head.value)
        key = (str(name.value), kind)
        params = self._params(head)
        if not params:
            if key not in self.named:
                raise self.fail(f'"{name.text} {head.text}": which period? e.g. "{name.text} {head.text} with period '
                                f'12" before it is used', head, start=name.start)
            return self._indicator_operand(kind, head, list(self.named[key]))  # type: ignore[arg-type]
        known = self.named.get(key)
        if known is not None and list(known) != params:  # type: ignore[call-overload]
            raise self.fail(f'"{name.text} {head.text}": two different settings for it', head, start=name.start)
        self.named[key] = params  # type: ignore[assignment]
        return self._indicator_operand(kind, head, params)

    def _indicator_operand(self, kind: str, token: Token, params: list[float]) -> _Operand:
        if kind == "avg":
            subject = self.subject
            kind = "avg_volume" if subject is not None and subject.ref == "volume" else "sma"
        if kind == "avg_volume":
            if not params:
                raise self.fail(f'"{token.text}": over how many bars? e.g. "20-bar average volume"', token)
            period = self.whole_value(params[0], token)
            ident = self._register(f"sma_volume_{period}", {"kind": "sma", "period": period, "source": "volume"})
            return _Operand(ident, "sma_volume", period, indicator=ident)
        names = _PARAM_NAMES[kind]
        if not params and kind in self.explicit:  # a bare "RSI" after "RSI(2)": that RSI
            known = list(dict.fromkeys(self.explicit[kind]))
            if len(known) > 1:
                listed = " and ".join(known)
                raise self.fail(f'"{token.text}": which {_NAMES[kind]}? the text has {listed}; give its settings',
                                token)
            params = [float(v) for v in self.indicators[known[0]].values() if isinstance(v, (int, float))]
        values = list(params) or list(_DEFAULT_PARAMS.get(kind, []))
        if not values:
            raise self.fail(f'"{token.text}": which period? e.g. "SMA(20)" or "20-day moving average"', token)
        if len(values) > len(names):
            raise self.fail(f'"{token.text}" takes {len(names)} number(s): {", ".join(names)}', token)
        values += _DEFAULT_PARAMS.get(kind, [])[len(values):]
        if len(values) < len(names):
            raise self.fail(f'"{token.text}" needs {", ".join(names)}', token)
        settings: dict[str, Any] = {}
        for name, value in zip(names, values, strict=True):
            settings[name] = value if name == "nbdev" else self.whole_value(value, token)
        ident = "_".join([kind, *(_number_text(v).replace(".", "_") for v in settings.values())])
        if params:
            if self.defaulted.get(kind, ident) != ident:
                raise self.fail(f'"{token.text}": an earlier mention of {_NAMES[kind]} without settings was read as '
                                f"{self.defaulted[kind]} (standard settings); give the settings at the first mention",
                                token)
            self.explicit.setdefault(kind, []).append(ident)
        else:
            self.defaulted[kind] = ident
        self._register(ident, {"kind": kind, **settings})
        output = None
        save = self.pos
        following = self.skip()
        if following is not None and following.kind == "OUTPUT":
            if kind not in _OUTPUT_OWNERS[str(following.value)]:
                raise self.fail(f'"{following.text}": {_NAMES[kind]} has no such line', following)
            self.pos += 1
            output = str(following.value)
        else:
            self.pos = save
            output = INDICATOR_OUTPUTS.get(kind, (None,))[0]  # explicit default line: MACD -> macd_12_26_9.line
        operand = _Operand(ident if output is None else f"{ident}.{output}", kind, int(values[0]), output, ident)
        self.last_by_kind[kind] = operand
        return operand

    def whole_value(self, value: float, token: Token) -> int:
        if not float(value).is_integer() or value < 1:
            raise self.fail(f'"{token.text}": a period must be a whole number of at least 1, got {value:g}', token)
        return int(value)

    def _output_operand(self, output: str, token: Token) -> _Operand:
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
        return _Operand(f"{ident}.{output}", base.kind, base.period, output, ident)

    def _extreme(self, kind: str, period: int, source: Token | None) -> _Operand:
        field = str(source.value) if source is not None else ("high" if kind == "highest" else "low")
        default = "high" if kind == "highest" else "low"
        ident = f"{kind}_{period}" if field == default else f"{kind}_{field}_{period}"
        self._register(ident, {"kind": kind, "period": period, **({} if field == default else {"source": field})})
        return _Operand(f"{ident}[1]", kind, period, indicator=ident)

    def _register(self, ident: str, settings: dict[str, Any]) -> str:
        self.indicators.setdefault(ident, {"id": ident, **settings})
        return ident

    def _resolve_opposite(self, rule: str, condition: dict) -> dict:
        """'the opposite cross' of a side's entry cross (its direction flipped); 'the opposite signal' is the
        other side's entry, else the opposite cross."""
        if condition.get("kind") in ("all", "any"):
            return {**condition, "conditions": [self._resolve_opposite(rule, c) for c in condition["conditions"]]}
        if condition.get("kind") in ("not", "for_bars"):
            return {**condition, "condition": self._resolve_opposite(rule, condition["condition"])}
        if condition.get("kind") != "_opposite":
            return condition
        token = self.tokens[condition["at"]]
        side = rule.split("_")[1]
        other = self.rules["entry_short" if side == "long" else "entry_long"]
        if rule.startswith("entry"):
            raise self.fail(f'"{token.text}": an entry on the opposite of what? say the condition', token)
        if condition["of"] == "signal" and other:
            return other[0] if len(other) == 1 else {"kind": "any", "conditions": other}
        entries = self.rules[f"entry_{side}"]
        crosses = [c for c in entries if c.get("kind") in _FLIPPED]
        if len(entries) != 1 or len(crosses) != 1:
            raise self.fail(f'"{token.text}": the {side} entry is not a single cross; say when to exit', token)
        return {**crosses[0], "kind": _FLIPPED[crosses[0]["kind"]]}

    def _spec_indicators(self) -> list[dict]:
        return [self.indicators[k] for k in sorted(self.indicators)]

    # ------------------------------------------------------------------ risk
    def risk_item(self) -> bool:
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
            if stop is None or stop.value != "sl" or (self.peek() or _END).kind not in ("SEP", "END"):
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
        n = _number_text(value)
        raise AmbiguityError(f'"{head.text} {number.text}": {n} what?', [f"{n} pips", f"{n} points",
                                                                        f"{n}% of the price"],
                             self.text[head.start:number.end], head.start, number.end)

    def _set_distance(self, kind: str, distance: dict[str, Any]) -> None:
        field = {"sl": "stop_loss", "tp": "take_profit", "trail": "trailing_stop"}[kind]
        self.risk[field] = distance

    # ------------------------------------------------------------------ context
    def context(self) -> bool:
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
                raise self.fail(f'"{token.text}": against which currency? e.g. "歐元兌美元", "EUR/USD"', token)
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
            raise self.fail(f"two different {field}s: {current} and {value}", token)
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
            raise self.fail(f'"{number.text}{unit.text}": there is no such timeframe (M1 ... M30, H1 ... H12, D1, W1)',
                            unit, start=number.start)
        return name

    def _time_window(self) -> None:
        start = self.next_kind("TIME")
        if start is None:
            return
        if self.next_kind("RANGE", "CONJ") is None and not self._consume_word("to"):
            raise self.fail(f'"{start.text}": until when? e.g. "08:00-17:00"', start)
        end = self.next_kind("TIME")
        if end is None:
            raise self.fail(f'"{start.text}": until when? e.g. "08:00-17:00"', start)
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
                    raise self.fail(f'"{token.text}": to which day?', token)
                i, j = WEEKDAYS.index(first), WEEKDAYS.index(str(last.value))
                days.extend(WEEKDAYS[i: j + 1] if i <= j else WEEKDAYS[i:] + WEEKDAYS[: j + 1])
            else:
                days.append(first)
            save = self.pos
            if self.next_kind("CONJ") is None or (self.skip() or token).kind != "WEEKDAY":
                self.pos = save
                return days

    # ------------------------------------------------------------------ result
    def result(self) -> dict[str, Any]:
        for condition, token in self.sells:
            if self.rules["entry_long"]:
                self.rules["exit_long"].append(condition)
                continue
            from mas.strategy.explain import describe_condition

            text = describe_condition(condition, self._spec_indicators(), "en")
            raise AmbiguityError(f'"{token.text}" with no buy rule', [
                f"open a short position when {text} (say 'short when ...')",
                f"close a long position when {text} (add a 'buy when ...' rule)"], token.text, token.start, token.end)
        for condition, token in self.exits:
            sides = [side for side in ("long", "short") if self.rules[f"entry_{side}"]]
            if not sides:
                raise self.fail(f'"{token.text}": there is no position to close (no buy or short rule)', token)
            for side in sides:
                self.rules[f"exit_{side}"].append(condition)
        if not self.rules["entry_long"] and not self.rules["entry_short"]:
            raise ParseError("no entry rule: say when to buy or to short, e.g. 'buy when RSI(14) < 30'")
        for name in ("entry_long", "entry_short", "exit_long", "exit_short"):
            self.rules[name] = [self._resolve_opposite(name, c) for c in self.rules[name]]
            for condition in self.rules[name]:
                _refuse_self_comparison(condition, self.text)
        spec: dict[str, Any] = {"indicators": self._spec_indicators()}
        for name, conditions in self.rules.items():
            if conditions:
                spec[name] = conditions[0] if len(conditions) == 1 else {"kind": "any", "conditions": conditions}
        if self.risk:
            spec["risk"] = self.risk
        if self.sessions or self.weekdays:
            spec["filters"] = {"sessions": self.sessions, "weekdays": sorted(self.weekdays, key=WEEKDAYS.index)}
        if self.symbol:
            spec["symbol"] = self.symbol
        if self.timeframe:
            spec["timeframe"] = self.timeframe
        return spec


_END = Token("END", "", 0, 0, "")
_FLIPPED = {"crosses_above": "crosses_below", "crosses_below": "crosses_above"}


def _refuse_self_comparison(condition: dict, text: str) -> None:
    """A value compared with or crossing itself is a misreading (e.g. a pronoun taken for the subject)."""
    for child in condition.get("conditions", []):
        _refuse_self_comparison(child, text)
    if "condition" in condition:
        _refuse_self_comparison(condition["condition"], text)
    if "left" in condition and condition["left"] == condition.get("right"):
        raise ParseError(f"a condition compares {_describe_ref(condition['left'])} with itself; name both sides",
                         text.strip())


def _atr_distance(value: float, params: list[float], grammar: _Grammar, token: Token) -> dict[str, Any]:
    period = grammar.whole_value(params[0], token) if params else 14
    return {"unit": "atr", "value": value, "atr_period": period}


def _join(conj: object, left: dict, right: dict) -> dict:
    kind = "all" if conj == "and" else "any"
    return {"kind": kind, "conditions": _flatten(str(conj), [left, right])}


def _flatten(conj: str, terms: list[dict]) -> list[dict]:
    kind = "all" if conj == "and" else "any"
    flat: list[dict] = []
    for term in terms:
        flat.extend(term["conditions"] if term.get("kind") == kind else [term])
    return flat


def _for_bars(condition: dict, bars: int) -> dict:
    return condition if bars == 1 else {"kind": "for_bars", "condition": condition, "bars": bars}


def _describe_ref(ref: str | float) -> str:
    return _number_text(ref) if isinstance(ref, float) else str(ref)


def build_spec(text: str, tokens: list[Token]) -> StrategySpec:
    """The spec the tokens of ``text`` describe; ParseError / AmbiguityError otherwise."""
    grammar = _Grammar(text, tokens)
    grammar.parse()
    try:
        return spec_from_dict(grammar.result())
    except SpecError as exc:
        raise ParseError(str(exc).replace("invalid strategy spec: ", "the text describes an invalid strategy: "),
                         text.strip()) from None
