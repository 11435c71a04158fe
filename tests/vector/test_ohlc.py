"""The ``ohlc`` model ("1 minute OHLC") on the fast path, equal to the event engine bit for bit: a bar's path is its
M1 bars, each walked open -> low -> high -> close (or open -> high -> low -> close) with its own spread and times,
so a stop fires at the first M1 bar that reaches it, at that minute; a bar without M1 bars walks its own path.

The bars are the bundled EURUSD H1 2017 sample; its M1 bars are synthetic (the sample has none): a random walk with
a fixed seed inside each H1 bar's range, which does not start at the bar's open (gaps between M1 bars happen) and
skips about one bar in twenty.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from mas.data.store import BarSeries, load_bars
from mas.optimize.replay import replay
from mas.reports.metrics import compute_metrics
from mas.sim.settings import BacktestSettings
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.compiler import compile_spec
from mas.strategy.spec import spec_from_dict
from mas.vector import fast_backtest, market_limitation
from mas.vector.engine import FastMarket
from mas.vector.market_data import MarketData
from optimize.test_fast import specs

RISKS = {
    "sl and tp": {"lots": 0.5, "stop_loss": {"unit": "pips", "value": 10},
                  "take_profit": {"unit": "pips", "value": 15}},
    "risk sizing": {"risk_percent": 1.0, "stop_loss": {"unit": "pips", "value": 8},
                    "take_profit": {"unit": "atr", "value": 1.0, "atr_period": 14}},
    "trailing stop": {"lots": 0.2, "trailing_stop": {"unit": "pips", "value": 6}},
    "no stops": {"lots": 0.2, "exit_after_bars": 12},
}


def m1_inside(h1: np.ndarray, seed: int, missing: float = 0.05) -> np.ndarray:
    """Synthetic M1 bars inside each H1 bar: a 60-step random walk (fixed seed) mapped onto the bar's low .. high,
    at 5 digits, spreads around the H1 bar's; about ``missing`` of the H1 bars get none."""
    rng = np.random.default_rng(seed)
    bars = h1[rng.random(len(h1)) >= missing]
    walk = np.cumsum(rng.normal(0.0, 1.0, (len(bars), 61)), axis=1)
    lo, hi = walk.min(axis=1, keepdims=True), walk.max(axis=1, keepdims=True)
    path = np.round(bars["low"][:, None] + (walk - lo) / np.where(hi > lo, hi - lo, 1.0)
                    * (bars["high"] - bars["low"])[:, None], 5)
    out = np.zeros(len(bars) * 60, dtype=h1.dtype)
    out["time"] = (bars["time"][:, None] + 60 * np.arange(60)[None, :]).ravel()
    out["open"], out["close"] = path[:, :-1].ravel(), path[:, 1:].ravel()
    out["high"] = np.maximum(out["open"], out["close"])
    out["low"] = np.minimum(out["open"], out["close"])
    out["tick_volume"] = 10
    out["spread"] = np.maximum(np.repeat(bars["spread"], 60).astype(np.int64) + rng.integers(-3, 4, len(out)), 0)
    return out


def ohlc_data(**params) -> MarketData:
    """The first half of the bundled EURUSD H1 2017 with synthetic M1 bars, on the ``ohlc`` model."""
    document = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-06-30", "model": "ohlc",
                **params}
    settings = BacktestSettings.from_params(document)
    h1 = load_bars("EURUSD", "H1", settings.start, settings.end)
    m1 = BarSeries("EURUSD", "M1", m1_inside(h1.rates, 3), h1.price_side, h1.has_spread, "synthetic")
    return MarketData(settings=settings, params=document, series={"EURUSD": h1}, detail={"EURUSD": m1})


def ma_with(risk: dict):
    return spec_from_dict({**builtin_spec("ma").model_dump(mode="json", exclude_none=True), "risk": risk})


def same_backtest(fast, event) -> None:
    assert fast is not None and fast.settings["engine"] == "fast"
    assert [t.as_dict() for t in fast.trades] == [t.as_dict() for t in event.trades]
    np.testing.assert_array_equal(fast.balance, event.balance)
    np.testing.assert_array_equal(fast.equity, event.equity)
    np.testing.assert_array_equal(fast.margin, event.margin)
    assert compute_metrics(fast) == compute_metrics(event)


@pytest.mark.parametrize("account", [{}, {"spread": 12, "commission": 3.5, "slippage": 2}, {"currency": "EUR"}],
                         ids=["defaults", "costs", "eur-account"])
@pytest.mark.parametrize("risk", sorted(RISKS))
def test_the_ohlc_model_runs_on_the_fast_path_exactly(risk, account):
    data = ohlc_data(**account)
    assert market_limitation(data) is None
    spec = ma_with(RISKS[risk])
    market = FastMarket.build(data)
    fast = market.backtest(spec, "ma")
    event = replay(compile_spec(spec)(), data)
    same_backtest(fast, event)
    assert market.metrics(spec) == compute_metrics(event)
    if risk in ("sl and tp", "trailing stop"):  # the M1 paths decide: not the trades of the H1 bars' own paths
        on_bars = fast_backtest(spec, MarketData.load({**data.params, "model": "open_prices"}))
        assert [t.as_dict() for t in on_bars.trades] != [t.as_dict() for t in fast.trades]


def test_what_the_ohlc_model_leaves_to_the_event_engine():
    """A tick model without its source; several positions on the ``ohlc`` model no longer (they run here)."""
    data = ohlc_data()
    several = spec_from_dict({**ma_with({"lots": 0.1}).model_dump(mode="json", exclude_none=True),
                              "risk": {"lots": 0.1, "max_open_positions": 2}})
    assert fast_backtest(several, data) is not None  # several positions walk the M1 paths too (test_several.py)
    ticks = MarketData(settings=BacktestSettings.from_params({**data.params, "model": "every_tick"}),
                       params=data.params, series=data.series, detail={})
    assert market_limitation(ticks) == "the every_tick model without stored M1 bars"  # else: tests/vector/test_ticks.py


_OHLC: dict[tuple, MarketData] = {}


@given(specs(), st.sampled_from([{}, {"spread": 12, "commission": 3.5}, {"slippage": 2}, {"currency": "EUR"}]))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_specs_on_the_ohlc_model_trade_exactly_like_the_event_engine(spec, account):
    key = tuple(sorted(account.items()))
    if key not in _OHLC:
        _OHLC[key] = ohlc_data(**account, to="2017-02-28")
    data = _OHLC[key]
    fast = fast_backtest(spec, data)
    event("fast path" if fast is not None else "event engine")
    assume(fast is not None)
    same_backtest(fast, replay(compile_spec(spec)(), data))
    event("exits: " + ",".join(sorted({t.exit_reason for t in fast.trades})))
