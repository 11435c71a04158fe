"""A spec in plain words, in English, Traditional or Simplified Chinese.

The words are ones the text parser reads back: parsing an explanation gives the spec again
(except a few forms the grammar has no words for, e.g. a value N bars ago other than 1).
"""

from __future__ import annotations

from typing import Any

from mas.i18n.errors import Text
from mas.i18n.zh_script import SIMPLIFIED
from mas.strategy.spec import StrategySpec, parse_operand

__all__ = ["DescribedCondition", "describe_condition", "explain_spec", "not_used_line"]

_TRADITIONAL_TO_SIMPLIFIED = {traditional: simple for simple, traditional in SIMPLIFIED.items()
                              if simple != traditional and simple not in "帐"}
_KIND_NAMES = {"sma": "SMA", "ema": "EMA", "wma": "WMA", "rsi": "RSI", "macd": "MACD", "bbands": "Bollinger",
               "kd": "KD", "stoch": "Stochastic", "atr": "ATR", "adx": "ADX", "cci": "CCI", "willr": "Williams %R"}
_OUTPUTS = {
    "en": {"line": "line", "signal": "signal line", "hist": "histogram", "upper": "upper band",
           "middle": "middle band", "lower": "lower band", "k": "K", "d": "D"},
    "zh": {"line": "快線", "signal": "訊號線", "hist": "柱狀圖", "upper": "上軌", "middle": "中軌", "lower": "下軌",
           "k": "K值", "d": "D值"},
}
_PRICES = {"en": {"open": "the open", "high": "the high", "low": "the low", "close": "the close",
                  "volume": "the volume"},
           "zh": {"open": "開盤價", "high": "最高價", "low": "最低價", "close": "收盤價", "volume": "成交量"}}
_OPS = {"en": {"<": "is below", "<=": "is at or below", ">": "is above", ">=": "is at or above"},
        "zh": {"<": "低於", "<=": "小於等於", ">": "高於", ">=": "大於等於"}}
_PHRASES = {
    "en": {"crosses_above": "{left} crosses above {right}", "crosses_below": "{left} crosses below {right}",
           "between": "{value} is between {low} and {high}", "rising": "{value} is rising over {bars} bars",
           "falling": "{value} is falling over {bars} bars", "rising1": "{value} is rising",
           "falling1": "{value} is falling", "for_bars": "{inner} for {bars} bars in a row",
           "not": "not ({inner})", "not1": "not {inner}", "and": " and ", "or": " or ",
           "ago": "{name} {bars} bar(s) ago", "previous": "the previous bar's {name}",
           "sequence": "{first} and then {then} within {within} bars", "times": "{times} x {name}",
           "plus": " + ", "minus": " - "},
    "zh": {"crosses_above": "{left}向上穿越{right}", "crosses_below": "{left}向下跌破{right}",
           "between": "{value}介於{low}和{high}之間", "rising": "{value}高於{bars}根K棒前",
           "falling": "{value}低於{bars}根K棒前", "rising1": "{value}上升", "falling1": "{value}下降",
           "for_bars": "連續{bars}根K棒{inner}", "not": "並非（{inner}）", "not1": "不是{inner}",
           "and": "且", "or": "或", "ago": "{bars}根K棒前的{name}", "previous": "前一根K棒的{name}",
           "sequence": "{first}之後{within}根K棒內{then}", "times": "{times}倍{name}", "plus": "加", "minus": "減"},
}
_RULES = {
    "en": {"entry_long": "Buy (go long) when {c}.", "exit_long": "Close the long position when {c}.",
           "entry_short": "Sell short when {c}.", "exit_short": "Cover (close) the short position when {c}."},
    "zh": {"entry_long": "當{c}時買進做多。", "exit_long": "當{c}時多單平倉。", "entry_short": "當{c}時做空。",
           "exit_short": "當{c}時空單回補平倉。"},
}
_UNITS = {"en": {"pips": "{v} pips", "points": "{v} points", "percent": "{v}% of the entry price",
                 "atr": "{v} x ATR({p})"},
          "zh": {"pips": "{v}點", "points": "{v}個最小跳動點", "percent": "進場價的{v}%", "atr": "{v}倍ATR({p})"}}
_DAYS = {"en": dict(zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)),
         "zh": dict(zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                        ("週一", "週二", "週三", "週四", "週五", "週六", "週日"), strict=True))}


_MAINLAND_WORDS = {"停損": "止損", "停利": "止盈", "訊號線": "信號線", "買進": "買入"}


def _to_simplified(text: str) -> str:
    """Traditional -> Simplified: the mainland word where it differs, then character by character."""
    for taiwan, mainland in _MAINLAND_WORDS.items():
        text = text.replace(taiwan, mainland)
    return "".join(_TRADITIONAL_TO_SIMPLIFIED.get(ch, ch) for ch in text)


def _table(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def _num(value: float) -> str:
    return f"{value:g}"


def _indicator_name(settings: dict[str, Any], lang: str) -> str:
    kind = settings["kind"]
    if kind in ("highest", "lowest"):
        source = settings.get("source") or ("high" if kind == "highest" else "low")
        if lang == "en":
            return f"the {kind} {source} of {settings['period']} bars"
        return f"{settings['period']}根K棒的{_extreme_zh(kind, source)}"
    if kind == "sma" and settings.get("source") == "volume":  # what "20-bar average volume" reads as
        return f"the {settings['period']}-bar average volume" if lang == "en" else f"{settings['period']}日均量"
    numbers = [settings[k] for k in ("period", "fast", "slow", "signal", "nbdev", "k_smooth", "d_smooth", "fastk",
                                     "slowk", "slowd") if k in settings]
    name = f"{_KIND_NAMES[kind]}({', '.join(_num(n) for n in numbers)})"
    if settings.get("source", "close") != "close":
        source = settings["source"]
        name = f"{name} of {_PRICES['en'][source]}" if lang == "en" else f"{_PRICES['zh'][source]}的{name}"
    return name


def _sum(ref: dict[str, Any], indicators: dict[str, dict[str, Any]], table: str) -> str:
    """'SMA(20) + 2 x ATR(14)', '1.5倍20日均量': each term (its multiplier when not 1), then the constant."""
    phrases = _PHRASES[table]
    text = ""
    for i, term in enumerate(ref["terms"]):
        times = term.get("times", 1.0)
        if i:
            text += phrases["plus" if times > 0 else "minus"]
            times = abs(times)
        name = _operand(term["operand"], indicators, table)
        text += name if times == 1 else phrases["times"].format(times=_num(times), name=name)
    plus = ref.get("plus", 0.0)
    if plus:
        text += phrases["plus" if plus > 0 else "minus"] + _num(abs(plus))
    return text


def _operand(ref: Any, indicators: dict[str, dict[str, Any]], lang: str) -> str:
    table = _table(lang)
    if isinstance(ref, (int, float)):
        return _num(ref)
    if isinstance(ref, dict):
        return _sum(ref, indicators, table)
    name, output, back = parse_operand(ref)
    settings = indicators.get(name, {})
    if settings.get("kind") in ("highest", "lowest") and back == 1:  # an "N-bar high / low"
        kind, period = settings["kind"], settings["period"]
        source = settings.get("source") or ("high" if kind == "highest" else "low")
        if table == "en":
            return f"the {kind} {source} of the previous {period} bars"
        return f"前{period}根K棒的{_extreme_zh(kind, source)}"
    if name in indicators:
        text = _indicator_name(indicators[name], lang)
        if output is not None:
            text = f"the {text} {_OUTPUTS['en'][output]}" if table == "en" else f"{text}{_OUTPUTS['zh'][output]}"
    else:
        text = _PRICES[table][name]
    if back == 1:
        return _PHRASES[table]["previous"].format(name=text)
    return _PHRASES[table]["ago"].format(name=text, bars=back) if back else text


def describe_condition(condition: Any, indicators: Any, lang: str = "en") -> str:
    """A condition (a model or its dict) in plain words; ``indicators`` are the spec's (models or dicts)."""
    table = _table(lang)
    known = {}
    for item in indicators:
        data = item if isinstance(item, dict) else item.model_dump()
        known[data["id"]] = data
    text = _describe(condition if isinstance(condition, dict) else condition.model_dump(), known, table)
    return _to_simplified(text) if lang == "zh-cn" else text


class DescribedCondition(Text):
    """A condition in plain words as a :class:`~mas.i18n.Text`: English by ``str()``, the explanation's words in
    another language by ``in_lang`` (so a message quoting it, e.g. a reading of an ambiguous text, is translated
    whole)."""

    condition: Any
    indicators: Any

    def __new__(cls, condition: Any, indicators: Any) -> DescribedCondition:  # noqa: D102 - the class says it
        text = str.__new__(cls, describe_condition(condition, indicators, "en"))
        text.key, text.values, text.parts, text.separator = "", {}, (), ""
        text.condition, text.indicators = condition, indicators
        return text

    def in_lang(self, lang: str) -> str:
        """The condition described in ``lang`` ('en', 'zh-tw' or 'zh-cn')."""
        return describe_condition(self.condition, self.indicators, lang)

    def __reduce__(self) -> tuple:
        return (DescribedCondition, (self.condition, self.indicators))


def _describe(c: dict[str, Any], indicators: dict[str, dict[str, Any]], table: str) -> str:
    def op(ref: Any) -> str:
        return _operand(ref, indicators, table)

    kind = c["kind"]
    phrases = _PHRASES[table]
    if kind == "compare":
        separator = " " if table == "en" else ""
        return f"{op(c['left'])}{separator}{_OPS[table][c['op']]}{separator}{op(c['right'])}"
    if kind in ("crosses_above", "crosses_below"):
        return phrases[kind].format(left=op(c["left"]), right=op(c["right"]))
    if kind == "between":
        return phrases[kind].format(value=op(c["value"]), low=op(c["low"]), high=op(c["high"]))
    if kind in ("rising", "falling"):
        bars = c.get("bars", 1)
        return phrases[kind if bars != 1 else f"{kind}1"].format(value=op(c["value"]), bars=bars)
    if kind == "for_bars":
        return phrases[kind].format(inner=_describe(c["condition"], indicators, table), bars=c["bars"])
    if kind == "sequence":  # a compound step in brackets: the parser refuses it rather than regroup it
        first, then = (_describe(c[x], indicators, table) for x in ("first", "then"))
        first, then = (f"({text})" if c[x]["kind"] in ("all", "any", "sequence", "not", "for_bars") else text
                       for text, x in ((first, "first"), (then, "then")))
        return phrases[kind].format(first=first, then=then, within=c["within"])
    if kind == "not":
        simple = c["condition"]["kind"] not in ("all", "any", "not", "for_bars")
        return phrases["not1" if simple else kind].format(inner=_describe(c["condition"], indicators, table))
    joiner = phrases["and" if kind == "all" else "or"]
    parts = [_describe(child, indicators, table) for child in c["conditions"]]
    parts = [f"({p})" if child["kind"] in ("all", "any", "sequence") else p
             for p, child in zip(parts, c["conditions"], strict=True)]
    return joiner.join(parts)


def _distance(distance: Any, lang: str) -> str:
    return _UNITS[_table(lang)][distance.unit].format(v=_num(distance.value), p=distance.atr_period)


def explain_spec(spec: StrategySpec, lang: str = "en") -> str:
    """Every rule, risk setting and filter of ``spec``, one sentence a line."""
    table = _table(lang)
    zh = table == "zh"
    lines = []
    where = [x for x in (spec.symbol, spec.timeframe) if x]
    if where:
        lines.append(("交易 " if zh else "Trade ") + " ".join(where) + ("。" if zh else "."))
    for name, condition in spec.rules().items():
        lines.append(_RULES[table][name].format(c=_describe(condition.model_dump(), _indicator_map(spec), table)))
    risk = spec.risk
    if risk.risk_percent is not None:
        lines.append(f"每筆交易以停損計算的風險為淨值的 {_num(risk.risk_percent)}%。" if zh else
                     f"Risk {_num(risk.risk_percent)}% of equity per trade at the stop loss.")
    else:
        lines.append(f"每筆 {_num(risk.lots)} 手。" if zh else f"Trade {_num(risk.lots)} lots per position.")
    for field, en, tw in (("stop_loss", "Stop loss", "停損"), ("take_profit", "Take profit", "停利"),
                          ("trailing_stop", "Trailing stop", "移動停損")):
        distance = getattr(risk, field)
        if distance is not None:
            lines.append(f"{tw}：{_distance(distance, lang)}。" if zh else f"{en}: {_distance(distance, lang)}.")
    if risk.exit_after_bars is not None:
        lines.append(f"持有 {risk.exit_after_bars} 根K棒後出場。" if zh else
                     f"Exit after {risk.exit_after_bars} bars.")
    if risk.max_open_positions != 1:
        lines.append(f"最多同時持有 {risk.max_open_positions} 筆部位。" if zh else
                     f"Max {risk.max_open_positions} open positions.")
    sessions = [_SESSION_NAMES[table][s.name] if s.name else f"{s.start}-{s.end}" for s in spec.filters.sessions]
    if sessions:
        joined = "、".join(sessions) if zh else ", ".join(sessions)
        lines.append(f"只在{joined}進場。" if zh else f"Enter only during {joined}.")
    if spec.filters.weekdays:
        days = "、".join(_DAYS[table][d] for d in spec.filters.weekdays) if zh else \
            ", ".join(_DAYS[table][d] for d in spec.filters.weekdays)
        lines.append(f"只在{days}進場。" if zh else f"Enter only on {days}.")
    text = "\n".join(lines)
    return _to_simplified(text) if lang == "zh-cn" else text


_SESSION_NAMES = {
    "en": {"london": "the London session", "new_york": "the New York session", "tokyo": "the Tokyo session",
           "sydney": "the Sydney session"},
    "zh": {"london": "倫敦時段", "new_york": "紐約時段", "tokyo": "東京時段", "sydney": "雪梨時段"},
}


def _extreme_zh(kind: str, source: str) -> str:
    """最高價 / 最低價 for the highest high / lowest low, else 最高收盤價 ..."""
    if source == ("high" if kind == "highest" else "low"):
        return _PRICES["zh"][source]
    return f"{'最高' if kind == 'highest' else '最低'}{_PRICES['zh'][source]}"


def _indicator_map(spec: StrategySpec) -> dict[str, dict[str, Any]]:
    return {ind.id: ind.model_dump() for ind in spec.indicators}


def not_used_line(fragments: list[str] | tuple[str, ...], lang: str = "en") -> str:
    """The fragments of a text that do not affect trading, listed back in ``lang``."""
    quoted = "; ".join(f"「{f}」" if lang != "en" else f'"{f}"' for f in fragments)
    if lang == "en":
        return f"Not used (does not affect trading): {quoted}."
    text = f"未使用（不影響交易）：{quoted}。"
    return _to_simplified(text) if lang == "zh-cn" else text
