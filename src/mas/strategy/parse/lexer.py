"""Text -> tokens: normalisation, longest match over the English and Chinese word lists.

The text is folded (NFKC, lower case, Simplified -> Traditional), keeping for every folded
character the offset of the original one, so errors quote the user's own words. At each
position the longest match among the word lists and the patterns (numbers, times, timeframe
codes, symbols, compact indicator names like ``sma20``) wins; English words match only at word
boundaries. Text that matches nothing is collected as unknown fragments.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from mas.i18n.zh_script import SIMPLIFIED
from mas.strategy.parse import words_en, words_zh
from mas.strategy.spec import TIMEFRAMES

__all__ = ["CURRENCIES", "LEXICON", "Token", "detect_language", "fold", "tokenize"]

CURRENCIES = frozenset({"EUR", "USD", "JPY", "GBP", "CHF", "CAD", "AUD", "NZD", "XAU", "XAG", "SEK", "NOK", "SGD",
                        "HKD", "CNH", "MXN", "ZAR", "TRY", "PLN", "DKK"})
_SEPARATORS = {",": "SEP", ";": "SEP", "。": "SEP", "\n": "SEP", ".": "SEP", "!": "SEP", "?": "SEP", "、": "CONJ",
               "(": "LPAR", ")": "RPAR", "[": "LPAR", "]": "RPAR", ":": "FILLER", "=": "FILLER", '"': "FILLER",
               "'": "FILLER", "「": "FILLER", "」": "FILLER", "『": "FILLER", "』": "FILLER"}
_WORD = re.compile(r"[a-z0-9]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_TF_CODE = re.compile(r"(" + "|".join(sorted((t.lower() for t in TIMEFRAMES), key=len, reverse=True)) + r")")
_TF_SHORT = re.compile(r"(\d+)(h|hr|m|min|d|w)")
_COMPACT = re.compile(r"(sma|ema|wma|ma|rsi|atr|adx|cci|willr|kd|macd|bb)(\d+)")
_PAIR = re.compile(r"([a-z]{3})/?([a-z]{3})")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[零一二兩三四五六七八九十百]+")
_SHORT_UNITS = {"h": "H", "hr": "H", "m": "M", "min": "M", "d": "D", "w": "W"}


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` (ACTION, CMP, NUM, ...), its ``value``, and its span in the original text."""

    kind: str
    value: object
    start: int
    end: int
    text: str


def _build_lexicon() -> dict[str, tuple[str, str]]:
    lexicon: dict[str, tuple[str, str]] = {}
    for table in (words_en.WORDS, words_zh.WORDS):
        for (kind, value), phrases in table.items():
            for phrase in phrases:
                key = fold(phrase)[0]
                if key in lexicon and lexicon[key] != (kind, value):
                    # the package's own word lists disagree: a programmer error, raised at import
                    raise RuntimeError(f"word list conflict: {phrase!r} is {lexicon[key]} and {(kind, value)}")
                lexicon[key] = (kind, value)
    return lexicon


def fold(text: str) -> tuple[str, list[int]]:
    """(folded text, original offset of each folded character); runs of spaces become one space."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for folded in unicodedata.normalize("NFKC", ch).lower():
            folded = SIMPLIFIED.get(folded, folded)
            if folded in " \t\r\u3000":
                if not chars or chars[-1] == " ":
                    continue
                folded = " "
            chars.append(folded)
            origin.append(i)
    return "".join(chars), origin


LEXICON = _build_lexicon()
_BY_FIRST: dict[str, list[str]] = {}
for _phrase in sorted(LEXICON, key=len, reverse=True):
    _BY_FIRST.setdefault(_phrase[0], []).append(_phrase)


def detect_language(text: str) -> str:
    """'en', 'zh-tw' or 'zh-cn': Chinese when the text has CJK characters, Simplified when one of
    them is a Simplified form."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "en"
    return "zh-cn" if any(ch in SIMPLIFIED and SIMPLIFIED[ch] != ch for ch in text) else "zh-tw"


def _char_class(ch: str) -> str:
    return "a" if "a" <= ch <= "z" else "9" if "0" <= ch <= "9" else ""


def _bounded(text: str, start: int, end: int) -> bool:
    """An ASCII word or number must not start or end inside a longer one (``30pips`` splits, ``pipsx`` does not)."""
    first, last = _char_class(text[start]), _char_class(text[end - 1])
    if first and start > 0 and _char_class(text[start - 1]) == first:
        return False
    return not (last and end < len(text) and _char_class(text[end]) == last)


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral up to the hundreds (三十 -> 30, 十四 -> 14), else None."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[ch]
        elif ch in "十百":
            total += (1 if digit is None else digit) * (10 if ch == "十" else 100)
            digit = None
    return total + (digit or 0)


def _candidates(text: str, i: int) -> list[tuple[int, list[tuple[str, object]]]]:
    """(length, [(kind, value), ...]) of every pattern or word that matches at ``i``."""
    found: list[tuple[int, list[tuple[str, object]]]] = []

    def add(match: re.Match | None, tokens: list[tuple[str, object]]) -> None:
        if match is not None and _bounded(text, i, match.end()):
            found.append((match.end() - i, tokens))

    m = _TIME.match(text, i)
    if m:
        add(m, [("TIME", f"{int(m.group(1)):02d}:{m.group(2)}")])
    m = _TF_CODE.match(text, i)
    if m:
        add(m, [("TIMEFRAME", m.group(1).upper())])
    m = _TF_SHORT.match(text, i)
    if m and f"{_SHORT_UNITS[m.group(2)]}{int(m.group(1))}" in TIMEFRAMES:
        add(m, [("TIMEFRAME", f"{_SHORT_UNITS[m.group(2)]}{int(m.group(1))}")])
    m = _COMPACT.match(text, i)
    if m:
        kind = LEXICON[m.group(1)][1]
        add(m, [("IND", kind), ("NUM", float(m.group(2)))])
    m = _PAIR.match(text, i)
    if m and m.group(1).upper() in CURRENCIES and m.group(2).upper() in CURRENCIES:
        add(m, [("SYMBOL", (m.group(1) + m.group(2)).upper())])
    m = _NUMBER.match(text, i)
    if m:
        found.append((m.end() - i, [("NUM", float(m.group()))]))
    if text[i] == "-" and (i == 0 or not (text[i - 1].isascii() and text[i - 1].isalnum()) and text[i - 1] not in
                           ")]%") and _NUMBER.match(text, i + 1):
        m = _NUMBER.match(text, i + 1)
        found.append((m.end() - i, [("NUM", -float(m.group()))]))  # a negative number: "< -100"
    m = _CN_NUMBER.match(text, i)
    if m and chinese_number(m.group()) is not None:
        found.append((m.end() - i, [("NUM", float(chinese_number(m.group()) or 0))]))
    for phrase in _BY_FIRST.get(text[i], ()):
        if text.startswith(phrase, i) and _bounded(text, i, i + len(phrase)):
            found.append((len(phrase), [LEXICON[phrase]]))
            break  # phrases are sorted longest first
    return found


def tokenize(text: str) -> tuple[list[Token], list[tuple[int, int]]]:
    """(tokens, unknown spans in the original text); commas inside parentheses are PCOMMA."""
    folded, origin = fold(text)
    origin.append(len(text))
    tokens: list[Token] = []
    unknown: list[tuple[int, int]] = []
    depth = 0
    i = 0
    while i < len(folded):
        ch = folded[i]
        if ch == " ":
            i += 1
            continue
        found = _candidates(folded, i)
        if found:
            length, parts = max(found, key=lambda item: item[0])  # the first longest: patterns before words
        elif ch in _SEPARATORS:
            kind = _SEPARATORS[ch]
            if kind == "LPAR":
                depth += 1
            elif kind == "RPAR":
                depth = max(0, depth - 1)
            elif ch == "," and depth:
                kind = "PCOMMA"
            value = "and" if kind == "CONJ" else ""
            length, parts = 1, [(kind, value)]
        else:
            end = _unknown_end(folded, i)
            unknown.append((origin[i], origin[end - 1] + 1))
            i = end
            continue
        start, stop = origin[i], origin[i + length - 1] + 1
        for kind, value in parts:
            tokens.append(Token(kind, value, start, stop, text[start:stop]))
        i += length
    return tokens, unknown


def _unknown_end(text: str, i: int) -> int:
    """End of the unreadable run starting at ``i``: a whole ASCII word, or up to the next readable spot."""
    if _WORD.match(text[i]):
        j = i
        while j < len(text) and (_WORD.match(text[j]) or text[j] in "_'"):
            j += 1
        return j
    j = i + 1
    while j < len(text) and text[j] != " " and text[j] not in _SEPARATORS and not _candidates(text, j):
        j += 1
    return j
