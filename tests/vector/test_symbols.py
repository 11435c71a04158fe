"""Several symbols in one account on the fast path (:mod:`mas.vector.merged`), equal to the event engine bit for bit:
trades (closed in the order they closed on the merged clock, then those still open in ticket order, the tickets
numbered across symbols), balance, equity and margin at every bar of the merged clock, and the metrics; and what stays
with the event engine, with the reason ``market_limitation`` or ``limitation`` gives.

Data: the bundled EURUSD H1 2017; GBPUSD and AUDUSD as random walks at its times with some bars left out (so the merged
clock has ties and single bars), synthetic M1 bars for the ``ohlc`` model (see test_ohlc.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from mas.app import run_backtest
from mas.data.store import BarSeries, load_bars
from mas.optimize import run_optimization
from mas.optimize.replay import replay
from mas.reports.metrics import compute_metrics
from mas.sim.settings import BacktestSettings
from mas.strategy.compiler import compile_spec
from mas.strategy.spec import spec_from_dict
from mas.vector import fast_backtest, fast_market, market_limitation
from mas.vector.market_data import MarketData
from optimize.test_fast import assert_same_backtest, most_at_once, pyramiding, specs
from vector.test_currencies import ma_with, random_walk, rescaled_usdjpy, store
from vector.test_ohlc import m1_inside

RISKS = {
    "fixed lots": {"lots": 0.3},
    "sl and tp": {"lots": 0.3, "stop_loss": {"unit": "pips", "value": 30},
                  "take_profit": {"unit": "pips", "value": 60}},
    "trailing stop": {"lots": 0.2, "trailing_stop": {"unit": "atr", "value": 1.5, "atr_period": 14}},
    "exit after bars": {"lots": 0.2, "exit_after_bars": 30, "stop_loss": {"unit": "percent", "value": 0.4}},
}
TWO = {"symbol": ["EURUSD", "GBPUSD"], "timeframe": "H1", "to": "2017-04-30"}


def with_holes(rates: np.ndarray, every: int) -> np.ndarray:
    """``rates`` without every ``every``-th bar (the last bar kept: the symbols end together)."""
    keep = np.arange(len(rates)) % every != every - 1
    keep[-1] = True
    return rates[keep]


def store_symbols() -> None:
    """GBPUSD and AUDUSD H1 bars in the test's MAS_HOME: random walks, some bars left out."""
    store("GBPUSD", with_holes(random_walk(11, 1.25, 0.0015), 7))
    store("AUDUSD", with_holes(random_walk(5, 0.75, 0.0014), 5))


def check(data: MarketData, spec, label: str = "ma"):
    """The fast path's backtest and metrics of ``spec`` are the event engine's; returns the fast result."""
    assert market_limitation(data) is None
    market = fast_market(data)
    assert market.limitation(spec) is None
    fast = market.backtest(spec, label)
    assert fast is not None and fast.settings["engine"] == "fast"
    event_result = replay(compile_spec(spec)(), data)
    assert_same_backtest(fast, event_result)
    assert market.metrics(spec) == compute_metrics(event_result)
    return fast


def interleaved(trades) -> bool:
    """Whether the tickets alternate between symbols (not each symbol's block of numbers)."""
    by_ticket = [t.symbol for t in sorted(trades, key=lambda t: t.position_id)]
    return sum(a != b for a, b in zip(by_ticket, by_ticket[1:], strict=False)) > 1


@pytest.mark.parametrize("account", [{}, {"spread": 12, "commission": 3.5, "slippage": 2}, {"margin_mode": "netting"}],
                         ids=["defaults", "costs", "netting"])
@pytest.mark.parametrize("risk", sorted(RISKS))
def test_two_symbols_in_one_account_equal_the_event_engine(risk, account):
    """The MA cross both ways on EURUSD and GBPUSD at once: one account, one merged clock (ties in the symbols'
    order), one ticket counter."""
    store_symbols()
    data = MarketData.load({**TWO, **account})
    fast = check(data, ma_with(RISKS[risk]))
    assert {t.symbol for t in fast.trades} == {"EURUSD", "GBPUSD"}
    assert interleaved(fast.trades)
    assert len(fast.equity_times) == data.bars and len(np.unique(fast.equity_times)) < data.bars  # ties
    assert any(t.swap != 0.0 for t in fast.trades)
    if "stop_loss" in RISKS[risk] or "take_profit" in RISKS[risk]:
        assert {t.exit_reason for t in fast.trades} >= {"sl", "expert"}


def test_three_symbols_value_their_positions_in_ticket_order():
    """Three symbols given out of name order: the equity adds the positions in ticket order, the ties of the merged
    clock follow the given order."""
    store_symbols()
    data = MarketData.load({**TWO, "symbol": ["GBPUSD", "AUDUSD", "EURUSD"], "spread": 10, "commission": 3.5})
    fast = check(data, ma_with(RISKS["sl and tp"]))
    assert {t.symbol for t in fast.trades} == {"EURUSD", "GBPUSD", "AUDUSD"}
    assert most_at_once(fast.trades) == 3 and interleaved(fast.trades)


def test_a_symbol_whose_last_bar_is_not_the_runs_last_still_trails_its_stop():
    """Only the run's very last bar is the strategy's end: EURUSD's last bar (GBPUSD's comes after it, at the same
    time) still moves the open position's trailing stop, which EURUSD alone (its last bar the end) does not."""
    store("GBPUSD", with_holes(random_walk(11, 1.25, 0.0015), 7))
    spec = spec_from_dict({"indicators": [{"id": "ma", "kind": "sma", "period": 6, "source": "close"}],
                           "entry_short": {"kind": "crosses_above", "left": "ma", "right": "ma[1]"},
                           "risk": {"lots": 0.01, "stop_loss": {"unit": "pips", "value": 5},
                                    "trailing_stop": {"unit": "pips", "value": 5}}})
    data = MarketData.load({**TWO, "from": "2017-03-01", "to": "2017-03-31"})
    fast = check(data, spec)
    alone = fast_backtest(spec, data.of_symbol("EURUSD"))
    ends = [[t.sl for t in result.trades if t.is_open and t.symbol == "EURUSD"] for result in (fast, alone)]
    assert len(ends[0]) == 1 and ends[0] != ends[1]


def test_two_symbols_on_the_ohlc_model_equal_the_event_engine():
    """Each symbol's SL / TP along its own M1 bars, the account merged at each H1 bar of either."""
    store_symbols()
    document = {**TWO, "model": "ohlc", "spread": 12, "commission": 3.5}
    settings_ = BacktestSettings.from_params(document)
    series = {name: load_bars(name, "H1", settings_.start, settings_.end) for name in TWO["symbol"]}
    detail = {name: BarSeries(name, "M1", m1_inside(bars.rates, seed), bars.price_side, bars.has_spread, "synthetic")
              for seed, (name, bars) in enumerate(series.items(), start=3)}
    data = MarketData(settings=settings_, params=document, series=series, detail=detail)
    for risk in ("sl and tp", "trailing stop"):
        fast = check(data, ma_with(RISKS[risk]))
        assert any(t.close_time is not None and t.close_time.minute != 0 for t in fast.trades)


def test_positions_still_open_are_listed_in_the_order_they_were_filled():
    """An order sent later can fill first: GBPUSD's entry (ticket 1) waits for its symbol's next bar, which comes at the
    same time as EURUSD's, and EURUSD settles first. The terminal lists its positions as they were filled, and so
    does the fast path (hypothesis found this one)."""
    store("GBPUSD", with_holes(random_walk(11, 1.25, 0.0015), 7))
    spec = spec_from_dict({"indicators": [{"id": "ma", "kind": "sma", "period": 2, "source": "close"},
                                          {"id": "rsi", "kind": "rsi", "period": 2, "source": "close"}],
                           "entry_long": {"kind": "falling", "value": "rsi", "bars": 1},
                           "risk": {"lots": 0.01, "max_open_positions": 1},
                           "filters": {"sessions": [{"name": "tokyo", "start": "00:00", "end": "09:00"}],
                                       "weekdays": ["thu"]}})
    data = MarketData.load({**TWO, "from": "2017-03-01", "to": "2017-03-31", "slippage": 0})
    fast = check(data, spec)
    still_open = [t.position_id for t in fast.trades if t.is_open]
    assert len(still_open) == 2 and still_open != sorted(still_open)


@given(specs(), st.sampled_from([None, 12]), st.sampled_from([None, 3.5]), st.integers(0, 1))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                                HealthCheck.function_scoped_fixture])
def test_random_specs_on_two_symbols_trade_exactly_like_the_event_engine(spec, spread, commission, slippage):
    store("GBPUSD", with_holes(random_walk(11, 1.25, 0.0015), 7))
    data = MarketData.load({**TWO, "from": "2017-03-01", "to": "2017-03-31", "spread": spread,
                            "commission": commission, "slippage": slippage})
    fast = fast_backtest(spec, data)
    if spec.risk.risk_percent is not None:
        assert fast is None  # sized from the whole account's equity: the event engine
    event("fast path" if fast is not None else "event engine")
    assume(fast is not None)  # risk sizing, or the merged account near a margin limit
    assert_same_backtest(fast, replay(compile_spec(spec)(), data))
    event("trades: " + ("none" if not fast.trades else "some" if len(fast.trades) < 20 else "many"))


def test_a_two_symbol_backtest_and_optimization_run_on_the_fast_path():
    """``run_backtest(engine="fast")`` and the optimizer's fast sweep take several symbols: the event engine's
    numbers."""
    store_symbols()
    spec = ma_with(RISKS["sl and tp"])
    params = {**TWO, "to": "2017-02-28"}
    fast = run_backtest(compile_spec(spec)(), params, spec=spec, engine="fast")
    assert fast.settings["engine"] == "fast" and fast.settings["symbol"] == "EURUSD,GBPUSD"
    assert_same_backtest(fast, run_backtest(compile_spec(spec)(), params, engine="event"))
    grid = {"risk.lots": [0.1, 0.4], "risk.take_profit.value": [40, 80]}
    window = {"symbol": TWO["symbol"], "start": "2017-01-01", "end": "2017-02-28"}
    on_fast = run_optimization(spec, grid, engine="fast", **window)
    on_event = run_optimization(spec, grid, engine="event", **window)
    assert [t.document() for t in on_fast.trials] == [t.document() for t in on_event.trials]
    assert {t.status for t in on_fast.trials} == {"ok"}


def test_what_several_symbols_leave_to_the_event_engine():
    """Each refusal names its reason (``market_limitation``'s docstring and docs/howto/optimize.md explain them)."""
    store_symbols()
    data = MarketData.load(TWO)
    market = fast_market(data)
    sizing = ma_with({"risk_percent": 1.0, "stop_loss": {"unit": "pips", "value": 30}})
    assert market.limitation(sizing).startswith("risk-sized entries on several symbols")
    assert fast_backtest(sizing, data) is None
    several = pyramiding("rsi", {"lots": 0.1}, 2)
    assert market.limitation(several).startswith("several positions at once on several symbols")
    store("USDJPY", rescaled_usdjpy())
    assert market_limitation(MarketData.load({**TWO, "symbol": ["EURUSD", "USDJPY"]})) == (
        "several symbols with P&L or margin in another currency than the account's")
    assert market_limitation(MarketData.load({**TWO, "model": "every_tick"})) == "several symbols on a tick model"
    store("NZDUSD", random_walk(3, 0.7, 0.0015)[:-30])
    assert market_limitation(MarketData.load({**TWO, "symbol": ["EURUSD", "NZDUSD"], "to": "2017-12-31"})) == (
        "several symbols whose bars end at different times")


def test_a_merged_account_near_its_margin_falls_back_to_the_event_engine():
    """Each symbol alone has the margin for its positions, the two together do not: the kernels (each watching an
    account of its own) pass them, the merged account's watch leaves the set to the event engine, which rejects
    fills."""
    store_symbols()
    data = MarketData.load({**TWO, "to": "2017-02-28", "capital": 5000})
    spec = ma_with({"lots": 0.5})
    for name in TWO["symbol"]:
        assert fast_backtest(spec, data.of_symbol(name)) is not None
    assert fast_backtest(spec, data) is None
    event_result = replay(compile_spec(spec)(), data)
    alone = sum(len(fast_backtest(spec, data.of_symbol(name)).trades) for name in TWO["symbol"])
    assert len(event_result.trades) < alone  # the terminal refused entries the symbols alone would have taken
