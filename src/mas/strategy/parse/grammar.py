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

The readers share one :class:`~mas.strategy.parse.cursor.Cursor` (the tokens and what the text said so far):
:mod:`.operands`, :mod:`.conditions`, :mod:`.risk` and :mod:`.context` each read their kind of phrase; this
module reads the items in order and assembles the spec.
"""

from __future__ import annotations

from typing import Any

from mas.i18n.errors import Text, text_of
from mas.strategy.parse.conditions import ConditionReader, joined
from mas.strategy.parse.cursor import END, SKIP, STOP, describe_ref
from mas.strategy.parse.errors import AmbiguityError, ParseError
from mas.strategy.parse.lexer import Token
from mas.strategy.parse.mirror import MirrorError, mirror_condition
from mas.strategy.parse.risk import RiskReader
from mas.strategy.spec import WEEKDAYS, SpecError, StrategySpec, spec_from_dict

__all__ = ["build_spec"]

_FLIPPED = {"crosses_above": "crosses_below", "crosses_below": "crosses_above"}


class _Grammar(ConditionReader, RiskReader):
    """The items of a text (rules, declarations, risk, context) read in order, then assembled into a spec."""

    def parse(self) -> None:
        pending: tuple[dict, Token] | None = None
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if token.kind in SKIP or token.kind == "SEP":
                self.pos += 1
            elif token.kind == "CONJ":
                self.pos += 1
                following = self.skip()
                if following is None or (following.kind in STOP and not self._at_close_price(following)) or \
                        self._context_ahead():
                    continue
                condition = self.condition()
                if pending is not None:
                    pending = (joined(token.value, pending[0], condition), pending[1])
                elif self.last_rule is not None:
                    rule, index = self.last_rule
                    rule[index] = joined(token.value, rule[index], condition)
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
            elif token.kind == "MIRROR":  # "and the opposite for shorts", "vice versa"
                self.mirror = token
                self.pos += 1
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
                if following is None or (following.kind in STOP and not self._at_close_price(following)):
                    raise self.fail(Text("parse_action_no_condition", word=token.text), token)
                self.add_rule(token, self.condition())
            elif not self.declaration():
                condition = self.condition()
                pending = (condition, token) if pending is None else (joined("and", pending[0], condition), pending[1])
        if pending is not None:
            raise self.fail(Text("parse_condition_no_action"), self.tokens[-1], start=pending[1].start)

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
        if (after is not None and after.text in (":", "：")) or (self.skip() or END).kind in ("SEP", "END"):
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
            raise self.fail(Text("parse_entry_opposite_of_what", word=token.text), token)
        if condition["of"] == "signal" and other:
            return other[0] if len(other) == 1 else {"kind": "any", "conditions": other}
        entries = self.rules[f"entry_{side}"]
        crosses = [c for c in entries if c.get("kind") in _FLIPPED]
        if len(entries) != 1 or len(crosses) != 1:
            raise self.fail(Text(f"parse_{side}_entry_not_single_cross", word=token.text), token)
        return {**crosses[0], "kind": _FLIPPED[crosses[0]["kind"]]}

    def _mirror_long_rules(self, token: Token) -> None:
        """'and the opposite for shorts': the short rules are the long rules' mirror image (parse/mirror.py); a text
        with only short rules gets the long ones likewise."""
        longs, shorts = (bool(self.rules[f"entry_{s}"] or self.rules[f"exit_{s}"]) for s in ("long", "short"))
        if longs and shorts:
            raise self.fail(Text("parse_mirror_both_sides", word=token.text), token)
        have, make = ("long", "short") if longs else ("short", "long")
        try:
            for side in ("entry", "exit"):
                self.rules[f"{side}_{make}"] = [mirror_condition(c, self.indicators)
                                                for c in self.rules[f"{side}_{have}"]]
        except MirrorError as exc:
            raise self.fail(Text("parse_word_reason", word=token.text, reason=text_of(exc)), token) from None

    def result(self) -> dict[str, Any]:
        for condition, token in self.sells:
            if self.rules["entry_long"]:
                self.rules["exit_long"].append(condition)
                continue
            from mas.strategy.explain import DescribedCondition

            text = DescribedCondition(condition, self._spec_indicators())
            raise AmbiguityError(Text("parse_sell_no_buy", word=token.text), [
                Text("parse_reading_open_short", condition=text), Text("parse_reading_close_long", condition=text)],
                token.text, token.start, token.end)
        for condition, token in self.exits:
            sides = [side for side in ("long", "short") if self.rules[f"entry_{side}"]]
            if not sides:
                raise self.fail(Text("parse_no_position_to_close", word=token.text), token)
            for side in sides:
                self.rules[f"exit_{side}"].append(condition)
        if not self.rules["entry_long"] and not self.rules["entry_short"]:
            raise ParseError(Text("parse_no_entry_rule"))
        for name in ("entry_long", "entry_short", "exit_long", "exit_short"):
            self.rules[name] = [self._resolve_opposite(name, c) for c in self.rules[name]]
        if self.mirror is not None:
            self._mirror_long_rules(self.mirror)
        for name in ("entry_long", "entry_short", "exit_long", "exit_short"):
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


def _refuse_self_comparison(condition: dict, text: str) -> None:
    """A value compared with or crossing itself is a misreading (e.g. a pronoun taken for the subject)."""
    for child in condition.get("conditions", []):
        _refuse_self_comparison(child, text)
    for key in ("condition", "first", "then"):
        if key in condition:
            _refuse_self_comparison(condition[key], text)
    if "left" in condition and condition["left"] == condition.get("right"):
        raise ParseError(Text("parse_self_comparison", name=describe_ref(condition["left"])), text.strip())


def build_spec(text: str, tokens: list[Token]) -> StrategySpec:
    """The spec the tokens of ``text`` describe; ParseError / AmbiguityError otherwise."""
    grammar = _Grammar(text, tokens)
    grammar.parse()
    try:
        return spec_from_dict(grammar.result())
    except SpecError as exc:
        raise ParseError(Text("parse_invalid_strategy", problems=exc.problems), text.strip()) from None
