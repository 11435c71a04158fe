"""Text (English, Traditional or Simplified Chinese) -> a validated strategy spec, offline and deterministic.

``parse_text("buy when RSI(14) < 30, sell when RSI > 70")`` returns a :class:`ParsedText` with the
spec, the text's language and a plain-language explanation in that language. Text it cannot
read raises :class:`ParseError` quoting the words; text with several readings raises
:class:`AmbiguityError` listing them. See :mod:`mas.strategy.parse.grammar` for what it reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from mas.strategy.parse.errors import AmbiguityError, ParseError
from mas.strategy.parse.grammar import build_spec
from mas.strategy.parse.lexer import detect_language, tokenize
from mas.strategy.spec import StrategySpec

__all__ = ["AmbiguityError", "ParseError", "ParsedText", "parse_text"]

MAX_TEXT = 4000


@dataclass(frozen=True)
class ParsedText:
    spec: StrategySpec
    lang: str
    explanation: str


def parse_text(text: str, lang: str | None = None) -> ParsedText:
    """Parse ``text``; ``lang`` ('en', 'zh-tw', 'zh-cn') only picks the explanation's language."""
    from mas.strategy.explain import explain_spec

    if not isinstance(text, str) or not text.strip():
        raise ParseError("the text is empty: describe when to buy or sell, e.g. 'buy when RSI(14) < 30'")
    if len(text) > MAX_TEXT:
        raise ParseError(f"the text is too long ({len(text)} characters; at most {MAX_TEXT})")
    tokens, unknown = tokenize(text)
    if unknown:
        start, end = unknown[0]
        others = [f'"{text[a:b]}"' for a, b in unknown[1:6]]
        more = f" (also not understood: {', '.join(others)})" if others else ""
        raise ParseError(f'could not read "{text[start:end]}"{more}', text[start:end], start, end)
    spec = build_spec(text, tokens)
    language = lang or detect_language(text)
    return ParsedText(spec, language, explain_spec(spec, language))
