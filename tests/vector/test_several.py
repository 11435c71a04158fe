"""Several positions at once (``max_open_positions > 1``) combined with P&L in another currency and with the ``ohlc``
model run on the fast path (:mod:`mas.vector.pyramid`), equal to the event engine bit for bit: trades (in closing
order, then those still open in ticket order), balance, equity, the hedging account's margin and the metrics.

In another profit currency the terminal values each position one by one (its raw P&L at the close converted at the
close's rate, plus its swaps, summed in ticket order), converts each exit at the rate of its moment, each rollover's
swap at the rate of that bar's open and each fill's margin at the fill's; on the ``ohlc`` model every position's
SL / TP is matched along each M1 bar in turn. Data: the bundled EURUSD H1 2017 sample (USDJPY as its prices
rescaled, EURGBP and GBPUSD as random walks: see test_currencies.py), synthetic M1 bars (see test_ohlc.py).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from mas.optimize.replay import replay
from mas.reports.metrics import compute_metrics
from mas.strategy.compiler import compile_spec
from mas.strategy.spec import spec_from_dict
from mas.vector import engine as fast_engine
from mas.vector import fast_backtest, jit, kernel, market_limitation
from mas.vector import ledger as fast_ledger
from mas.vector import metrics as fast_metrics
from mas.vector import pyramid as fast_pyramid
from mas.vector.engine import FastMarket
from mas.vector.jit import HAVE_NUMBA
from mas.vector.market_data import MarketData
from optimize.test_fast import assert_same_backtest, most_at_once, pyramiding, specs
from vector.test_currencies import random_walk, rescaled_usdjpy, store
from vector.test_ohlc import ohlc_data

RISKS = {
    "lots": {"lots": 0.3},
    "sl and tp": {"lots": 0.5, "stop_loss": {"unit": "pips", "value": 30},
                  "take_profit": {"unit": "pips", "value": 60}},
    "trailing stop": {"lots": 0.2, "trailing_stop": {"unit": "atr", "value": 1.5, "atr_period": 14}},
    "risk sizing": {"risk_percent": 1.0, "stop_loss": {"unit": "pips", "value": 30},
                    "take_profit": {"unit": "pips", "value": 60}},
    "exit after bars": {"lots": 0.3, "exit_after_bars": 10, "take_profit": {"unit": "pips", "value": 20}},
}
"""Each risk with up to 3 positions of the RSI built-in trading both ways."""


def same_backtest(fast, event_result) -> None:
    """The fast path ran (not a fallback) and gave the event engine's trades, curves and metrics."""
    assert fast is not None and fast.settings["engine"] == "fast"
    assert_same_backtest(fast, event_result)


def check(data: MarketData, risk: str, positions: int = 3) -> tuple[FastMarket, object]:
    """The fast path's backtest and optimizer metrics of RSI pyramiding with ``RISKS[risk]`` are the event
    engine's, and the positions do overlap."""
    assert market_limitation(data) is None
    spec = pyramiding("rsi", RISKS[risk], positions)
    market = FastMarket.build(data)
    fast = market.backtest(spec, "rsi")
    event_result = replay(compile_spec(spec)(), data)
    same_backtest(fast, event_result)
    assert market.metrics(spec) == compute_metrics(event_result)
    assert most_at_once(fast.trades) == positions
    if risk == "risk sizing":  # each entry sized from the equity of every open position at its signal
        assert len({t.volume for t in fast.trades}) > 1
    return market, fast


def converted(fast) -> bool:
    """Whether the first trade's P&L is not its raw profit-currency amount (it was converted)."""
    first = fast.trades[0]
    raw = (first.close_price - first.open_price) * (1 if first.direction == "buy" else -1) * 100_000 * first.volume
    return abs(first.profit - round(raw, 2)) > 0.01


ACCOUNTS = {
    "usdjpy on usd": {"symbol": "USDJPY"},
    "eurusd on eur": {"symbol": "EURUSD", "currency": "EUR"},
    "eurusd on jpy": {"symbol": "EURUSD", "currency": "JPY", "captital": 1_000_000},
    "eurgbp on usd": {"symbol": "EURGBP", "captital": 100_000},
}


@pytest.mark.parametrize("risk", sorted(RISKS))
@pytest.mark.parametrize("account", sorted(ACCOUNTS))
def test_several_positions_in_another_currency_equal_the_event_engine(account, risk):
    """Each way the terminal finds a rate: the symbol converting itself (USDJPY on USD, EURUSD on EUR), a stored
    conversion symbol (EURUSD on JPY: USDJPY), a cross of two stored symbols (EURGBP on USD: GBPUSD, EURUSD)."""
    store("USDJPY", rescaled_usdjpy())
    store("EURGBP", random_walk(7, 0.86, 0.0012))
    store("GBPUSD", random_walk(11, 1.25, 0.0015))
    data = MarketData.load({"timeframe": "H1", "to": "2017-08-31", "spread": 12, "commission": 3.5,
                            **ACCOUNTS[account]})
    market, fast = check(data, risk)
    assert market.conversion is not None and converted(fast)
    assert any(t.swap != 0.0 for t in fast.trades)


@pytest.mark.parametrize("risk", sorted(RISKS))
@pytest.mark.parametrize("account", [{}, {"spread": 12, "commission": 3.5, "slippage": 2}, {"currency": "EUR"}],
                         ids=["defaults", "costs", "eur-account"])
def test_several_positions_on_the_ohlc_model_equal_the_event_engine(account, risk):
    """Every position's SL / TP along the M1 bars (and both at once: M1 paths in another currency)."""
    data = ohlc_data(**account)
    market, fast = check(data, risk)
    assert market.detail is not None
    if risk in ("sl and tp", "trailing stop"):  # the M1 paths decide: not the trades of the H1 bars' own paths
        on_bars = fast_backtest(pyramiding("rsi", RISKS[risk], 3),
                                MarketData.load({**data.params, "model": "open_prices"}))
        assert [t.as_dict() for t in on_bars.trades] != [t.as_dict() for t in fast.trades]
        assert any(t.close_time is not None and t.close_time.minute != 0 for t in fast.trades)


def test_several_positions_on_a_netting_account_run_on_the_netting_kernel():
    """A netting account merges the entries into one position: :mod:`mas.vector.netting` runs it (its equality with
    the event engine: tests/vector/test_netting.py)."""
    spec = pyramiding("rsi", RISKS["lots"], 3)
    netting = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "to": "2017-03-31", "margin_mode": "netting"})
    assert market_limitation(netting) is None
    assert fast_backtest(spec, netting) is not None


_DATA: dict[tuple, MarketData] = {}


def cached(**params) -> MarketData:
    key = tuple(sorted(params.items()))
    if key not in _DATA:
        _DATA[key] = (ohlc_data(**{k: v for k, v in params.items() if k != "model"}, to="2017-02-28")
                      if params.get("model") == "ohlc" else
                      MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-01",
                                       "to": "2017-03-31", **params}))
    return _DATA[key]


@given(specs(), st.integers(2, 4), st.sampled_from([
    {"currency": "EUR"}, {"currency": "EUR", "spread": 12, "commission": 3.5, "slippage": 1},
    {"symbol": "USDJPY"}, {"symbol": "USDJPY", "spread": 0, "commission": 7.0},
    {"model": "ohlc"}, {"model": "ohlc", "spread": 12, "commission": 3.5, "slippage": 2},
    {"model": "ohlc", "currency": "EUR"}]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_specs_with_several_positions_in_another_currency_or_on_ohlc_equal_the_event_engine(spec, positions,
                                                                                                   account):
    if account.get("symbol") == "USDJPY":
        from optimize.test_fast import usdjpy_stored

        usdjpy_stored()
    document = spec.model_dump(mode="json", exclude_none=True)
    spec = spec_from_dict({**document, "risk": {**document["risk"], "max_open_positions": positions}})
    data = cached(**account)
    fast = fast_backtest(spec, data)
    event("fast path" if fast is not None else "event engine")
    assume(fast is not None)
    same_backtest(fast, replay(compile_spec(spec)(), data))
    event("at once: " + str(most_at_once(fast.trades)))
    event("model: " + data.settings.model + ", currency " + data.settings.currency)
    event("sizing: " + ("risk" if spec.risk.risk_percent is not None else "lots"))
    event("exits: " + ",".join(sorted({t.exit_reason for t in fast.trades})))


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba is not installed: only the plain functions run")
@pytest.mark.parametrize("account", [{"currency": "EUR"}, {"model": "ohlc", "currency": "EUR"}])
def test_several_converted_positions_are_the_same_with_and_without_numba(account, monkeypatch):
    """The plain Python kernel and books (what runs without numba) give the compiled ones' numbers."""
    spec = pyramiding("rsi", RISKS["risk sizing"], 3)
    data = cached(**account)
    compiled = fast_backtest(spec, data)
    compiled_metrics = FastMarket.build(data).metrics(spec)
    monkeypatch.setattr(fast_engine, "simulate_many", fast_pyramid.simulate_many.py_func)
    for name in ("_walk_many", "_watch", "_write", "_remove"):
        monkeypatch.setattr(fast_pyramid, name, getattr(fast_pyramid, name).py_func)
    monkeypatch.setattr(kernel, "prefetch", jit._no_prefetch)
    for name in ("_several_converted_equity", "_several_margins", "_balance_and_equity", "_converted_swaps"):
        monkeypatch.setattr(fast_ledger, name, getattr(fast_ledger, name).py_func)
    monkeypatch.setattr(fast_metrics, "USE_NUMBA", False)
    plain = fast_backtest(spec, data)
    assert compiled is not None and most_at_once(plain.trades) > 1
    same_backtest(plain, compiled)
    assert FastMarket.build(data).metrics(spec) == compiled_metrics
