"""P&L and margin in another currency than the account's run on the fast path, equal to the event engine: trades
(times, prices, volumes, profit, swap, commission), balance, equity, margin and metrics, bit for bit.

The terminal converts each exit's P&L at the rate of its moment, each rollover's swap at the rate of that bar's
open, the floating P&L at each close at the close's rate and the margin at the fill's. The cases cover each way
the rate is found: the symbol converting itself (USDJPY on a USD account, EURUSD on a EUR account: one over the
bid), a stored conversion symbol (EURUSD on a JPY account: USDJPY's bars, and the margin EUR -> JPY through USD,
the replayed EURUSD times stored USDJPY), and a cross whose symbols are both stored (EURGBP on a USD account:
GBPUSD for the P&L, EURUSD for the margin). Data: the bundled EURUSD H1 2017, USDJPY as its prices rescaled,
EURGBP and GBPUSD as random walks with a fixed seed.
"""

from __future__ import annotations

import numpy as np
import pytest

from mas.data.store import clear_cache, load_bars, save_bars
from mas.optimize.replay import replay
from mas.reports.metrics import compute_metrics
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.compiler import compile_spec
from mas.strategy.spec import spec_from_dict
from mas.vector import engine as fast_engine
from mas.vector import fast_backtest, jit, kernel, market_limitation
from mas.vector import ledger as fast_ledger
from mas.vector import metrics as fast_metrics
from mas.vector.engine import FastMarket
from mas.vector.jit import HAVE_NUMBA
from mas.vector.market_data import MarketData

RISKS = {
    "fixed lots": {"lots": 0.3},
    "sl and tp": {"lots": 0.5, "stop_loss": {"unit": "pips", "value": 30},
                  "take_profit": {"unit": "pips", "value": 60}},
    "trailing stop": {"lots": 0.2, "trailing_stop": {"unit": "atr", "value": 1.5, "atr_period": 14}},
    "risk sizing": {"risk_percent": 1.0, "stop_loss": {"unit": "pips", "value": 30},
                    "take_profit": {"unit": "pips", "value": 60}},
    "exit after bars": {"lots": 0.2, "exit_after_bars": 30, "stop_loss": {"unit": "percent", "value": 0.4}},
}


def ma_with(risk: dict):
    """The built-in MA cross (long and short) with ``risk``."""
    document = builtin_spec("ma").model_dump(mode="json", exclude_none=True)
    return spec_from_dict({**document, "entry_short": document["exit_long"], "exit_short": document["entry_long"],
                           "risk": risk})


def store(symbol: str, rates: np.ndarray) -> None:
    """Save ``rates`` as ``symbol``'s H1 bars in the test's MAS_HOME."""
    save_bars(symbol, "H1", rates, price_side="bid", has_spread=True)
    clear_cache()


def rescaled_usdjpy() -> np.ndarray:
    """The bundled EURUSD H1 2017 with its prices times 100 plus 2 (about 107 .. 122) at 3 digits."""
    rates = load_bars("EURUSD", "H1").rates.copy()
    for field in ("open", "high", "low", "close"):
        rates[field] = np.round(rates[field] * 100.0 + 2.0, 3)
    return rates


def random_walk(seed: int, start: float, volatility: float) -> np.ndarray:
    """H1 bars at the bundled sample's times: a random walk of closes (fixed seed), each bar's open the previous
    close, high and low a random reach beyond both, 5 digits, spreads of 8 to 20 points."""
    rates = load_bars("EURUSD", "H1").rates.copy()
    rng = np.random.default_rng(seed)
    close = start * np.exp(np.cumsum(rng.normal(0.0, volatility, len(rates))))
    open_ = np.concatenate(([start], close[:-1]))
    reach = np.abs(rng.normal(0.0, volatility * start, (2, len(rates))))
    rates["open"], rates["close"] = np.round(open_, 5), np.round(close, 5)
    rates["high"] = np.round(np.maximum(open_, close) + reach[0], 5)
    rates["low"] = np.round(np.minimum(open_, close) - reach[1], 5)
    rates["spread"] = rng.integers(8, 21, len(rates))
    return rates


def same_backtest(fast, event) -> None:
    assert fast is not None and fast.settings["engine"] == "fast"
    assert [t.as_dict() for t in fast.trades] == [t.as_dict() for t in event.trades]
    np.testing.assert_array_equal(fast.balance, event.balance)
    np.testing.assert_array_equal(fast.equity, event.equity)
    np.testing.assert_array_equal(fast.margin, event.margin)
    np.testing.assert_array_equal(fast.equity_times, event.equity_times)
    assert compute_metrics(fast) == compute_metrics(event)


def check(params: dict, risk: str) -> None:
    """The fast path's backtest, and its optimizer metrics, of the MA cross with ``RISKS[risk]`` are the event
    engine's; swaps are charged and the P&L is converted (it is not the raw profit-currency amount)."""
    data = MarketData.load({"timeframe": "H1", "spread": 12, "commission": 3.5, **params})
    assert market_limitation(data) is None
    market = FastMarket.build(data)
    assert market.conversion is not None
    spec = ma_with(RISKS[risk])
    fast = market.backtest(spec, "ma")
    event = replay(compile_spec(spec)(), data)
    same_backtest(fast, event)
    assert len(fast.trades) > 50 and any(t.swap != 0.0 for t in fast.trades)
    first = fast.trades[0]
    raw = (first.close_price - first.open_price) * (1 if first.direction == "buy" else -1) * 100_000 * first.volume
    assert abs(first.profit - round(raw, 2)) > 0.01
    assert market.metrics(spec) == compute_metrics(event)
    if risk == "risk sizing":
        assert len({t.volume for t in fast.trades}) > 1


@pytest.mark.parametrize("risk", sorted(RISKS))
def test_usdjpy_on_a_usd_account_equals_the_event_engine(risk):
    store("USDJPY", rescaled_usdjpy())
    check({"symbol": "USDJPY"}, risk)


@pytest.mark.parametrize("risk", sorted(RISKS))
def test_eurusd_on_a_eur_account_equals_the_event_engine(risk):
    check({"symbol": "EURUSD", "currency": "EUR"}, risk)


@pytest.mark.parametrize("risk", ["sl and tp", "risk sizing", "trailing stop"])
def test_eurusd_on_a_jpy_account_converts_through_stored_usdjpy(risk):
    store("USDJPY", rescaled_usdjpy())
    check({"symbol": "EURUSD", "currency": "JPY", "captital": 1_000_000}, risk)


@pytest.mark.parametrize("risk", ["fixed lots", "sl and tp", "risk sizing"])
def test_eurgbp_on_a_usd_account_converts_through_gbpusd_and_eurusd(risk):
    store("EURGBP", random_walk(7, 0.86, 0.0012))
    store("GBPUSD", random_walk(11, 1.25, 0.0015))
    check({"symbol": "EURGBP"}, risk)


def test_the_rates_are_found_as_the_terminal_finds_them():
    store("USDJPY", rescaled_usdjpy())
    usdjpy = FastMarket.build(MarketData.load({"symbol": "USDJPY", "timeframe": "H1"})).conversion
    assert usdjpy.profit.legs[0].tolist() == [0, 1, -1] and usdjpy.margin.is_one  # 1 / the given price; USD margin
    jpy = FastMarket.build(MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "currency": "JPY"})).conversion
    assert jpy.profit.legs.tolist() == [[2, 0, 0], [-1, -1, -1]]  # USD -> JPY: the stored USDJPY
    assert jpy.margin.legs.tolist() == [[1, 0, -1], [2, 0, 0]]  # EUR -> JPY: the replayed EURUSD times USDJPY
    assert FastMarket.build(MarketData.load({"symbol": "EURUSD", "timeframe": "H1"})).conversion is None


def test_conversion_prices_that_start_after_the_run_leave_it_to_the_event_engine():
    store("EURGBP", random_walk(7, 0.86, 0.0012))
    late = random_walk(11, 1.25, 0.0015)
    store("GBPUSD", late[late["time"] >= late["time"][500]])
    data = MarketData.load({"symbol": "EURGBP", "timeframe": "H1"})
    assert market_limitation(data) == "GBPUSD's stored prices do not cover the run"
    assert fast_backtest(ma_with(RISKS["fixed lots"]), data) is None
    missing = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "currency": "CHF"})
    assert market_limitation(missing) == "no prices to convert USD into CHF"


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba is not installed: only the plain functions run")
@pytest.mark.parametrize("risk", ["sl and tp", "risk sizing"])
def test_the_plain_python_kernel_and_books_give_the_same_numbers(risk, monkeypatch):
    """Without numba the same functions run as Python (the pure-numpy fallback): the same trades and books."""
    store("USDJPY", rescaled_usdjpy())
    data = MarketData.load({"symbol": "USDJPY", "timeframe": "H1", "to": "2017-04-30", "spread": 12})
    spec = ma_with(RISKS[risk])
    compiled = fast_backtest(spec, data)
    compiled_metrics = FastMarket.build(data).metrics(spec)
    monkeypatch.setattr(fast_engine, "simulate", fast_engine.simulate.py_func)
    monkeypatch.setattr(kernel, "prefetch", jit._no_prefetch)  # a compiled-only hint: nothing to ask for in Python
    for name in ("_converted_swaps", "_converted_equity", "_balance_and_equity", "_margin_per_bar"):
        monkeypatch.setattr(fast_ledger, name, getattr(fast_ledger, name).py_func)
    monkeypatch.setattr(fast_metrics, "USE_NUMBA", False)
    plain = fast_backtest(spec, data)
    same_backtest(plain, compiled)
    assert FastMarket.build(data).metrics(spec) == compiled_metrics
