"""Conditions: comparisons, crosses, golden / death crosses, oversold / overbought, rising / falling, between,
touches, "for N bars", "not", and conditions joined by "and" / "or" (the phrases; :mod:`mas.strategy.conditions`
evaluates the spec conditions they become)."""

from __future__ import annotations

from mas.i18n.errors import Text
from mas.strategy.parse.context import ContextReader
from mas.strategy.parse.cursor import END, SKIP, STOP, Operand, describe_ref
from mas.strategy.parse.errors import AmbiguityError, ParseError
from mas.strategy.parse.lexer import Token
from mas.strategy.parse.operands import OperandReader

_LEVELS = {"rsi": (30, 70), "kd": (20, 80), "stoch": (20, 80), "willr": (-80, -20), "cci": (-100, 100)}
_MOVING_AVERAGES = frozenset({"sma", "ema", "wma"})


class ConditionReader(OperandReader, ContextReader):
    """Reads one condition at the cursor."""

    def condition(self) -> dict:
        """Read a condition: terms joined by and / or (a join before an action or a context ends it)."""
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
            if following is None or (following.kind in STOP and not price_close) or self._context_ahead():
                self.pos = save
                break
            joins.append(str(token.value))
            bracketed = following.kind == "LPAR"
            terms.append(self.term())
            if terms[-1]["kind"] == "sequence" and not bracketed:
                raise self._unbracketed_sequence(terms, str(token.value), start)
        if len(set(joins)) > 1:
            raise self._mixed_and_or(terms, joins, start)
        if len(terms) == 1:
            return terms[0]
        return {"kind": "all" if joins[0] == "and" else "any", "conditions": _flatten(joins[0], terms)}

    def _mixed_and_or(self, terms: list[dict], joins: list[str], start: Token | None) -> AmbiguityError:
        from mas.strategy.explain import DescribedCondition

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

        readings = [DescribedCondition(group(first), self._spec_indicators()) for first in ("and", "or")]
        last = self.tokens[self.pos - 1]
        begin = start.start if start is not None else last.start
        return AmbiguityError(Text("parse_and_or_mixed"),
                              readings, self.text[begin:last.end], begin, last.end)

    def _unbracketed_sequence(self, terms: list[dict], join: str, start: Token | None) -> AmbiguityError:
        """'A and B and then C within N bars': is A part of the first step or checked on C's bar?"""
        from mas.strategy.explain import DescribedCondition

        kind = "all" if join == "and" else "any"
        sequence = terms[-1]
        apart = {"kind": kind, "conditions": [*terms[:-1], sequence]}
        together = {**sequence, "first": {"kind": kind, "conditions": [*terms[:-1], sequence["first"]]}}
        readings = [DescribedCondition(c, self._spec_indicators()) for c in (together, apart)]
        last = self.tokens[self.pos - 1]
        begin = start.start if start is not None else last.start
        return AmbiguityError(Text("parse_join_before_then", join=join), readings,
                              self.text[begin:last.end], begin, last.end)

    def term(self) -> dict:
        """Read one term: a bracketed condition, a negation, or an atom with its for-bars suffix."""
        token = self.skip()
        if token is None:
            raise self.fail(Text("parse_ends_before_condition"))
        if token.kind == "LPAR":  # "(A and B) and then C within 5 bars"
            self.pos += 1
            inner = self.condition()
            if self.next_kind("RPAR") is None:
                raise self.fail(Text("parse_bracket_open"), self.peek() or token, start=token.start)
            return self._sequence(inner, token)
        if token.kind == "NOT":
            self.pos += 1
            return {"kind": "not", "condition": self.term()}
        if token.kind == "FOR":
            self.pos += 1
            bars = self.bar_count(token)
            inner = self.term()
            if inner["kind"] == "sequence":  # "連續3根K棒A之後5根K棒內B": A held for the bars, then B
                return {**inner, "first": _for_bars(inner["first"], bars)}
            return _for_bars(inner, bars)
        if token.kind == "GCROSS":
            return self._sequence(self._golden_term(token), token)
        if token.kind == "OPPOSITE":  # "close on the opposite cross": resolved against the entries in result()
            self.pos += 1
            return {"kind": "_opposite", "of": str(token.value), "at": self.pos - 1}
        return self.for_suffix(self.atom())

    def _golden_term(self, token: Token) -> dict:
        """'golden cross of SMA(5) and SMA(20)', 'KD golden cross below 20', '死亡交叉' after a golden-cross rule."""
        self.pos += 1
        first = self.operand()
        if first is None and self.last_cross is not None:  # "死亡交叉時賣出" after a golden-cross rule
            return self.golden(self.last_cross[0], self.last_cross[1], token)
        if first is None:
            raise self.fail(Text("parse_golden_which_lines", word=token.text), token)
        save = self.pos
        if self.next_kind("CONJ") is None or (self.skip() or END).kind in STOP | {"END"}:
            self.pos = save
            if first.kind in ("macd", "kd", "stoch"):  # "golden cross of KD below 20"
                return self._with_level(self.golden(first, None, token), first)
            raise self.fail(Text("parse_golden_which_lines", word=token.text), token)
        return self.golden(first, self.operand(required=True), token)

    def for_suffix(self, condition: dict) -> dict:
        """``condition`` held for the number of bars that follows it ("for 3 bars"), else as it is."""
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
            raise self.fail(Text("parse_how_many_bars", word=head.text), head)
        in_a_row = self.next_kind("INAROW") is not None or in_a_row
        if self.next_kind("UNIT") is None:
            if not in_a_row:
                raise self.fail(Text("parse_bars_unit", word=number.text), number)
        in_a_row = self.next_kind("INAROW") is not None or in_a_row
        if need_in_a_row and not in_a_row:
            raise self.fail(Text("parse_not_bar_count"), number)
        return self.whole(number, Text("parse_what_bars"))

    def atom(self) -> dict:
        """Read a subject and what is said of it (a comparison, a cross, a state, a trend)."""
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
                subject = Operand("close", "price", implicit=True)
            elif following is not None and following.kind in ("STATE", "TREND") and self.last_subject is not None:
                subject = self.last_subject  # "RSI超賣時買進，超買時賣出"
            else:
                token = following or first
                raise self.fail(Text("parse_expected_condition"), token)
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

    def predicate(self, subject: Operand, first: Token | None) -> dict:
        """Read what is said of ``subject``: a comparison, a cross, a touch, a level or a trend."""
        token = self.skip()
        start = first.start if first is not None else None
        if token is None or token.kind in STOP:
            raise self.fail(Text("parse_incomplete_condition"), token or first, start)
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
        if kind == "GCROSS":  # "MACD黃金交叉之後3根K棒內...": no second line before "then"
            other = None if (self.peek() or END).kind == "THEN" else self.operand()
            return self._with_level(self.golden(subject, other, token), subject)
        if kind == "STATE":
            return self._cross_after_level(subject, self.level(subject, str(token.value), token))
        if kind == "TREND":
            return self.trend(subject, token)
        if kind == "BETWEEN":
            low = self.operand(required=True)
            if self.next_kind("CONJ", "RANGE") is None and not self._consume_word("to"):
                raise self.fail(Text("parse_between_what"), token)
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
        raise self.fail(Text("parse_incomplete_condition"), token, start)

    def cross(self, subject: Operand, token: Token, start: int | None) -> dict:
        """'crosses above X', 'crosses X from below (to above)', '由下往上穿越', 'crosses back below' (X omitted
        after a pronoun: the previous object), then an optional level: 'K crosses above D below 20'."""
        head = token
        if token.kind == "DIR":  # "由下往上" + "穿越 / 交叉"
            cross = self.next_kind("CROSS")
            if cross is None:
                raise self.fail(Text("parse_crosses_what_zh", word=token.text), token, start)
            head = cross
        right = self.operand()
        subject = self._omitted_subject(subject, right)
        if right is None:
            if subject.from_pronoun and self.last_object is not None:
                right = self.last_object
            else:
                raise self.fail(Text("parse_crosses_what", word=head.text), head, start)
        self.last_object = right
        directions = [str(t.value) for t in (token, head) if t.kind == "DIR" or t.value != "any"]
        after = self.next_kind("DIR")
        if after is not None:
            directions.append(str(after.value))
        if not directions:
            raise self.fail(Text("parse_cross_direction", word=head.text), head, start)
        if len(set(directions)) > 1:
            last = after or head
            raise self.fail(Text("parse_cross_directions_disagree"), last, start)
        direction = "crosses_above" if directions[0] == "above" else "crosses_below"
        return self._with_level({"kind": direction, "left": subject.ref, "right": right.ref}, subject)

    def _with_level(self, condition: dict, left: Operand) -> dict:
        """A cross followed by a level of its first line: 'K crosses above D below 20', '... in the oversold zone'."""
        save = self.pos
        token = self.skip()
        line = Operand(condition["left"], left.kind, left.period)
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

    def _cross_after_level(self, subject: Operand, level: dict) -> dict:
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
        while j < len(self.tokens) and (self.tokens[j].kind in ("FILLER", "CHART") or (
                self.tokens[j].text == "," and j + 1 < len(self.tokens) and self.tokens[j + 1].kind == "THEN")):
            j += 1  # "RSI < 30, then ..."
        if j >= len(self.tokens) or self.tokens[j].kind != "THEN":
            return condition
        then = self.tokens[j]
        k = j + 1
        while k < len(self.tokens) and self.tokens[k].kind in SKIP:
            k += 1
        if k >= len(self.tokens) or (self.tokens[k].kind in STOP and not self._close_price_at(k)):
            return condition  # "if RSI < 30 then buy"
        self.pos = j + 1
        within = self._within()  # "之後5根K棒內 ..."
        second = self.atom()
        within = within or self._within()  # "... within 5 bars"
        if within is not None:
            return {"kind": "sequence", "first": condition, "then": second, "within": within}
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
        raise ParseError(Text("parse_sequence_window", word=then.text), self.text[begin:last.end], begin, last.end)

    def _close_price_at(self, k: int) -> bool:
        """The token at ``k`` is 'close' the price: "... then close crosses above SMA(20)"."""
        save, self.pos = self.pos, k
        try:
            return self._at_close_price(self.tokens[k])
        finally:
            self.pos = save

    def _within(self) -> int | None:
        """N of 'within N bars', 'in the next N bars', 'N根K棒內'; None (nothing consumed) when there is none."""
        save = self.pos
        head = self.skip()
        if head is not None and (head.kind == "BETWEEN" and head.text.lower() == "within" or head.kind == "WITHIN"):
            self.pos += 1
            self.next_kind("FILLER")  # "within the next 5 bars"
        elif head is None or head.kind != "NUM":
            return None
        number = self.next_kind("NUM")
        unit = self.next_kind("UNIT")
        if number is None or unit is None or unit.value != "bars":
            self.pos = save
            return None
        if head.kind == "NUM":  # "5根K棒內"
            after = self.peek()
            if after is None or after.text not in ("內", "之內", "以內", "内", "之内", "以内"):
                self.pos = save
                return None
            self.pos += 1
        return self.whole(number, Text("parse_what_bars"))

    def _omitted_subject(self, subject: Operand, right: Operand | None) -> Operand:
        """An omitted subject is the previous one against a number or nothing ("高於70時賣出", "下穿時賣出"),
        else the price ("跌破下軌")."""
        previous = self.previous_subject
        if subject.implicit and previous is not None and previous.kind != "const" and (
                right is None or (right.kind == "const" and previous.kind != "price")):
            self.last_subject = previous
            return Operand(previous.ref, previous.kind, previous.period, previous.output, previous.indicator,
                            from_pronoun=True)
        return subject

    def touch(self, subject: Operand, right: Operand, token: Token) -> dict:
        """``subject`` touching a band or an extreme, as a comparison from that side (AmbiguityError when the side is
        not clear)."""
        if right.output == "lower" or right.kind == "lowest":
            op = "<="
        elif right.output == "upper" or right.kind == "highest":
            op = ">="
        else:
            left, level = describe_ref(subject.ref), describe_ref(right.ref)
            readings = [Text("parse_reading_at_or_below", left=left, right=level),
                        Text("parse_reading_at_or_above", left=left, right=level)]
            raise AmbiguityError(Text("parse_touch_which_side", word=token.text), readings, token.text, token.start,
                                 token.end)
        left = "close" if subject.kind != "price" else subject.ref
        return {"kind": "compare", "left": left, "op": op, "right": right.ref}

    def golden(self, first: Operand, second: Operand | None, token: Token) -> dict:
        """A cross of ``first`` over ``second`` (a golden or death cross), or of MACD and KD over their own signal line.
        A cross of ``first`` over ``second`` (a golden or death cross), or of MACD and KD over their own signal line."""
        direction = "crosses_above" if token.value == "above" else "crosses_below"
        self.last_cross = (first, second)
        if second is None:
            if first.kind == "macd":
                ident = first.indicator
                return {"kind": direction, "left": f"{ident}.line", "right": f"{ident}.signal"}
            if first.kind in ("kd", "stoch"):
                ident = first.indicator
                return {"kind": direction, "left": f"{ident}.k", "right": f"{ident}.d"}
            raise self.fail(Text("parse_cross_which_lines", word=token.text), token)
        if first.kind in _MOVING_AVERAGES and second.kind in _MOVING_AVERAGES and first.period and second.period:
            if second.period < first.period:
                first, second = second, first
        self.last_object = second
        return {"kind": direction, "left": first.ref, "right": second.ref}

    def level(self, subject: Operand, state: str, token: Token) -> dict:
        """Oversold or overbought as a comparison with the indicator's usual level (RSI 30 / 70, ...)."""
        levels = _LEVELS.get(subject.kind)
        if levels is None:
            raise self.fail(Text("parse_level_not_defined", word=token.text, name=describe_ref(subject.ref)), token)
        low, high = levels
        if state == "oversold":
            return {"kind": "compare", "left": subject.ref, "op": "<", "right": float(low)}
        return {"kind": "compare", "left": subject.ref, "op": ">", "right": float(high)}

    def trend(self, subject: Operand, token: Token) -> dict:
        """Rising or falling, over one bar or the number of bars that follows."""
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


def joined(conj: object, left: dict, right: dict) -> dict:
    """``left and right`` (or ``or``) as one spec condition, nested joins of the same kind flattened."""
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

