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


# ------------------------------------------------------------------------------------ more phrasings (issue 16)
# Paraphrases of every built-in, the phrasings traders use, structured multi-section descriptions,
# in English, Traditional and Simplified Chinese; then descriptions that must be refused, with why.


def _ma(kind: str, period: int) -> dict:
    return {"id": f"{kind}_{period}", "kind": kind, "period": period}


def _all(*conditions: dict) -> dict:
    return {"kind": "all", "conditions": list(conditions)}


def _pips(value: float) -> dict:
    return {"unit": "pips", "value": value}


K, D = "kd_9_3_3.k", "kd_9_3_3.d"
LINE, SIGNAL = "macd_12_26_9.line", "macd_12_26_9.signal"
EMA21, EMA50 = _ma("ema", 21), _ma("ema", 50)
EMA_LONG_SHORT = {"indicators": [EMA21, EMA50], "entry_long": _cross("ema_21", "ema_50"),
                  "exit_long": _cross("ema_21", "ema_50", above=False),
                  "entry_short": _cross("ema_21", "ema_50", above=False), "exit_short": _cross("ema_21", "ema_50")}

STRUCTURED_EMA_EN = """EMA Crossover Strategy

Assignment 3: implement the following strategy in Backtrader.

Indicators:
- Fast EMA with period 21
- Slow EMA with period 50

Entry conditions:
- Long: the fast EMA crosses above the slow EMA
- Short: the fast EMA crosses below the slow EMA

Exit conditions:
- Close on the opposite cross

Risk management:
- Stop loss: 30 pips
- Take profit: 60 pips
- Position size: 0.5 lots

Symbol: EURUSD, timeframe: H1.
Log each trade with its entry price, exit price and P&L."""

STRUCTURED_EMA_MD = """# Trend following with two EMAs

**Market:** EUR/USD, 1-hour chart

## Indicators
* Fast EMA with period 21
* Slow EMA with period 50

## Long entry
* The fast EMA crosses above the slow EMA

## Short entry
* The fast EMA crosses below the slow EMA

## Exit
* Exit on the opposite crossover

## Risk
* Stop loss 30 pips
* Take profit 60 pips
* Trade 0.5 lots per position"""

STRUCTURED_EMA_TW = """雙均線交叉策略

指標：
- 快速EMA週期為21
- 慢速EMA週期為50

進場條件：
1. 做多：快速EMA由下往上穿越慢速EMA
2. 做空：快速EMA由上往下穿越慢速EMA

出場條件：
- 反向交叉時平倉

風險管理：
- 停損 30 點
- 停利 60 點
- 每次 0.5 手

商品：歐元兌美元，1小時圖"""

STRUCTURED_EMA_CN = """双均线交叉策略
指标：快速EMA周期为21，慢速EMA周期为50
进场条件：
一、做多：快速EMA从下往上穿越慢速EMA
二、做空：快速EMA从上往下穿越慢速EMA
出场条件：反向交叉时平仓
风险管理：止损30点，止盈60点，每次0.5手
品种：EURUSD，1小时图"""

STRUCTURED_RSI_EN = """# RSI Mean Reversion

## Long entry
- RSI(14) is below 30
- The close is above the 200-day SMA

## Long exit
- RSI crosses above 70

## Risk
- Stop loss 2 x ATR(14)
- Risk 1% of equity per trade"""

STRUCTURED_RSI_NUMBERED = """RSI mean reversion (for the course project)

Buy conditions:
1. RSI with a period of 14 is under 30
2. Price is above the 200 SMA

Sell conditions:
1. RSI crosses above 70

Stop loss: 2 ATR. Risk 1% per trade.
Please plot the equity curve at the end."""

STRUCTURED_RSI_TW = """RSI 均值回歸策略
進場條件（做多）：
1. RSI(14) 低於 30
2. 收盤價在 200 日均線之上
出場條件：
1. RSI 向上穿越 70
風險管理：停損 2 倍 ATR，每筆風險 1%"""

STRUCTURED_RSI_CN = """RSI 均值回归策略
买入条件：
1. RSI(14) 低于 30
2. 收盘价在 200 日均线之上
卖出条件：
1. RSI 上穿 70
风险管理：止损 2 倍 ATR，每笔风险 1%"""

STRUCTURED_BB_EN = """Bollinger Band reversal

Indicators: Bollinger Bands (20, 2)

Long entry: the close is below the lower band
Short entry: the close is above the upper band

Exit rules:
- Close longs when the close crosses above the middle band
- Close shorts when the close crosses below the middle band

Stop loss: 1%"""

STRUCTURED_BB_TW = """布林通道反轉
指標：布林通道(20, 2)
做多：收盤價低於下軌
做空：收盤價高於上軌
多單出場：收盤價向上穿越中軌
空單出場：收盤價向下穿越中軌
停損：百分之1"""

MORE_GROUPS: list[tuple[dict, list[str]]] = [
    (  # built-in ma, paraphrased
        {"indicators": [SMA5, SMA20], "entry_long": _cross("sma_5", "sma_20"),
         "exit_long": _cross("sma_5", "sma_20", above=False)},
        ["buy when the 5-period SMA crosses above the 20-period SMA and sell when it crosses back below",
         "go long when SMA(5) moves above SMA(20); sell when SMA(5) drops below SMA(20)",
         "buy when the 5 SMA breaks above the 20 SMA, exit when the 5 SMA breaks below the 20 SMA",
         "Fast SMA with period 5, slow SMA with period 20. Buy when the fast SMA crosses the slow SMA from below to "
         "above; sell when it crosses from above to below.",
         "buy when SMA(5) crosses SMA(20) upward, sell when SMA(5) crosses SMA(20) downward",
         "buy when the fast MA (5) crosses above the slow MA (20), sell on the opposite cross",
         "buy when the short-term moving average (5) goes above the long-term moving average (20), sell when it "
         "goes back below",
         "Indicators:\n- SMA(5)\n- SMA(20)\n\nBuy when:\n- SMA(5) crosses above SMA(20)\n\nSell when:\n"
         "- SMA(5) crosses below SMA(20)",
         "5日均線向上穿越20日均線時買進，向下穿越時賣出",
         "短期均線(5)由下往上穿越長期均線(20)時買進，由上往下穿越時賣出",
         "5日均線突破20日均線買進，5日均線跌破20日均線賣出",
         "5日均线上穿20日均线时买入，5日均线跌破20日均线时卖出",
         "快速均线(5)从下往上穿越慢速均线(20)时买入，从上往下穿越时卖出"]),
    (  # built-in rsi, paraphrased
        {"indicators": [_rsi()], "entry_long": _cmp("rsi_14", "<", 30), "exit_long": _cmp("rsi_14", ">", 70)},
        ["buy when RSI(14) drops under 30, sell when RSI(14) is above 70",
         "Buy when the 14-period RSI is below 30. Sell when it is above 70.",
         "buy when RSI with a period of 14 is under 30 and sell when the indicator is over 70",
         "RSI (period 14): buy below 30, sell above 70",
         "Indicator: RSI(14)\nEntry: buy when RSI < 30\nExit: sell when RSI > 70",
         "Buy when RSI stays below 30; sell when RSI stays above 70",
         "buy when the RSI is in the oversold zone, sell when it is in the overbought zone",
         "# RSI strategy\n\n## Buy\n- RSI is below 30\n\n## Sell\n- RSI is above 70",
         "RSI(14)小於30時做多，大於70時平倉",
         "指標：RSI(14)\n進場：RSI低於30時買進\n出場：RSI高於70時賣出",
         "RSI進入超賣區時買進，進入超買區時賣出",
         "RSI指标低于30买入，高于70卖出",
         "RSI周期为14，低于30时买入，高于70时卖出"]),
    (  # built-in macd, paraphrased
        {"indicators": [MACD], "entry_long": _cross(LINE, SIGNAL), "exit_long": _cross(LINE, SIGNAL, above=False)},
        ["buy when the MACD line crosses above the signal line and sell when it crosses back below",
         "go long when MACD(12, 26, 9) crosses its signal line from below, close the long when it crosses the "
         "signal line from above",
         "Buy when MACD moves above its signal line; sell when MACD falls below its signal line.",
         "buy on a bullish MACD crossover and sell on a bearish MACD crossover",
         "MACD (12, 26, 9)\nEntry (long): the MACD line crosses above its signal line\nExit: the MACD line crosses "
         "below its signal line",
         "MACD快線由下往上穿越訊號線時買進，由上往下穿越時賣出",
         "MACD黃金交叉買進，MACD死亡交叉賣出",
         "MACD(12,26,9)的DIF上穿DEA时买入，DIF下穿DEA时卖出",
         "MACD金叉时买入，死叉时卖出"]),
    (  # built-in kd, paraphrased
        {"indicators": [KD], "entry_long": _all(_cross(K, D), _cmp(K, "<", 20)),
         "exit_long": _all(_cross(K, D, above=False), _cmp(K, ">", 80))},
        ["buy when K crosses above D below 20, sell when K crosses below D above 80",
         "buy on a KD golden cross below 20, sell on a KD death cross above 80",
         "Buy when %K crosses above %D while K is below 20; sell when %K crosses below %D while K is above 80",
         "buy when the K line crosses above the D line below 20 and sell when it crosses back below the D line "
         "above 80",
         "KD(9,3,3)黃金交叉且K小於20時買進，死亡交叉且K大於80時賣出",
         "K值向上穿越D值且K值低於20時買進，K值向下穿越D值且K值高於80時賣出",
         "KD金叉且K<20买入，KD死叉且K>80卖出"]),
    (  # KD with 以下 / 以上 levels: at or below / at or above
        {"indicators": [KD], "entry_long": _all(_cross(K, D), _cmp(K, "<=", 20)),
         "exit_long": _all(_cross(K, D, above=False), _cmp(K, ">=", 80))},
        ["KD 在 20 以下黃金交叉時買進，在 80 以上死亡交叉時賣出",
         "KD在20以下黃金交叉買進，KD在80以上死亡交叉賣出",
         "KD在20以下金叉时买入，在80以上死叉时卖出",
         "K值在20以下向上穿越D值時買進，K值在80以上向下穿越D值時賣出",
         "buy when K crosses above D at or below 20, sell when K crosses below D at or above 80"]),
    (  # KD golden cross below 20 only (the held-out example)
        {"indicators": [KD], "entry_long": _all(_cross(K, D), _cmp(K, "<=", 20))},
        ["KD 在 20 以下黃金交叉時買進", "KD在20以下黄金交叉时买入", "KD golden cross at or below 20: buy"]),
    (  # built-in bband, paraphrased
        {"indicators": [BB], "entry_long": _cmp("close", "<=", "bbands_20_2.lower"),
         "exit_long": _cmp("close", ">=", "bbands_20_2.upper")},
        ["buy when the close is at or below the lower Bollinger band (20, 2), sell when the close is at or above "
         "the upper band",
         "Bollinger Bands with period 20: buy when the price touches the lower band and sell when it touches the "
         "upper band",
         "Indicators: Bollinger Bands (20, 2)\nBuy: the close touches the lower band\nSell: the close touches the "
         "upper band",
         "價格觸及布林通道(20,2)下軌時買進，觸及上軌時賣出",
         "收盤價小於等於布林下軌時買進，收盤價大於等於布林上軌時賣出",
         "价格触及布林带下轨买入，触及上轨卖出"]),
    (  # the close strictly beyond the bands (the held-out example)
        {"indicators": [BB], "entry_long": _cmp("close", "<", "bbands_20_2.lower"),
         "exit_long": _cmp("close", ">", "bbands_20_2.upper")},
        ["Buy when the close is below the lower Bollinger band (20, 2), sell when the close is above the upper band",
         "buy when price closes below the lower band of Bollinger Bands(20, 2), sell when price closes above the "
         "upper band",
         "收盤價低於布林通道下軌時買進，高於上軌時賣出",
         "收盘价低于布林带(20,2)下轨时买入，高于上轨时卖出"]),
    (  # the structured example: two EMAs, long and short, out on the opposite cross
        EMA_LONG_SHORT,
        ["Fast EMA with period 21, slow EMA with period 50; open a long position when the fast EMA crosses the slow "
         "EMA from below to above; open a short position when it crosses from above to below; close on the "
         "opposite cross; fixed size",
         "Fast EMA(21) and slow EMA(50). Go long when the fast EMA crosses above the slow EMA, go short when the "
         "fast EMA crosses below the slow EMA, and exit on the opposite signal.",
         "Indicators:\n- fast EMA, period 21\n- slow EMA, period 50\n\nLong entry:\n- the fast EMA crosses above "
         "the slow EMA\n\nShort entry:\n- the fast EMA crosses below the slow EMA\n\nExit:\n- the opposite cross",
         "buy when EMA(21) crosses above EMA(50), short when EMA(21) crosses below EMA(50), close on the opposite "
         "crossover",
         "快速EMA週期為21，慢速EMA週期為50；快速EMA由下往上穿越慢速EMA時做多，由上往下穿越時做空；反向交叉時平倉",
         "EMA(21)向上穿越EMA(50)時做多，EMA(21)向下穿越EMA(50)時做空，反向交叉時平倉",
         "快速EMA周期为21，慢速EMA周期为50；快速EMA从下往上穿越慢速EMA时做多，从上往下穿越时做空；反向交叉时平仓"]),
    (  # structured, with risk, symbol and timeframe
        {**EMA_LONG_SHORT, "symbol": "EURUSD", "timeframe": "H1",
         "risk": {"lots": 0.5, "stop_loss": _pips(30), "take_profit": _pips(60)}},
        [STRUCTURED_EMA_EN, STRUCTURED_EMA_MD, STRUCTURED_EMA_TW, STRUCTURED_EMA_CN]),
    (  # structured RSI mean reversion with a trend condition, ATR stop and risk sizing
        {"indicators": [_rsi(), _ma("sma", 200)],
         "entry_long": _all(_cmp("rsi_14", "<", 30), _cmp("close", ">", "sma_200")),
         "exit_long": _cross("rsi_14", 70.0),
         "risk": {"risk_percent": 1, "stop_loss": {"unit": "atr", "value": 2, "atr_period": 14}}},
        [STRUCTURED_RSI_EN, STRUCTURED_RSI_NUMBERED, STRUCTURED_RSI_TW, STRUCTURED_RSI_CN]),
    (  # structured Bollinger reversal, both sides
        {"indicators": [BB], "entry_long": _cmp("close", "<", "bbands_20_2.lower"),
         "entry_short": _cmp("close", ">", "bbands_20_2.upper"),
         "exit_long": _cross("close", "bbands_20_2.middle"),
         "exit_short": _cross("close", "bbands_20_2.middle", above=False),
         "risk": {"stop_loss": {"unit": "percent", "value": 1}}},
        [STRUCTURED_BB_EN, STRUCTURED_BB_TW]),
    (  # the held-out examples: "goes above", "crosses back below"
        {"indicators": [_rsi()], "entry_long": _cmp("rsi_14", "<", 30), "exit_long": _cross("rsi_14", 70.0)},
        ["buy when RSI < 30, sell when RSI goes above 70",
         "buy when RSI is below 30 and sell when RSI climbs above 70",
         "buy when RSI(14) is under 30, sell when RSI rises above 70",
         "RSI低於30時買進，RSI向上突破70時賣出",
         "RSI低于30时买入，RSI上穿70时卖出"]),
    (  # price against one average, crossing both ways
        {"indicators": [_ma("sma", 50)], "entry_long": _cross("close", "sma_50"),
         "exit_long": _cross("close", "sma_50", above=False)},
        ["buy when the price crosses above the 50 SMA and sell when it crosses back below",
         "buy when the close breaks above SMA(50); sell when it breaks back below",
         "go long when price rises above the 50-day moving average, sell when price falls below the 50-day moving "
         "average",
         "價格突破50日均線時買進，跌破50日均線時賣出",
         "价格向上穿越50日均线时买入，向下穿越时卖出"]),
    (  # price closing above / below an EMA (the held-out example)
        {"indicators": [_ma("ema", 50)], "entry_long": _cmp("close", ">", "ema_50"),
         "exit_long": _cmp("close", "<", "ema_50")},
        ["價格收在 50 EMA 之上時做多，收在 50 EMA 之下時平倉",
         "价格收在50 EMA之上时做多，收在50 EMA之下时平仓",
         "go long when price closes above the 50 EMA, close the position when price closes below the 50 EMA",
         "Buy when the close is above EMA(50), exit when the close is below EMA(50)",
         "buy when the close stays above the exponential moving average (50), sell when it stays below the "
         "exponential moving average (50)"]),
    (  # 站上 / 跌破
        {"indicators": [SMA20], "entry_long": _cmp("close", ">", "sma_20"),
         "exit_long": _cross("close", "sma_20", above=False)},
        ["收盤價站上20日均線時買進，跌破20日均線時賣出",
         "收盘价站上20日均线时买入，跌破20日均线时卖出",
         "buy when the close is above SMA(20), sell when the close drops below SMA(20)"]),
    (  # the settings given once, the indicator named bare afterwards
        {"indicators": [_rsi(2)], "entry_long": _cmp("rsi_2", "<", 10), "exit_long": _cmp("rsi_2", ">", 90)},
        ["buy when RSI(2) is below 10, sell when RSI is above 90",
         "buy when the 2-period RSI is under 10 and sell when the RSI is over 90",
         "RSI(2)低於10時買進，RSI高於90時賣出",
         "RSI(2)低于10时买入，高于90时卖出"]),
    (  # "falls below 30 and then rises back above 30" is the cross back above 30
        {"indicators": [_rsi()], "entry_long": _cross("rsi_14", 30.0),
         "exit_long": _cross("rsi_14", 70.0, above=False)},
        ["buy when RSI falls below 30 and then rises back above 30, sell when RSI rises above 70 and then falls "
         "back below 70",
         "buy when RSI dips below 30 then crosses back above 30, sell when RSI crosses back below 70",
         "buy when RSI crosses above 30 from below, sell when RSI crosses below 70 from above",
         "RSI跌破30後再向上突破30時買進，RSI突破70後再跌破70時賣出",
         "RSI向上穿越30时买入，向下穿越70时卖出"]),
    (  # MACD around zero
        {"indicators": [MACD], "entry_long": _cross(LINE, 0.0), "exit_long": _cross(LINE, 0.0, above=False)},
        ["buy when MACD crosses above zero, sell when MACD crosses below zero",
         "buy when the MACD line crosses the zero line from below and sell when it crosses back below zero",
         "MACD向上穿越零軸時買進，向下穿越零軸時賣出",
         "MACD上穿零轴买入，下穿零轴卖出"]),
    (  # references: "the indicator", "it"
        {"indicators": [{"id": "cci_20", "kind": "cci", "period": 20}], "entry_long": _cmp("cci_20", "<", -100),
         "exit_long": _cmp("cci_20", ">", 100)},
        ["buy when CCI(20) is below -100 and sell when the indicator is above 100",
         "CCI with period 20: buy when it is below -100, sell when it is above 100",
         "CCI(20)低於-100時買進，高於100時賣出"]),
    (  # Williams %R with its standard settings
        {"indicators": [{"id": "willr_14", "kind": "willr", "period": 14}], "entry_long": _cmp("willr_14", "<", -80),
         "exit_long": _cmp("willr_14", ">", -20)},
        ["buy when Williams %R is below -80, sell when it is above -20",
         "buy when Williams %R is oversold and sell when it is overbought",
         "威廉指標低於-80時買進，高於-20時賣出"]),
    (  # stochastic with a level on the cross
        {"indicators": [{"id": "stoch_14_3_3", "kind": "stoch", "fastk": 14, "slowk": 3, "slowd": 3}],
         "entry_long": _all(_cross("stoch_14_3_3.k", "stoch_14_3_3.d"), _cmp("stoch_14_3_3.k", "<", 20)),
         "exit_long": _all(_cross("stoch_14_3_3.k", "stoch_14_3_3.d", above=False),
                           _cmp("stoch_14_3_3.k", ">", 80))},
        ["buy when the Stochastic (14, 3, 3) %K crosses above %D below 20, sell when %K crosses below %D above 80",
         "buy when the stochastic %K crosses above its %D in the oversold zone, sell when %K crosses below %D in the "
         "overbought zone"]),
    (  # parameters in parentheses after any indicator phrase
        {"indicators": [_ma("ema", 100)], "entry_long": _cmp("close", ">", "ema_100"),
         "exit_long": _cmp("close", "<", "ema_100")},
        ["buy when price is above the exponential moving average (100), sell when price is below the exponential "
         "moving average (100)",
         "EMA with length 100: buy when the close is above it, sell when the close is below it",
         "價格高於EMA(100)時買進，低於EMA(100)時賣出"]),
    (  # a short-only system with a trend condition and percent stops
        {"indicators": [_rsi(), _ma("sma", 200)],
         "entry_short": _all(_cmp("rsi_14", ">", 70), _cmp("close", "<", "sma_200")),
         "exit_short": _cmp("rsi_14", "<", 50),
         "risk": {"stop_loss": {"unit": "percent", "value": 1.5}, "take_profit": {"unit": "percent", "value": 3}}},
        ["Short entry:\n- RSI(14) above 70\n- price below the 200 SMA\n\nCover when RSI drops under 50.\n\n"
         "Stop loss 1.5%, take profit 3%.",
         "short when RSI(14) > 70 and the close is below SMA(200); cover when RSI < 50; stop loss 1.5%; take profit "
         "3%",
         "RSI(14)高於70且收盤價低於200日均線時做空，RSI低於50時回補，停損1.5%，停利3%",
         "空单进场条件：\n1. RSI(14)高于70\n2. 收盘价低于200日均线\nRSI低于50时回补。止损1.5%，止盈3%。"]),
    (  # words about the code are not used; a title is not used
        {"indicators": [_rsi()], "entry_long": _cmp("rsi_14", "<", 30), "exit_long": _cmp("rsi_14", ">", 70),
         "risk": {"stop_loss": _pips(30)}},
        ["Create a strategy that buys when RSI(14) < 30 and sells when RSI > 70, with a stop loss of 30 pips. "
         "Write it in Python.",
         "Simple RSI bot\n\nImplement it in Backtrader. Buy when RSI < 30, sell when RSI > 70, stop loss 30 pips. "
         "Log each trade to a CSV file.",
         "Homework 2: write an automated strategy. Buy when RSI(14) is below 30; sell when RSI(14) is above 70; "
         "stop loss 30 pips. The strategy is designed for beginners.",
         "作業：請用程式實作以下策略。RSI低於30時買進，RSI高於70時賣出，停損30點。",
         "请写一个策略：RSI低于30时买入，RSI高于70时卖出，止损30点。记录每笔交易。"]),
]

REFUSED: list[tuple[str, str]] = [
    # things that affect trading but a spec cannot express: refused by name
    ("Buy when price forms a head and shoulders pattern", "head-and-shoulders patterns are not supported"),
    ("Buy at the Fibonacci 61.8% retracement, stop below the swing low", "Fibonacci"),
    ("Buy when RSI shows bullish divergence", "divergence is not supported"),
    ("Go long on a bullish engulfing candle", "candlestick patterns are not supported"),
    ("Buy when the price is near support, sell near resistance", "support and resistance"),
    ("Buy when RSI < 30 but avoid trading during news", "news filters are not supported"),
    ("Double the lot size after each loss (martingale)", "martingale"),
    ("Open a grid of buy orders every 20 pips", "grid trading"),
    ("Buy when RSI < 30 and hedge the position when it is down 50 pips", "hedging"),
    ("Buy when RSI < 30. Close half the position at 50 pips and let the rest run", "partial closes"),
    ("Buy when RSI < 30, move the stop to break-even after 20 pips", "break-even"),
    ("Buy when the Ichimoku cloud turns green", "indicator is not supported"),
    ("Buy when the Parabolic SAR flips below the price", "indicator is not supported"),
    ("Buy when the price is above the VWAP", "indicator is not supported"),
    ("Buy when RSI < 30 in trending markets, sell when RSI > 70", "market-regime filters"),
    ("Buy when RSI < 30 and trade with the trend", "market-regime filters"),
    ("Place a buy limit order 10 pips below the close when RSI < 30", "pending (limit / stop) entry orders"),
    ("Buy when RSI < 30, take profit at a 1:2 risk reward", "risk-reward"),
    ("Buy 10000 units when RSI < 30", "units"),
    ("Buy when RSI < 30; stop trading after a 5% daily loss", "account limits"),
    ("Buy when RSI < 30 and close all trades at the end of the day", "time of day"),
    ("Buy when RSI < 30 and the spread is below 2 pips", "spread"),
    ("Buy when RSI < 30 and volatility is low", "volatility"),
    ("Buy when the price makes higher highs", "price patterns"),
    ("Buy when RSI < 30 on the daily chart and the 4-hour MACD is above zero", "two different timeframes"),
    ("buy when RSI < 30 and confirm it on a higher timeframe", "another timeframe"),
    ("頭肩底形成時買進", "head-and-shoulders"),
    ("RSI出現底背離時買進", "divergence"),
    ("價格跌破支撐時賣出", "support and resistance"),
    ("非農公布前不交易，RSI低於30時買進", "news"),
    ("RSI低于30时买入，亏损后加仓", "adding to or reducing positions"),
    ("使用马丁策略，亏损后加倍下单", "martingale"),
    ("RSI低於30時買進，獲利後移動停損到保本", "break-even"),
    ("價格回調到均線時買進", "price patterns"),
    # sequences that are not one cross, and readings that would be guesses
    ("buy when RSI falls below 30 and then rises above 40", "a sequence of two events"),
    ("buy when MACD crosses above its signal and then RSI rises above 50", "a sequence of two events"),
    ("buy when RSI < 30, sell when RSI(7) > 70", "without settings"),
    ("buy when EMA(12) crosses above EMA(26), sell when EMA crosses below", "which EMA"),
    ("open a long when the fast EMA crosses above the slow EMA", "which period"),
    ("buy when SMA(5) crosses SMA(20)", "in which direction"),
    ("Write a Python bot that buys when the RSI crosses 30", "in which direction"),
    ("Position size: 1% of equity. Buy when RSI < 30", "in lots"),
    ("Entry conditions:\n- RSI below 30\n\nExit conditions:\n- RSI above 70", "long or short"),
    ("快速EMA上穿慢速EMA時做多", "which period"),
    ("buy when SMA(5) crosses above SMA(20) from above", "disagree"),
    ("KD交叉時買進", "crosses what"),
    # unknown words that matter are quoted, never skipped
    ("buy when RSI(14) < 30 and the moon is full", 'could not read "moon"'),
    ("Buy when RSI < 30, sell when RSI > 70 unless the market looks weak", 'could not read "unless"'),
    ("RSI低於30時買進，貓叫時賣出", 'could not read "貓叫"'),
    ("Strategy overview\n\nBuy when RSI < 30 and the dollar index is strong.", "could not read"),
]

MORE_GROUPS += [  # written as a held-out check after the rest (90% read exactly at first, no misreading)
    (
        {"indicators": [_ma("sma", 10), _ma("sma", 30)], "entry_long": _cross("sma_10", "sma_30"),
         "exit_long": _cross("sma_10", "sma_30", above=False)},
        ["Go long when the 10-day SMA crosses over the 30-day SMA. Exit when the 10-day SMA crosses back under the "
         "30-day SMA.",
         "Buy when SMA10 crosses above SMA30; sell when it crosses back below.",
         "10日均線由下往上穿越30日均線時買進；10日均線由上往下穿越30日均線時賣出。",
         "10日均线金叉30日均线买入，死叉卖出"]),
    (
        {"indicators": [_rsi(), _ma("ema", 200)], "entry_long": _all(_cmp("close", ">", "ema_200"),
                                                                     _cmp("rsi_14", "<", 30)),
         "exit_long": _cmp("rsi_14", ">", 50)},
        ["Only buy when price is above the 200 EMA and RSI is below 30. Exit when RSI is above 50.",
         "價格在200 EMA之上且RSI低於30時買進，RSI高於50時賣出",
         "收盘价高于EMA(200)并且RSI小于30时买入；RSI大于50时卖出"]),
    (
        {"indicators": [MACD], "entry_long": _all(_cross(LINE, SIGNAL), _cmp(LINE, "<", 0)),
         "exit_long": _cross(LINE, SIGNAL, above=False)},
        ["Buy when the MACD line crosses above the signal line below zero. Sell when MACD crosses below its signal "
         "line.",
         "MACD在零軸之下黃金交叉時買進，死亡交叉時賣出"]),
    (
        {"indicators": [BB, _rsi()], "entry_long": _all(_cmp("close", "<", "bbands_20_2.lower"),
                                                        _cmp("rsi_14", "<", 30)),
         "exit_long": _cmp("close", ">", "bbands_20_2.middle")},
        ["Buy when price closes below the lower Bollinger Band and RSI is under 30. Take profit when price closes "
         "above the middle band.",
         "Entry rules (long):\n- Close below the lower Bollinger Band (20, 2)\n- RSI(14) below 30\nExit rules:\n"
         "- Close above the middle band",
         "收盤價低於布林下軌且RSI低於30時買進，收盤價高於中軌時停利"]),
    (
        {"indicators": [_ma("ema", 9), _ma("ema", 21)], "entry_long": _cross("ema_9", "ema_21"),
         "entry_short": _cross("ema_9", "ema_21", above=False), "exit_long": _cross("ema_9", "ema_21", above=False),
         "exit_short": _cross("ema_9", "ema_21"), "risk": {"stop_loss": _pips(20), "take_profit": _pips(40)}},
        ["Strategy: EMA 9 and EMA 21.\nLong: EMA 9 crosses above EMA 21.\nShort: EMA 9 crosses below EMA 21.\n"
         "Exit: opposite cross.\nSL: 20 pips. TP: 40 pips.",
         "EMA9上穿EMA21做多，EMA9下穿EMA21做空，反向交叉平倉，停損20點，停利40點"]),
    (
        {"indicators": [KD], "entry_long": _all(_cross(K, D), _cmp(K, "<", 30)), "exit_long": _cmp(K, ">", 70)},
        ["Buy when K crosses above D and K is below 30. Sell when K is above 70."]),
    (
        {"indicators": [KD], "entry_long": _all(_cmp(K, "<", 30), _cross(K, D)), "exit_long": _cmp(K, ">", 70)},
        ["K值小於30且K值向上穿越D值時買進，K值大於70時賣出"]),
    (
        {"indicators": [{"id": "adx_14", "kind": "adx", "period": 14}, _ma("sma", 50)],
         "entry_long": _all(_cmp("adx_14", ">", 25), _cross("close", "sma_50")),
         "exit_long": _cross("close", "sma_50", above=False)},
        ["Buy when ADX is above 25 and price crosses above the 50 SMA; exit when price crosses below the 50 SMA.",
         "ADX大於25且價格向上突破50日均線時買進，價格跌破50日均線時出場"]),
    (
        {"indicators": [_rsi()], "entry_short": _cmp("rsi_14", ">", 80), "exit_short": _cmp("rsi_14", "<", 50),
         "risk": {"stop_loss": {"unit": "percent", "value": 2}}, "symbol": "GBPUSD", "timeframe": "H4"},
        ["GBPUSD 4H. Short when RSI is above 80 and cover when it is below 50. 2% stop loss.",
         "英鎊兌美元 4小時圖：RSI高於80時做空，低於50時回補，停損2%"]),
]
MORE_GROUPS += [
    (
        {"indicators": [_ma("sma", 10), _ma("sma", 50)], "entry_long": _cross("sma_10", "sma_50"),
         "exit_long": _cross("sma_10", "sma_50", above=False)},
        ["open a long when SMA(10) crosses SMA(50) to the upside, close it when SMA(10) crosses SMA(50) to the "
         "downside",
         "Long entry\nSMA(10) crosses above SMA(50)\nExit\nSMA(10) crosses below SMA(50)",
         "10日均線從下往上穿越50日均線時買進，從上往下穿越時出場",
         "做多条件：10日均线上穿50日均线\n平仓条件：10日均线下穿50日均线"]),
    (
        {"indicators": [_rsi()], "entry_long": {"kind": "for_bars", "condition": _cmp("rsi_14", "<", 30), "bars": 3},
         "risk": {"exit_after_bars": 5}},
        ["buy when RSI < 30 for 3 bars then sell after 5 bars",
         "Buy when RSI(14) has been below 30 for 3 bars in a row. Exit after 5 bars.".replace("has been ", "is "),
         "RSI連續3根低於30時買進，持有5根K棒後出場",
         "RSI连续3根低于30时买入，5根K棒后平仓"]),
    (
        {"indicators": [_rsi()], "entry_long": _cmp("rsi_14", "<", 30), "exit_long": _cmp("rsi_14", ">", 70),
         "risk": {"stop_loss": _pips(50)}},
        ["Rules:\n1) Buy when RSI(14) < 30.\n2) Sell when RSI(14) > 70.\n3) Stop loss 50 pips.",
         "規則：\n一、RSI(14)低於30時買進\n二、RSI(14)高於70時賣出\n三、停損50點",
         "规则：\n（1）RSI(14)低于30时买入\n（2）RSI(14)高于70时卖出\n（3）止损50点"]),
]
MORE_GROUPS += [
    (  # golden / death cross of two averages with a 以上 level on another indicator
        {"indicators": [_rsi(), SMA5, SMA20], "entry_long": _all(_cross("sma_5", "sma_20"), _cmp("rsi_14", ">=", 50)),
         "exit_long": _cross("sma_5", "sma_20", above=False)},
        ["5日均線與20日均線黃金交叉且RSI在50以上時買進，死亡交叉時賣出",
         "5日均线与20日均线金叉并且RSI在50以上时买入，死叉时卖出",
         "buy when SMA(5) crosses above SMA(20) and RSI is at or above 50, sell when SMA(5) crosses below SMA(20)"]),
    (  # MACD crosses qualified by where they happen
        {"indicators": [MACD], "entry_long": _all(_cross(LINE, SIGNAL), _cmp(LINE, "<=", 0)),
         "exit_long": _all(_cross(LINE, SIGNAL, above=False), _cmp(LINE, ">=", 0))},
        ["MACD在0以下黃金交叉時買進，在0以上死亡交叉時賣出",
         "MACD在零軸以下金叉時買進，在零軸以上死叉時賣出",
         "MACD在0以下金叉时买入，在0以上死叉时卖出",
         "buy when MACD crosses above its signal line at or below zero, sell when MACD crosses below its signal line "
         "at or above zero"]),
]
REFUSED += [
    ("均線多頭排列時買進", 'could not read "多頭排列"'),
    ("价格跌破支撑位时卖出", "support and resistance"),
    ("出现双顶形态时做空", "chart patterns"),
    ("RSI低于30时买入，新闻发布前平仓", "news filters"),
    ("使用网格交易，每隔20点挂一张买单", "grid trading"),
    ("RSI低于30时买入，盈利后把止损移到保本", "break-even"),
    ("Buy when RSI < 30. Print RSI and close when RSI > 70.", 'could not read "Print"'),
    ("buy when RSI < 30, sell when RSI > 70, risk 2% per trade", "needs a stop_loss"),
]
REFUSED += [
    ("Trend filter: 200 EMA.\nBuy when the close is above the 200 EMA and RSI(14) < 30.", "market-regime filters"),
    ("Buy when RSI forms a double bottom", "chart patterns"),
    ("Enter long when price retests the 50 EMA", 'could not read "retests"'),
]

# --------------------------------------------------------------------------- issue 16 item 3: the spec grows
VOLUME20 = {"id": "sma_volume_20", "kind": "sma", "period": 20, "source": "volume"}
ATR14 = {"id": "atr_14", "kind": "atr", "period": 14}
EMA20 = {"id": "ema_20", "kind": "ema", "period": 20}


def _sum(*terms: tuple[str, float], plus: float = 0.0) -> dict:
    return {"terms": [{"operand": operand, "times": times} for operand, times in terms], "plus": plus}


def _then(first: dict, then: dict, within: int) -> dict:
    return {"kind": "sequence", "first": first, "then": then, "within": within}


MORE_GROUPS += [
    (  # arithmetic on an operand: the volume against a multiple of its average
        {"indicators": [_rsi(), VOLUME20],
         "entry_long": _all(_cmp("rsi_14", "<", 30), _cmp("volume", ">", _sum(("sma_volume_20", 1.5)))),
         "exit_long": _cmp("rsi_14", ">", 70)},
        ["buy when RSI < 30 and volume > 1.5 * SMA(volume, 20), sell when RSI > 70",
         "Buy when RSI(14) is below 30 and the volume exceeds 1.5 times the 20-bar average volume. Sell when RSI is "
         "above 70.",
         "RSI低於30且成交量大於20日均量的1.5倍時買進，RSI高於70時賣出",
         "RSI低于30并且成交量大于1.5倍20日均量时买入，RSI高于70时卖出"]),
    (  # a band of an average plus a multiple of ATR
        {"indicators": [SMA20, ATR14], "entry_long": _cross("close", _sum(("sma_20", 1), ("atr_14", 2))),
         "exit_long": _cross("close", "sma_20", above=False)},
        ["buy when the close crosses above SMA(20) + 2 x ATR(14), sell when the close crosses below SMA(20)",
         "Go long when the close crosses above the 20-day moving average plus 2 times ATR(14); sell when the close "
         "crosses below the 20-day moving average",
         "收盤價向上穿越20日均線加2倍ATR(14)時買進，收盤價跌破20日均線時賣出",
         "收盘价上穿SMA(20)加2倍ATR(14)时买入，收盘价下穿SMA(20)时卖出"]),
    (  # symmetric rules: the short side mirrors the long side
        {"indicators": [EMA20, ATR14], "entry_long": _cross("close", _sum(("ema_20", 1), ("atr_14", 1.5))),
         "exit_long": _cross("close", "ema_20", above=False),
         "entry_short": _cross("close", _sum(("ema_20", 1), ("atr_14", -1.5)), above=False),
         "exit_short": _cross("close", "ema_20")},
        ["buy when the close crosses above EMA(20) + 1.5 x ATR(14), sell when the close crosses below EMA(20), and "
         "the opposite for shorts",
         "buy when the close crosses above EMA(20) + 1.5 x ATR(14); sell when the close crosses below EMA(20); vice "
         "versa for shorts",
         "收盤價向上穿越EMA(20)加1.5倍ATR(14)時買進，收盤價向下跌破EMA(20)時賣出，反之亦然",
         "收盘价上穿EMA(20)加1.5倍ATR(14)时买入，收盘价下穿EMA(20)时卖出，反之亦然"]),
    (  # "A then B within N bars"
        {"indicators": [_rsi(), SMA20],
         "entry_long": _then(_cmp("rsi_14", "<", 30), _cross("close", "sma_20"), 5),
         "exit_long": _cmp("rsi_14", ">", 70)},
        ["buy when RSI < 30 and then the close crosses above SMA(20) within 5 bars, sell when RSI > 70",
         "Buy when RSI(14) is below 30, then the close crosses above the 20-day moving average within 5 bars. Sell "
         "when RSI is above 70.",
         "RSI低於30之後5根K棒內收盤價向上穿越20日均線時買進，RSI高於70時賣出",
         "RSI低于30之后5根K棒内收盘价上穿20日均线时买入，RSI高于70时卖出"]),
    (  # a cross, then a second cross within a window
        {"indicators": [MACD, _rsi()], "entry_long": _then(_cross(LINE, SIGNAL), _cross("rsi_14", 50), 3),
         "exit_long": _cross(LINE, SIGNAL, above=False)},
        ["buy when MACD crosses above its signal line and then RSI crosses above 50 within 3 bars; sell when MACD "
         "crosses below its signal line",
         "MACD黃金交叉之後3根K棒內RSI向上穿越50時買進，MACD死亡交叉時賣出",
         "MACD金叉之后3根K棒内RSI上穿50时买入，MACD死叉时卖出"]),
    (  # symmetric oscillator rules inside trading hours
        {"indicators": [_rsi()], "entry_long": _cmp("rsi_14", "<", 30), "exit_long": _cmp("rsi_14", ">", 70),
         "entry_short": _cmp("rsi_14", ">", 70), "exit_short": _cmp("rsi_14", "<", 30),
         "filters": {"sessions": [{"start": "08:00", "end": "17:00"}]}},
        ["buy when RSI < 30, sell when RSI > 70, and vice versa, only between 08:00 and 17:00 UTC",
         "RSI低於30時買進，高於70時賣出，反之亦然，只在08:00到17:00之間交易",
         "RSI低于30时买入，高于70时卖出，反之亦然，只在08:00到17:00之间交易"]),
]
MORE_GROUPS += [  # held out while item 3 was written: 9 of 14 read exactly at first, none misread; then these
    (
        {"indicators": [_rsi(), VOLUME20],
         "entry_long": _all(_cmp("volume", ">", _sum(("sma_volume_20", 2))), _cross("rsi_14", 50)),
         "exit_long": _cross("rsi_14", 40, above=False)},
        ["Go long if volume is more than twice the 20-period average volume and RSI(14) crosses above 50; exit when "
         "RSI drops below 40",
         "成交量大於20日均量的2倍且RSI向上穿越50時買進，RSI跌破40時賣出"]),
    (
        {"indicators": [_ma("sma", 50)], "entry_long": _cross("close", "sma_50"),
         "exit_long": _cross("close", "sma_50", above=False), "entry_short": _cross("close", "sma_50", above=False),
         "exit_short": _cross("close", "sma_50")},
        ["Long when the close crosses above SMA(50), exit on the opposite cross; shorts are the mirror image.",
         "收盤價向上穿越50日均線時買進，收盤價跌破50日均線時賣出，反之亦然"]),
    (
        {"indicators": [_rsi()], "entry_long": _cmp("rsi_14", "<", 30), "exit_long": _cmp("rsi_14", ">", 70),
         "entry_short": _cmp("rsi_14", ">", 70), "exit_short": _cmp("rsi_14", "<", 30)},
        ["buy when RSI < 30 and sell when RSI > 70, vice versa for short trades",
         "RSI低於30時買進，高於70時賣出，空單反之",
         "RSI低于30时买入，高于70时卖出，反之亦然"]),
    (
        {"indicators": [_rsi(), MACD], "entry_long": _then(_cmp("rsi_14", "<", 30), _cross(LINE, SIGNAL), 4)},
        ["buy when RSI < 30 and then MACD crosses above its signal within the next 4 bars",
         "RSI低於30之後4根K棒內MACD黃金交叉時買進"]),
]
REFUSED += [
    ("buy when the close is above 1.1000, and the opposite for shorts", "has no opposite for shorts"),
    ("buy when RSI < 30, short when RSI > 70, and vice versa", "states both long and short rules"),
    ("buy when volume > 0 x SMA(volume, 20)", "multiplied by 0"),
    ("buy when the close is above 2 x 30", "arithmetic needs a price or an indicator"),
    ("RSI低於30之後收盤價向上穿越20日均線時買進", "needs a window"),
]

GROUPS.extend(MORE_GROUPS)
CORPUS[:] = [(text, spec) for spec, texts in GROUPS for text in texts]
