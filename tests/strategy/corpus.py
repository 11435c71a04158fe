"""A corpus of strategy descriptions (English, Traditional and Simplified Chinese) and the specs they mean.

Each group is one expected spec (built plainly as a dict) with the phrasings that must parse to it.
"""

from __future__ import annotations

from typing import Any


def _rsi(period: int = 14) -> dict:
    return {"id": f"rsi_{period}", "kind": "rsi", "period": period}


def _cmp(left: Any, op: str, right: Any) -> dict:
    return {"kind": "compare", "left": left, "op": op, "right": right}


def _cross(left: str, right: str, above: bool = True) -> dict:
    return {"kind": "crosses_above" if above else "crosses_below", "left": left, "right": right}


MACD = {"id": "macd_12_26_9", "kind": "macd", "fast": 12, "slow": 26, "signal": 9}
KD = {"id": "kd_9_3_3", "kind": "kd", "period": 9, "k_smooth": 3, "d_smooth": 3}
BB = {"id": "bbands_20_2", "kind": "bbands", "period": 20, "nbdev": 2.0}
SMA5, SMA20 = ({"id": f"sma_{n}", "kind": "sma", "period": n} for n in (5, 20))

GROUPS: list[tuple[dict, list[str]]] = [
    (  # the example
        {"indicators": [MACD, _rsi()],
         "entry_long": {"kind": "all", "conditions": [_cmp("rsi_14", "<", 30),
                                                      _cross("macd_12_26_9.line", "macd_12_26_9.signal")]},
         "exit_long": _cmp("rsi_14", ">", 70), "risk": {"stop_loss": {"unit": "pips", "value": 30}}},
        ["buy when RSI(14) < 30 and MACD crosses above its signal, sell when RSI > 70, stop loss 30 pips",
         "Buy when RSI(14) is below 30 and the MACD line crosses above the signal line. Sell when RSI is above 70. "
         "Stop loss: 30 pips.",
         "buy if rsi 14 under 30 and macd crosses over its signal line; sell if rsi over 70; sl 30 pips",
         "go long when RSI(14) < 30 and MACD crosses above signal, sell when RSI(14) > 70, 30 pip stop loss",
         "RSI(14)低於30且MACD向上穿越訊號線時買進，RSI高於70時賣出，停損30點",
         "當RSI(14)小於30，並且MACD黃金交叉時買進；當RSI大於70時賣出。停損30點。",
         "当RSI(14)低于30并且MACD上穿信号线时买入，RSI高于70时卖出，止损30点",
         "RSI（14）＜30且MACD金叉买入，RSI＞70卖出，止损30点"]),
    (  # built-in ma
        {"indicators": [SMA5, SMA20], "entry_long": _cross("sma_5", "sma_20"),
         "exit_long": _cross("sma_5", "sma_20", above=False)},
        ["buy when SMA(5) crosses above SMA(20), sell when SMA(5) crosses below SMA(20)",
         "buy when the 5-day moving average crosses above the 20-day moving average, sell when it crosses below",
         "buy on a golden cross of MA5 and MA20, sell on a death cross",
         "5日均線黃金交叉20日均線時買進，死亡交叉時賣出",
         "5日均線與20日均線黃金交叉時買進，死亡交叉時賣出",
         "5日线上穿20日线时买入，5日线下穿20日线时卖出",
         "MA5 golden cross MA20 buy, MA5 death cross MA20 sell"]),
    (  # built-in rsi
        {"indicators": [_rsi()], "entry_long": _cmp("rsi_14", "<", 30), "exit_long": _cmp("rsi_14", ">", 70)},
        ["buy when RSI(14) < 30, sell when RSI(14) > 70",
         "buy when RSI is oversold, sell when it is overbought",
         "Buy when the relative strength index is below 30 and sell when it is above 70.",
         "RSI超賣時買進，超買時賣出",
         "RSI低於30買進，RSI高於70賣出",
         "相对强弱指标低于30时买入，高于70时卖出",
         "當RSI(14)小於30時買進，RSI在70之上時賣出"]),
    (  # built-in macd
        {"indicators": [MACD], "entry_long": _cross("macd_12_26_9.line", "macd_12_26_9.signal"),
         "exit_long": _cross("macd_12_26_9.line", "macd_12_26_9.signal", above=False)},
        ["buy when MACD crosses above its signal line, sell when MACD crosses below its signal line",
         "buy when MACD golden cross, sell when MACD death cross",
         "buy on a MACD(12,26,9) bullish crossover, sell on a bearish crossover",
         "MACD(12,26,9)金叉买入，死叉卖出",
         "MACD黃金交叉時買進，MACD死亡交叉時賣出",
         "MACD快線向上穿越訊號線買進，快線向下穿越訊號線賣出"]),
    (  # built-in kd
        {"indicators": [KD],
         "entry_long": {"kind": "all", "conditions": [_cross("kd_9_3_3.k", "kd_9_3_3.d"), _cmp("kd_9_3_3.k", "<", 20)]},
         "exit_long": {"kind": "all", "conditions": [_cross("kd_9_3_3.k", "kd_9_3_3.d", above=False),
                                                     _cmp("kd_9_3_3.k", ">", 80)]}},
        ["buy when K crosses above D and K < 20, sell when K crosses below D and K > 80",
         "buy when KD golden cross and K < 20, sell when KD death cross and K > 80",
         "KD黃金交叉且K值低於20時買進，KD死亡交叉且K值高於80時賣出",
         "K值上穿D值且K值小於20買進；K值下穿D值且K值大於80賣出",
         "KD金叉并且K值低于20时买入，KD死叉并且K值高于80时卖出"]),
    (  # built-in bband
        {"indicators": [BB], "entry_long": _cmp("close", "<=", "bbands_20_2.lower"),
         "exit_long": _cmp("close", ">=", "bbands_20_2.upper")},
        ["buy when price <= lower band, sell when price >= upper band",
         "buy when the close is at or below the lower Bollinger band, "
         "sell when the close is at or above the upper band",
         "buy when price touches the lower band, sell when it touches the upper band",
         "收盤價觸及布林下軌時買進，觸及上軌時賣出",
         "收盘价触及布林下轨时买入，触及上轨时卖出",
         "Bollinger Bands(20, 2): buy when the close <= the lower band, sell when the close >= the upper band"]),
    (  # shorts with risk
        {"indicators": [_rsi()], "entry_short": _cmp("rsi_14", ">", 70), "exit_short": _cmp("rsi_14", "<", 30),
         "risk": {"take_profit": {"unit": "percent", "value": 2}, "trailing_stop": {"unit": "pips", "value": 20}}},
        ["short when RSI > 70, cover when RSI < 30, take profit 2%, trailing stop 20 pips",
         "go short if RSI(14) is above 70 and cover if RSI(14) is below 30; tp 2 percent; trailing stop of 20 pips",
         "RSI高於70時做空，RSI低於30時回補，停利2%，移動停損20點",
         "RSI高于70时放空，低于30时回补，止盈百分之2，移动止损20点",
         "sell short when RSI is overbought, buy to cover when RSI is oversold, take profit 2%, trail 20 pips"]),
    (  # breakout with exits after bars, sessions, weekdays
        {"indicators": [{"id": "highest_20", "kind": "highest", "period": 20}], "entry_long":
            _cmp("close", ">", "highest_20[1]"),
         "risk": {"exit_after_bars": 10}, "filters": {"sessions": [{"name": "london"}],
                                                      "weekdays": ["mon", "tue", "wed", "thu", "fri"]}},
        ["buy when close > 20-bar high, exit after 10 bars, only during the London session on weekdays",
         "buy when the price closes above the 20-bar high; close after 10 bars; London session; Monday to Friday",
         "收盤價高於20根K棒最高點時買進，持有10根K棒後出場，只在倫敦時段，週一到週五",
         "收盘价高于20根K棒最高点时买入，10根K棒后平仓，伦敦时段，周一至周五"]),
    (  # symbol, timeframe, ATR stop and risk sizing
        {"symbol": "XAUUSD", "timeframe": "H4", "indicators": [_rsi(), {"id": "sma_50", "kind": "sma", "period": 50}],
         "entry_long": {"kind": "all", "conditions": [_cmp("rsi_14", "<", 30), _cmp("close", ">", "sma_50")]},
         "exit_long": _cmp("rsi_14", ">", 70),
         "risk": {"risk_percent": 1, "stop_loss": {"unit": "atr", "value": 2, "atr_period": 14}}},
        ["gold on the 4-hour chart: buy when RSI < 30 and price above SMA(50), sell when RSI > 70, risk 1% per "
         "trade, stop loss 2 x ATR",
         "trade XAUUSD H4, buy when RSI(14) below 30 and close > 50 SMA, sell when RSI(14) above 70, stop 2 ATR, "
         "risk 1% of equity",
         "黃金4小時圖，RSI低於30且收盤價高於50日均線時買進，RSI高於70時賣出，每筆風險1%，停損2倍ATR",
         "黄金 4小时线 RSI低于30并且价格站上50日均线时买入，RSI高于70时卖出，风险1%，止损2倍ATR"]),
    (  # EURUSD daily, EMA cross, lots, max positions, take profit in pips
        {"symbol": "EURUSD", "timeframe": "D1",
         "indicators": [{"id": "ema_12", "kind": "ema", "period": 12}, {"id": "ema_26", "kind": "ema", "period": 26}],
         "entry_long": _cross("ema_12", "ema_26"), "exit_long": _cross("ema_12", "ema_26", above=False),
         "risk": {"lots": 0.5, "max_open_positions": 2, "take_profit": {"unit": "pips", "value": 100}}},
        ["EURUSD daily: buy when EMA(12) crosses above EMA(26), sell when EMA(12) crosses below EMA(26), 0.5 lots, "
         "max 2 positions, take profit 100 pips",
         "on the daily chart of EUR/USD buy when ema12 crosses over ema26 and sell when it crosses under, "
         "lot size 0.5, up to 2 open positions, tp 100 pips",
         "歐元兌美元日線，EMA(12)上穿EMA(26)時買進，下穿時賣出，每次0.5手，最多持有2筆，停利100點",
         "欧元兑美元 日线 EMA12上穿EMA26买入 EMA12下穿EMA26卖出 0.5手 最多2笔 止盈100点"]),
    (  # rising / for bars / between / not
        {"indicators": [_rsi()],
         "entry_long": {"kind": "all", "conditions": [
             {"kind": "for_bars", "condition": {"kind": "rising", "value": "rsi_14", "bars": 1}, "bars": 3},
             {"kind": "not", "condition": _cmp("rsi_14", ">", 60)}]},
         "exit_long": {"kind": "between", "value": "rsi_14", "low": 65, "high": 80}},
        ["buy when RSI is rising for 3 bars and not RSI > 60, sell when RSI is between 65 and 80",
         "buy when RSI(14) rises for 3 bars and RSI is not above 60, sell when RSI(14) between 65 and 80",
         "RSI連續3根上升且RSI不高於60時買進，RSI介於65和80之間時賣出".replace("不高於", "不>"),
         "RSI连续3根上升并且RSI不高于60时买入，RSI在65到80之间时卖出".replace("不高于", "不>")]),
    (  # short on a death cross with close-all
        {"indicators": [SMA5, SMA20], "entry_long": _cross("sma_5", "sma_20"),
         "entry_short": _cross("sma_5", "sma_20", above=False),
         "exit_long": _cmp("close", "<", "sma_20"), "exit_short": _cmp("close", "<", "sma_20")},
        ["buy on a golden cross of SMA(5) and SMA(20), short on a death cross, close when price < SMA(20)",
         "5日均線黃金交叉20日均線時做多，死亡交叉時做空，收盤價低於20日均線時平倉"]),
]

CORPUS: list[tuple[str, dict]] = [(text, spec) for spec, texts in GROUPS for text in texts]
