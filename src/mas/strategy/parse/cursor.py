"""The grammar's reading state and token cursor, shared by the readers of operands, conditions, risk and context.

:class:`Cursor` holds what a text has declared so far (indicators, rules, risk, context, the previous subject
and object that pronouns refer to) and moves over the tokens; :class:`Operand` is one value a condition reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mas.i18n.errors import Text
from mas.strategy.parse.errors import ParseError
from mas.strategy.parse.lexer import Token

SKIP = frozenset({"FILLER", "CHART", "THEN"})
"""Glue words the cursor steps over."""
STOP = frozenset({"SEP", "ACTION", "RISK", "TIMEFRAME", "SYMBOL", "SESSION", "WEEKDAY", "HOLD_END", "CUR", "TIME",
                  "EXCEPT", "TZ", "MIRROR"})
"""Tokens that end a condition."""
END = Token("END", "", 0, 0, "")
"""Stands for the end of the text where a token is expected."""


@dataclass
class Operand:
    """One value a condition reads: its spec reference (an indicator line, a price or a number) and origin."""

    ref: str | float | dict
    kind: str  # an indicator kind, "price", "const" or "expr" (arithmetic: ref is a spec ``Sum``)
    period: int | None = None
    output: str | None = None
    indicator: str | None = None
    from_pronoun: bool = False
    implicit: bool = False  # not in the text: "跌破下軌" (the price), "高於70時賣出" (the previous subject)


def number_text(value: float) -> str:
    """``value`` as short text (``30``, ``0.5``)."""
    return f"{value:g}"


def describe_ref(ref: str | float) -> str:
    """A spec reference as the explanation writes it (numbers without a trailing .0)."""
    return number_text(ref) if isinstance(ref, float) else str(ref)


class Cursor:
    """The tokens of one text, the position in them and what the text has said so far."""

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
        self.param_source: str | None = None  # "SMA(volume, 20)": the price field in the parentheses
        self.symbol: str | None = None
        self.timeframe: str | None = None
        self.last_subject: Operand | None = None
        self.last_object: Operand | None = None
        self.subject: Operand | None = None
        self.previous_subject: Operand | None = None
        self.last_by_kind: dict[str, Operand] = {}
        self.last_rule: tuple[list[dict], int] | None = None
        self.mirror: Token | None = None  # "and the opposite for shorts": the short rules mirror the long ones
        self.last_cross: tuple[Operand, Operand | None] | None = None
        self._in_subject = False
        self.named: dict[tuple[str, str], Operand] = {}  # ("fast", "ema") -> the fast EMA the text declared
        self.explicit: dict[str, list[str]] = {}  # kind -> ids given with settings, in order
        self.defaulted: dict[str, str] = {}  # kind -> id a bare mention was read as (standard settings)

    # ------------------------------------------------------------------ token helpers
    def peek(self, offset: int = 0) -> Token | None:
        """The token ``offset`` places ahead, or None past the end."""
        i = self.pos + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def skip(self) -> Token | None:
        """Skip glue words; the next token (not consumed)."""
        while self.pos < len(self.tokens) and self.tokens[self.pos].kind in SKIP:
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
        """A ParseError with ``message`` quoting the text of ``token`` (the last one by default)."""
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

    def whole(self, token: Token, what: str) -> int:
        """``token``'s number as a whole number of at least 1 (a ParseError naming ``what`` otherwise)."""
        value = float(token.value)  # type: ignore[arg-type]
        if not value.is_integer() or value < 1:
            raise self.fail(Text("parse_whole_number", word=token.text, what=what), token)
        return int(value)

    def whole_value(self, value: float, token: Token) -> int:
        """``value`` as a period: a whole number of at least 1 (a ParseError quoting ``token`` otherwise)."""
        if not float(value).is_integer() or value < 1:
            raise self.fail(Text("parse_period_whole", word=token.text, value=f"{value:g}"), token)
        return int(value)

    def _consume_word(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token.text.lower() == word:
            self.pos += 1
            return True
        return False

    def _register(self, ident: str, settings: dict[str, Any]) -> str:
        self.indicators.setdefault(ident, {"id": ident, **settings})
        return ident

    def _spec_indicators(self) -> list[dict]:
        return [self.indicators[k] for k in sorted(self.indicators)]
