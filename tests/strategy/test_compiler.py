"""The compiler: compiled specs trade exactly like hand-written MAS clients on the bundled sample."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import numpy as np
import pytest
import talib

from mas.strategy import BUILTIN_STRATEGIES
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.compiler import SpecStrategy, compile_spec, pip_size
from mas.strategy.parse import parse_text
from mas.strategy.spec import spec_from_dict

from .reference import kd_as_documented

BACKTEST = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31", "backtest_toggle": True}


def run(client):
    client.subscribe_bars(dict(BACKTEST))
    return client.backtest_result


@pytest.mark.parametrize(("name", "params"), [
    ("ma", {}), ("rsi", {}), ("macd", {}), ("kd", {}), ("bband", {}),
    ("ma", {"fast": 10, "slow": 30, "volume": 0.2}), ("rsi", {"period": 9, "oversold": 25, "overbought": 75}),
    ("macd", {"fast": 8, "slow": 21, "signal": 5}), ("kd", {"oversold": 30, "overbought": 70}),
    ("bband", {"period": 30, "nbdev": 1.5}),
])
def test_each_builtin_spec_trades_exactly_like_its_hand_written_class(name, params):
    expected = run(BUILTIN_STRATEGIES[name](**params)).trades
    got = run(compile_spec(builtin_spec(name, **params))()).trades
    assert len(got) > 10 and got == expected


def _cross(a, b, above=True):
    out = np.zeros(len(a), dtype=bool)
    with np.errstate(invalid="ignore"):
        out[1:] = (a[:-1] <= b[:-1]) & (a[1:] > b[1:]) if above else (a[:-1] >= b[:-1]) & (a[1:] < b[1:])
    return out


def _shift(x, n=1):
    return np.concatenate([np.full(n, np.nan), x[:-n]])


def _rising_run(x, bars):
    up = np.zeros(len(x), dtype=bool)
    with np.errstate(invalid="ignore"):
        up[1:] = x[1:] - x[:-1] > 1e-8  # rising beyond rounding noise (1e-10 of the oscillator's 100)
    run = np.zeros(len(x), dtype=int)
    for i, flag in enumerate(up):
        run[i] = run[i - 1] + 1 if flag and i else int(flag)
    return run >= bars


def _hand_written(o, h, lo, c, v):
    """Each case's entry and exit rules, written directly with TA-Lib and numpy."""
    rsi = talib.RSI(c, 14)
    line, signal, _ = talib.MACD(c, 12, 26, 9)
    upper, middle, _ = talib.BBANDS(c, 20, 2.0, 2.0, 0)
    slowk, slowd = talib.STOCH(h, lo, c, 14, 3, 0, 3, 0)
    k, d = kd_as_documented(list(h), list(lo), list(c))
    sma50, ema100 = talib.SMA(c, 50), talib.EMA(c, 100)
    return {
        "buy when RSI(14) < 30 and MACD crosses above its signal, sell when RSI > 70":
            ((rsi < 30) & _cross(line, signal), rsi > 70),
        "buy when EMA(10) crosses above EMA(30), sell when EMA(10) crosses below EMA(30)":
            (_cross(talib.EMA(c, 10), talib.EMA(c, 30)), _cross(talib.EMA(c, 10), talib.EMA(c, 30), False)),
        "buy when the close crosses above the upper band, sell when the close crosses below the middle band":
            (_cross(c, upper), _cross(c, middle, False)),
        "buy when the close is above the 20-bar high, sell when the close is below the 10-bar low":
            (c > _shift(talib.MAX(h, 20)), c < _shift(talib.MIN(lo, 10))),
        "buy when CCI(20) < -100, sell when CCI(20) > 100":
            (talib.CCI(h, lo, c, 20) < -100, talib.CCI(h, lo, c, 20) > 100),
        "buy when Williams %R(14) < -80, sell when Williams %R(14) > -20":
            (talib.WILLR(h, lo, c, 14) < -80, talib.WILLR(h, lo, c, 14) > -20),
        "buy when ADX(14) > 25 and close > SMA(50), sell when close < SMA(50)":
            ((talib.ADX(h, lo, c, 14) > 25) & (c > sma50), c < sma50),
        "buy when stochastic(14,3,3) K crosses above D and K < 20, sell when K > 80":
            (_cross(slowk, slowd) & (slowk < 20), slowk > 80),
        "buy when RSI(14) is rising for 3 bars and RSI < 50, sell when RSI(14) > 65":
            (_rising_run(rsi, 3) & (rsi < 50), rsi > 65),
        "buy when WMA(20) crosses above WMA(50), sell when WMA(20) crosses below WMA(50)":
            (_cross(talib.WMA(c, 20), talib.WMA(c, 50)), _cross(talib.WMA(c, 20), talib.WMA(c, 50), False)),
        "buy when RSI(14) is between 40 and 50 and close > EMA(100), sell when RSI(14) > 70 or close < EMA(100)":
            ((rsi >= 40) & (rsi <= 50) & (c > ema100), (rsi > 70) | (c < ema100)),
        "buy when volume > 20-bar average volume and close > open, sell when close < open":
            ((v > talib.SMA(v, 20)) & (c > o), c < o),
        "KD黃金交叉且K值低於20時買進，K值高於80時賣出":
            (_cross(k, d) & (k < 20), k > 80),
    }


TEXTS = list(_hand_written(*(np.linspace(1.0, 2.0, 60),) * 5))


def _expected_trades(times, entry, exit_):
    """(open time, close time or None) of a long-only replay, one position at a time, orders fill next bar."""
    trades, opened = [], None
    for i in range(len(times) - 1):
        if opened is not None and exit_[i]:
            trades.append((times[opened + 1], times[i + 1]))
            opened = None
        elif opened is None and entry[i] and not exit_[i]:
            opened = i
    if opened is not None:
        trades.append((times[opened + 1], None))
    return trades


@pytest.fixture(scope="module")
def replayed_bars():
    result = run(compile_spec(builtin_spec("rsi"))())
    rates = result.bars["EURUSD"]
    times = [datetime(1970, 1, 1) + timedelta(seconds=int(t)) for t in rates["time"]]
    columns = (rates[f].astype(float) for f in ("open", "high", "low", "close", "tick_volume"))
    return times, _hand_written(*columns)


@pytest.mark.parametrize("text", TEXTS)
def test_text_strategies_trade_like_hand_written_rules(text, replayed_bars):
    times, cases = replayed_bars
    entry, exit_ = cases[text]
    trades = run(compile_spec(parse_text(text).spec)()).trades
    got = [(t.open_time, None if t.is_open else t.close_time) for t in trades]
    expected = _expected_trades(times, entry, exit_)
    assert len(expected) >= 3 and got == expected


# ------------------------------------------------------------------------------------ risk and filters

RSI_BOTH_WAYS = {"indicators": [{"id": "rsi_14", "kind": "rsi"}],
                 "entry_long": {"kind": "compare", "left": "rsi_14", "op": "<", "right": 30},
                 "exit_long": {"kind": "compare", "left": "rsi_14", "op": ">", "right": 70},
                 "entry_short": {"kind": "compare", "left": "rsi_14", "op": ">", "right": 75},
                 "exit_short": {"kind": "compare", "left": "rsi_14", "op": "<", "right": 35}}


def trades_of(risk=None, filters=None):
    spec = spec_from_dict({**RSI_BOTH_WAYS, "risk": risk or {}, "filters": filters or {}})
    return run(compile_spec(spec)()).trades


def test_pips_are_ten_points_on_five_and_three_digit_quotes():
    assert pip_size(5, 1e-5) == pytest.approx(1e-4) and pip_size(3, 1e-3) == pytest.approx(1e-2)
    assert pip_size(2, 0.01) == 0.01


def test_stop_loss_and_take_profit_in_pips_are_placed_from_the_entry_price():
    trades = trades_of({"stop_loss": {"unit": "pips", "value": 30}, "take_profit": {"unit": "pips", "value": 60}})
    reasons = Counter(t.exit_reason for t in trades)
    assert reasons["sl"] > 5 and reasons["tp"] > 0
    for t in trades:
        sign = 1 if t.direction == "buy" else -1
        assert abs((t.open_price - t.sl) * sign - 0.0030) < 0.0015  # from the expected entry; fills at the next open
        assert abs((t.tp - t.open_price) * sign - 0.0060) < 0.0015
    losses = [t.profit for t in trades if t.exit_reason == "sl"]
    assert np.median(losses) == pytest.approx(-30, abs=5)  # 30 pips of 0.1 lot; weekend gaps cost more


def test_risk_percent_sizes_the_loss_at_the_stop():
    trades = trades_of({"risk_percent": 1, "stop_loss": {"unit": "atr", "value": 2}})
    stopped = [t for t in trades if t.exit_reason == "sl"]
    assert len({t.volume for t in trades}) > 3 and stopped
    assert np.median([-t.profit for t in stopped]) == pytest.approx(100, abs=20)  # 1% of ~10,000 USD


def test_trailing_stop_exit_after_max_positions_and_filters():
    trades = trades_of({"trailing_stop": {"unit": "pips", "value": 20}, "exit_after_bars": 24,
                        "max_open_positions": 2}, {"sessions": [{"name": "london"}], "weekdays": ["mon", "tue"]})
    assert Counter(t.exit_reason for t in trades)["sl"] > 5
    for t in trades:
        signal_time = t.open_time - timedelta(hours=1)
        assert signal_time.weekday() in (0, 1) and 7 <= signal_time.hour < 16
    assert all(t.close_time is None or t.close_time - t.open_time <= timedelta(hours=24 * 4) for t in trades)
    overlapping = sum(1 for a in trades for b in trades if a is not b and a.open_time < b.open_time
                      < (a.close_time or datetime.max))
    assert overlapping > 0  # two positions at once


def test_compile_spec_requires_a_validated_spec():
    with pytest.raises(ValueError, match="spec"):
        compile_spec({"entry_long": {}})
    with pytest.raises(ValueError, match="spec"):
        SpecStrategy()
