"""Text (English, Traditional or Simplified Chinese) -> a validated strategy spec, offline and deterministic.

``parse_text("buy when RSI(14) < 30, sell when RSI > 70")`` returns a :class:`ParsedText` with the
spec, the text's language, a plain-language explanation in that language and the fragments of the
text that do not affect trading (a title, "implement it in Backtrader"), which it lists as not used.
Text it cannot read raises :class:`ParseError` quoting the words; what would affect trading but a
spec cannot express is refused by name; text with several readings raises :class:`AmbiguityError`
listing them. See :mod:`mas.strategy.parse.layout` for structured descriptions (headings, bullets)
and :mod:`mas.strategy.parse.grammar` for what it reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from mas.i18n.errors import Text
from mas.strategy.parse.errors import AmbiguityError, ParseError
from mas.strategy.parse.grammar import build_spec
from mas.strategy.parse.layout import arrange, blank_markers, refuse_unsupported
from mas.strategy.parse.lexer import detect_language, tokenize
from mas.strategy.spec import StrategySpec

__all__ = ["AmbiguityError", "ParseError", "ParsedText", "parse_text"]

MAX_TEXT = 4000


@dataclass(frozen=True)
class ParsedText:
    """What the parser read in a text: the spec, the text's language, the explanation and the words not used."""
    spec: StrategySpec
    lang: str
    explanation: str
    not_used: tuple[str, ...] = ()


def parse_text(text: str, lang: str | None = None) -> ParsedText:
    """Parse ``text``; ``lang`` ('en', 'zh-tw', 'zh-cn') only picks the explanation's language."""
    from mas.strategy.explain import explain_spec, not_used_line

    if not isinstance(text, str) or not text.strip():
        raise ParseError(Text("parse_text_empty"))
    if len(text) > MAX_TEXT:
        raise ParseError(Text("parse_text_too_long", length=len(text), limit=MAX_TEXT))
    clean = blank_markers(text)  # same length: offsets still point into the user's text
    refuse_unsupported(text)
    tokens, not_used = arrange(text, *tokenize(clean))
    spec = build_spec(text, tokens)
    language = lang or detect_language(text)
    explanation = explain_spec(spec, language)
    if not_used:
        explanation += "\n" + not_used_line(not_used, language)
    return ParsedText(spec, language, explanation, tuple(not_used))
