"""Structured descriptions: titles, headings, bullets, and words that do not affect trading.

Before the grammar reads a text, this pass

- blanks list markers and markdown (``-``, ``*``, ``1.``, ``#``, ``**``), keeping every offset;
- refuses by name what would affect trading but a spec cannot express (chart and candlestick
  patterns, Fibonacci, support / resistance, divergence, news, grids, hedging, partial closes,
  break-even stops, indicators it does not have, ...): :func:`refuse_unsupported`;
- drops a title (the first line of a multi-line text, with no rule and no number), sentences about
  the code or the assignment ("implement it in Backtrader", "log each trade") and meta words
  ("create", "Python"), returning them as *not used*; any other unknown word is still refused;
- reads section headings (entry / exit, long / short, indicators, risk): a line under an entry or
  exit heading that states a condition but no action takes the heading's action. Several such
  lines under one entry heading must all hold (``and``); under an exit heading each one exits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mas.i18n.errors import Text
from mas.strategy.parse.errors import ParseError
from mas.strategy.parse.lexer import Token, fold

__all__ = ["arrange", "blank_markers", "refuse_unsupported"]

_MARKER = re.compile(r"^[ \t]*(?:#{1,6}(?=\s)|>(?=\s)|[-*•·+▪►–—](?=\s)|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s)|"
                     r"[（(]\d{1,2}[)）]|\d{1,2}、|[一二三四五六七八九十]{1,3}[、.．])", re.M | re.I)
_EMPHASIS = re.compile(r"\*\*|__|`")
_HEADING_MARK = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|\*\*)")

_UNSUPPORTED: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern), key) for pattern, key in [
    (r"head[- ]and[- ]shoulders?|頭肩", "parse_unsupported_head_shoulders"),
    (r"\b(?:double|triple) (?:tops?|bottoms?)\b|雙頂|雙底|\bm頭|\bw底|\btriangles?\b|\bwedges?\b|\bflags?\b|"
     r"\bpennants?\b|cup and handle|\bchart patterns?\b|三角形|旗形|楔形", "parse_unsupported_chart_patterns"),
    (r"\bcandlestick patterns?\b|\bengulfing\b|\bdojis?\b|\bhammers?\b|\bpin ?bars?\b|shooting stars?|\bharami\b|"
     r"morning stars?|evening stars?|\binside bars?\b|\boutside bars?\b|吞噬|十字星|錘子|錘頭|流星線|晨星|暮星|"
     r"k線形態|k線型態", "parse_unsupported_candlesticks"),
    (r"\bfibonacci\b|\bfibo?\b|斐波那契|黃金分割|費波那契", "parse_unsupported_fibonacci"),
    (r"\bsupports?\b|\bresistances?\b|支撐|壓力位|壓力線|阻力", "parse_unsupported_support_resistance"),
    (r"\bdivergences?\b|背離", "parse_unsupported_divergence"),
    (r"\bstoch(?:astic)?[ -]?rsi\b|\bichimoku\b|一目均衡|\bparabolic\b|\bp?sar\b|\bsupertrend\b|\bvwap\b|"
     r"\bpivot(?: points?)?\b|\bobv\b|on[- ]balance volume|\bkeltner\b|\bdonchian\b|\benvelopes?\b|"
     r"heikin[- ]?ashi|\brenko\b|\bmomentum\b|\bmfi\b|money flow|\baroon\b|\btrix\b|\bzig ?zag\b|\bfractals?\b|"
     r"\balligator\b|\bdmi\b|\bppo\b|rate of change|\bvolume profile\b|乖離|寶塔線|動量|能量潮|樞軸",
     "parse_unsupported_indicator"),
    (r"\bnews\b|economic calendar|\bnfp\b|non[- ]farm|\bfomc\b|新聞|非農|財經日曆", "parse_unsupported_news"),
    (r"\bmartingale\b|馬丁", "parse_unsupported_martingale"),
    (r"\bgrid\b|網格", "parse_unsupported_grid"),
    (r"\bhedg(?:e|es|ed|ing)\b|對沖|鎖倉", "parse_unsupported_hedging"),
    (r"\bpyramid(?:ing)?\b|\bscal(?:e|es|ing) (?:in|into|out)\b|averag(?:e|ing) down|加碼|加倉|攤平",
     "parse_unsupported_pyramiding"),
    (r"\bpartial(?:ly)? (?:close|closes|closing|exit|exits|profits?|take)\b|\bhalf (?:of )?(?:the|my|your) "
     r"position|\bclose half\b|部分平倉|部分出場|平一半|減倉", "parse_unsupported_partial_close"),
    (r"break[- ]?even|保本", "parse_unsupported_break_even"),
    (r"\btrend filter|\btrending markets?|\branging markets?|\bsideways markets?|\bmarket regime|with the trend|"
     r"direction of the (?:main |overall )?trend|趨勢過濾|順勢而為|盤整|震盪市",
     "parse_unsupported_trend_filter"),
    (r"\b(?:higher|lower|multiple|other) time ?frames?\b|\bmulti[- ]time ?frames?\b|多週期|大週期|高週期",
     "parse_unsupported_other_timeframe"),
    (r"\blimit orders?\b|\bstop orders?\b|\bpending orders?\b|\bbuy limit\b|\bsell limit\b|\bbuy stop\b|"
     r"\bsell stop\b|掛單|限價單",
     "parse_unsupported_pending_orders"),
    (r"\bspreads?\b|點差|\bslippage\b|滑價|滑點", "parse_unsupported_spread"),
    (r"\bunits\b|\bcontracts?\b|\bshares\b", "parse_unsupported_units"),
    (r"daily loss|\bdrawdown\b|loss limit|stop trading|每日虧損|回撤", "parse_unsupported_account_limits"),
    (r"end of (?:the )?(?:day|week|session)|before (?:the )?weekend|收盤前|週末前|日終",
     "parse_unsupported_time_exit"),
    (r"\bgaps?\b|跳空", "parse_unsupported_gaps"),
    (r"\b(?:higher|lower) (?:highs?|lows?)\b|\bswing (?:highs?|lows?)\b|\bpullbacks?\b|\bretrace(?:ments?|s)?\b|"
     r"\bbounc(?:e|es|ing)\b|回檔|回調|回踩", "parse_unsupported_price_patterns"),
    (r"\bvolatility\b|波動率", "parse_unsupported_volatility"),
    (r"\bcorrelat\w*|相關性", "parse_unsupported_correlation"),
    (r"machine learning|\bneural\b|\bsentiment\b|機器學習|神經網路|情緒", "parse_unsupported_models"),
    (r"risk[- /]?(?:to[- ])?reward|\br:r\b|\br/r\b|\b1:\d\b|風報比|盈虧比",
     "parse_unsupported_risk_reward"),
    (r"\bre-?enter\w*|\breverse\b(?! (?:cross|crossover|signal))|反手",
     "parse_unsupported_reentry"),
]]

# Words about the code or the assignment: dropped anywhere ("create", "Python").
_META = frozenset("""
assignment homework task exercise project lab lesson tutorial course create write implement implementing implemented
code coding build develop design program programme python backtrader zipline vectorbt mql4 mql5 mt4 mt5 metatrader
metatrader4 metatrader5 pine pinescript tradingview script class function module library framework backtest
backtesting backtested simple basic classic classical standard typical popular famous well-known common sample
example following described description overview summary notes note title version author goal objective idea logic
system approach method algorithm algorithmic algo bot ea robot automated automatic automatically simply basically
named called here now kindly our your you me us let's let lets must can may shall need needs required rules rule
conditions condition met satisfied true following: a.k.a aka
""".split())
# Words that may make up a sentence that is not about trading at all ("It uses two indicators."):
# such a sentence is dropped whole; inside a trading sentence these words are refused.
_SOFT = frozenset("""
as uses used two three one four five both components component consists consist combines combine combination based
designed suitable beginners beginner traders trader people student students is are was will who what how why very
well good nice easy known make makes sure correctly properly results result performance metrics statistics stats
report reports plot plots file files csv json output outputs console log logs logging print prints record records save
saves store track tracks display show shows visualize visualise draw comment comments document documentation explain
explanation describe describes submit submission deadline due deliverables requirements requirement include includes
including clean readable reproducible configurable adjustable test tests tested unit data dataset historical history
should please more details information idea ideas signals it's this these those them their there
""".split()) | _META
# A sentence that starts with one of these is about reporting, not trading: dropped whole.
_REPORTING = frozenset("""
log logs print prints record records plot plots save saves store export output display show visualize visualise draw
track report comment document explain describe submit send email notify alert
""".split())
# "Assignment 3", "Step 2": a counter and its number.
_COUNTERS = frozenset("assignment homework task exercise project lab lesson part step version question problem "
                      "chapter".split())
_META_ZH = ("作業", "功課", "練習", "任務", "專題", "請寫", "撰寫", "編寫", "寫一個", "寫", "實作", "實現", "實做",
            "程式碼", "程式", "代碼", "程序", "腳本", "回測", "簡單", "經典", "基本", "範例", "示例", "系統", "邏輯",
            "機器人", "自動化", "自動", "說明", "描述", "標題", "名稱", "概述", "簡介", "一個", "一套", "我們", "你",
            "您", "需要", "必須", "應該", "可以", "能夠", "規則", "一下", "以下是", "如下是", "並")
_REPORTING_ZH = ("記錄", "紀錄", "輸出", "印出", "列印", "打印", "繪製", "畫出", "顯示", "保存", "儲存", "報告", "通知",
                 "提醒")

_TRADING = frozenset({"ACTION", "CMP", "PRICE_CMP", "CROSS", "GCROSS", "STATE", "TREND", "BETWEEN", "NUM", "IND",
                      "OUTPUT", "RISK", "UNIT", "SYMBOL", "CUR", "TIMEFRAME", "SESSION", "WEEKDAY", "TIME", "TOUCH",
                      "HIGHEST", "LOWEST", "ZERO", "NOT", "EXCEPT", "CMP_POST", "PERCENT_OF", "HOLD_END", "PREV",
                      "INAROW", "OPPOSITE", "DIR", "NAME", "PARAMKW", "BETWEEN_END", "PRICE"})
_CONTEXT = frozenset({"SYMBOL", "CUR", "TIMEFRAME", "SESSION", "WEEKDAY", "TIME", "EXCEPT", "RISK", "UNIT", "NUM",
                      "PERCENT_OF", "HOLD_END"})
_HEADING_KINDS = frozenset({"FILLER", "CHART", "ACTION", "CONJ", "LPAR", "RPAR", "PAIRSEP"})
_PREDICATES = frozenset({"CMP", "PRICE_CMP", "CROSS", "GCROSS", "STATE", "TREND", "BETWEEN", "TOUCH", "CMP_POST",
                         "OPPOSITE", "DIR"})
_STARTERS = frozenset({"IND", "PRICE", "OUTPUT", "NUM", "PRONOUN", "GCROSS", "NOT", "HIGHEST", "LOWEST", "PREV",
                       "ZERO", "NAME", "OPPOSITE", "FOR", "CMP", "CROSS", "PRICE_CMP", "TOUCH", "STATE", "TREND",
                       "DIR"})
_TITLE_WORDS = re.compile(r"\b(?:strategy|system|cross|crossover|method|approach|bot|ea|model|setup|trading|reversal|"
                          r"reversion|breakout|following|scalping|swing)\b|策略|系統|交易法|方法")
_SENTENCE_ENDS = frozenset({".", ";", "\n", "。", "；", "!", "?", "！", "？"})
_CLAUSE_ENDS = _SENTENCE_ENDS | {",", "，"}


def blank_markers(text: str) -> str:
    """``text`` with list markers and markdown emphasis replaced by spaces (same length, same offsets)."""
    def spaces(match: re.Match[str]) -> str:
        return " " * len(match.group())

    return _EMPHASIS.sub(spaces, _MARKER.sub(spaces, text))


def _reason(key: str) -> Text:
    """The refusal ``key`` of :data:`_UNSUPPORTED` as a text."""
    if key == "parse_unsupported_indicator":
        return Text(key, indicators=Text("parse_indicators_we_have"))
    return Text(key)


def refuse_unsupported(text: str) -> None:
    """ParseError naming the first thing in ``text`` that would affect trading but a spec cannot express."""
    folded, origin = fold(text)
    origin.append(len(text))
    found = [(m.start(), m.end(), _reason(key)) for pattern, key in _UNSUPPORTED
             for m in [pattern.search(folded)] if m is not None]
    if found:
        start, end, reason = min(found)
        begin, stop = origin[start], origin[end - 1] + 1
        raise ParseError(Text("parse_word_reason", word=text[begin:stop], reason=reason), text[begin:stop], begin, stop)


@dataclass
class _Item:
    """A token, or an unknown span (token None)."""

    start: int
    end: int
    token: Token | None
    line: int


def _section_of(label: str) -> str | None:
    """What a heading announces: entry_long, entry_short, entry, sell, exit_long, exit_short, exit_any,
    indicators, risk, other; None when it is not a section word."""
    text = fold(label)[0]
    exits = re.search(r"\b(?:exits?|exiting|clos(?:e|es|ing)|take profits?)\b|出場|離場|平倉|退場", text)
    entry = re.search(r"\b(?:entry|entries|enter|entering|open|opening|setups?|signals?|triggers?)\b|"
                      r"進場|入場|開倉|建倉|訊號|信號", text)
    long_ = re.search(r"\b(?:long|longs|buy|buying|bullish)\b|多|買", text)
    short = re.search(r"\b(?:short|shorts|shorting|bearish)\b|空", text)
    sell = re.search(r"\bsell(?:ing)?\b|賣", text)
    if exits and entry:
        return "other"
    if exits:
        return "exit_long" if long_ and not short else "exit_short" if short and not long_ else "exit_any"
    if entry or long_ or short or sell:
        if long_ and not short and not sell:
            return "entry_long"
        if short and not long_:
            return "entry_short"
        if sell and not long_ and not short:
            return "sell"
        return "entry"
    if re.search(r"\b(?:indicators?|inputs?|parameters?|settings?)\b|指標|參數", text):
        return "indicators"
    if re.search(r"\brisk\b|money management|position sizing|\bsizing\b|\bstops?\b|\btargets?\b|資金管理|風險|風控|"
                 r"倉位|停損|止損|停利|止盈", text):
        return "risk"
    if re.search(r"\b(?:overview|description|summary|notes?|background|introduction|idea|logic|rules|strategy|"
                 r"conditions|objective|goal|requirements?|deliverables?|instructions?|details|general|context|"
                 r"market|instrument|timeframe|filters?)\b|說明|描述|概述|簡介|規則|策略|條件|要求|備註|背景", text):
        return "other"
    return None


_IMPLIED = frozenset({"entry", "entry_long", "entry_short", "sell", "exit_long", "exit_short", "exit_any"})
"""Sections whose condition lines take the heading's action (the grammar's ACTION values; "entry" has no side)."""


class _Layout:
    def __init__(self, text: str, tokens: list[Token], unknown: list[tuple[int, int]]) -> None:
        self.text = text
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.line_starts = starts

        def line_of(offset: int) -> int:
            lo, hi = 0, len(starts) - 1
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if starts[mid] <= offset:
                    lo = mid
                else:
                    hi = mid - 1
            return lo

        items = [_Item(t.start, t.end, t, line_of(t.start)) for t in tokens]
        items += [_Item(a, b, None, line_of(a)) for a, b in unknown]
        self.items = sorted(items, key=lambda item: (item.start, item.token is None))
        self.not_used: list[tuple[int, str]] = []  # (offset, fragment)
        self.dropped: set[int] = set()  # ids of dropped items

    # ------------------------------------------------------------------ helpers
    def word(self, item: _Item) -> str:
        return fold(self.text[item.start:item.end])[0].strip()

    def is_sep(self, item: _Item, ends: frozenset[str]) -> bool:
        return item.token is not None and item.token.kind == "SEP" and item.token.text in ends

    def drop(self, items: list[_Item], record: bool) -> None:
        live = [i for i in items if id(i) not in self.dropped]
        for item in live:
            self.dropped.add(id(item))
        if record and live:
            fragment = self.text[live[0].start:live[-1].end].strip(" \t,;:.，；：。")
            if fragment:
                self.not_used.append((live[0].start, fragment))

    def _meta(self, word: str, table: frozenset[str], zh: tuple[str, ...]) -> bool:
        if word in table or word.rstrip(":") in table:
            return True
        return bool(word) and _segments(word, zh)

    # ------------------------------------------------------------------ passes
    def counters(self) -> None:
        """'Assignment 3', 'Step 2': drop the counter word and its number."""
        for a, b in zip(self.items, self.items[1:], strict=False):
            if a.token is None and self.word(a) in _COUNTERS and b.token is not None and b.token.kind == "NUM" \
                    and a.line == b.line:
                self.drop([a, b], record=True)

    def lines(self) -> list[list[_Item]]:
        grouped: dict[int, list[_Item]] = {}
        for item in self.items:
            if id(item) not in self.dropped:
                grouped.setdefault(item.line, []).append(item)
        return [grouped[k] for k in sorted(grouped)]

    def headings(self) -> dict[int, tuple[str, int, int]]:
        """Drop titles and headings; the section (name, heading span) in force on each line."""
        sections: dict[int, tuple[str, int, int]] = {}
        current: tuple[str, int, int] | None = None
        lines = [line for line in self.lines() if any(not self.is_sep(i, _SENTENCE_ENDS) for i in line)]
        for index, line in enumerate(lines):
            body = [i for i in line if not self.is_sep(i, _SENTENCE_ENDS)]
            start, end = body[0].start, body[-1].end
            raw = self.text[self.line_starts[line[0].line]:end]
            colon = next((i for i, item in enumerate(body) if item.token is not None and item.token.text in
                          (":", "：")), None)
            kinds = {i.token.kind for i in body if i.token is not None}
            label_items = body if colon is None else body[:colon]
            label_kinds = {i.token.kind for i in label_items if i.token is not None}
            label = self.text[label_items[0].start:label_items[-1].end] if label_items else ""
            section = _section_of(label) if label_items else None
            plain = not (label_kinds & (_PREDICATES | {"NUM"}))
            whole = colon is not None and colon == len(body) - 1
            marked = bool(_HEADING_MARK.match(raw))  # "## Exit", "**Risk**"
            if marked and colon is None and not kinds & {"CMP", "PRICE_CMP", "CMP_POST", "BETWEEN", "TOUCH"}:
                plain = True  # "# EMA cross": a markdown heading names, it does not state a rule
            # "Enter only during the London session." is a rule; "## Risk" / "Risk management:" a heading
            plain = plain and not label_kinds & (_CONTEXT - ({"RISK"} if marked or whole else set()))
            if len(lines) > 1 and plain and len(label_items) <= 10 and (whole or (marked and colon is None) or (
                    colon is None and section is not None and len(body) <= 6 and label_kinds <= _HEADING_KINDS)):
                current = (section or "other", start, end)
                title = index == 0 and colon is None and section in (None, "other")
                self.drop(label_items if colon is None else body, record=title)
                continue
            if colon is not None and plain and "RISK" not in label_kinds and label_items and len(label_items) <= 6 \
                    and section is not None and section != "risk":
                current = (section, label_items[0].start, body[colon].end)
                self.drop(body[: colon + 1], record=False)
            elif index == 0 and len(lines) > 1 and colon is None and not (kinds & _CONTEXT) and not (kinds & {
                    "ACTION", "CMP", "PRICE_CMP", "CMP_POST", "BETWEEN", "TOUCH"}) and (
                    not kinds & _PREDICATES or _TITLE_WORDS.search(fold(raw)[0])):
                self.drop(body, record=True)  # a title
                continue
            if current is not None:
                sections[line[0].line] = current
        return sections

    def clauses(self) -> None:
        """Drop sentences about reporting and meta words; refuse any other unknown word."""
        live = [i for i in self.items if id(i) not in self.dropped]
        sentences: list[list[_Item]] = [[]]
        for item in live:
            sentences[-1].append(item)
            if self.is_sep(item, _SENTENCE_ENDS):
                sentences.append([])
        refused: list[_Item] = []
        for sentence in sentences:
            words = [i for i in sentence if i.token is None or i.token.kind not in ("FILLER", "SEP", "CHART")]
            if words and words[0].token is None and self._meta(self.word(words[0]), _REPORTING, _REPORTING_ZH) \
                    and not any(i.token is not None and i.token.kind == "ACTION" for i in sentence):
                self.drop([i for i in sentence if not self.is_sep(i, _SENTENCE_ENDS)], record=True)
                continue
            clauses: list[list[_Item]] = [[]]
            for item in sentence:
                if self.is_sep(item, _CLAUSE_ENDS):
                    clauses.append([])
                else:
                    clauses[-1].append(item)
            for clause in clauses:
                unknown = [i for i in clause if i.token is None]
                if not unknown:
                    continue
                trading = any(i.token is not None and i.token.kind in _TRADING for i in clause)
                if not trading:
                    bad = [i for i in unknown if not self._meta(self.word(i), _SOFT, _META_ZH + _REPORTING_ZH)]
                    if bad:
                        refused.extend(bad)
                    else:
                        self.drop(clause, record=True)
                    continue
                bad = [i for i in unknown if not self._meta(self.word(i), _META, _META_ZH)]
                refused.extend(bad)
                for item in unknown:
                    if item not in bad:
                        self.drop([item], record=True)
        if refused:
            refused.sort(key=lambda i: i.start)
            first = refused[0]
            others = ", ".join(f'"{self.text[i.start:i.end]}"' for i in refused[1:6])
            fragment = self.text[first.start:first.end]
            message = Text("parse_not_read_more", word=fragment, others=others) if others else \
                Text("parse_not_read", word=fragment)
            raise ParseError(message, fragment, first.start, first.end)

    def actions(self, sections: dict[int, tuple[str, int, int]]) -> list[Token]:
        """The tokens left, with the heading's action before a condition line that has none."""
        out: list[Token] = []
        previous: tuple[str, int, int] | None = None  # the entry section whose last line got an implied action
        for line in self.lines():
            tokens = [i.token for i in line if i.token is not None]
            section = sections.get(line[0].line)
            insert = None
            if section is not None and section[0] in _IMPLIED and self._condition_line(tokens):
                name, start, end = section
                if name == "entry":
                    raise ParseError(Text("parse_long_or_short", word=self.text[start:end]), self.text[start:end],
                                     start, end)
                first = next(t for t in tokens if t.kind not in ("SEP", "FILLER", "CHART"))
                if name.startswith("entry") and previous == section:
                    insert = Token("CONJ", "and", first.start, first.start, "")
                else:
                    insert = Token("ACTION", name, start, end, self.text[start:end])
                previous = section if name.startswith("entry") else None
            elif any(t.kind == "ACTION" for t in tokens):
                previous = None
            for token in tokens:
                if insert is not None and token.kind not in ("SEP", "FILLER", "CHART"):
                    out.append(insert)
                    insert = None
                out.append(token)
        return out

    @staticmethod
    def _condition_line(tokens: list[Token]) -> bool:
        kinds = [t.kind for t in tokens]
        if not set(kinds) & _PREDICATES:
            return False
        prices = set()  # "close" followed by a comparison is the closing price, not the action
        for i, token in enumerate(tokens):
            if token.kind == "ACTION":
                after = tokens[i + 1] if i + 1 < len(tokens) else None
                if not (token.text.lower() == "close" and after is not None and after.kind in _PREDICATES):
                    return False
                prices.add(i)
        first = next((i for i, t in enumerate(tokens) if t.kind not in ("SEP", "FILLER", "CHART")), None)
        return first is not None and (tokens[first].kind in _STARTERS or first in prices)


def _segments(word: str, table: tuple[str, ...]) -> bool:
    """True when ``word`` (CJK) is made of words of ``table`` only."""
    if not word or not any("\u4e00" <= ch <= "\u9fff" for ch in word):
        return False
    i = 0
    while i < len(word):
        match = next((w for w in sorted(table, key=len, reverse=True) if word.startswith(w, i)), None)
        if match is None:
            return False
        i += len(match)
    return True


def arrange(text: str, tokens: list[Token], unknown: list[tuple[int, int]]) -> tuple[list[Token], list[str]]:
    """(the tokens the grammar reads, the fragments not used); ParseError for an unknown word that matters."""
    layout = _Layout(text, tokens, unknown)
    layout.counters()
    sections = layout.headings()
    layout.clauses()
    return layout.actions(sections), [fragment for _, fragment in sorted(layout.not_used)]
