"""Several entries on a netting account (``max_open_positions > 1``, ``margin_mode = "netting"``) on the fast path
(:mod:`mas.vector.netting`), equal to the event engine bit for bit: trades, balance, equity, margin and metrics.

The terminal merges every entry into one position (volume-weighted price rounded to ``digits + 3``, the first
entry's stops), an opposite entry reduces, closes or reverses it, an exit closes its entries' volume of it (a partial
close when others stay), and each closing deal is a trade record with its share of swaps and entry commissions. The
specs trade both ways with rare exit rules, so the opposite entries do the reducing and reversing (a reversal needs
risk-sized volumes: fixed lots only reduce); the bundled EURUSD H1 2017 sample, synthetic M1 bars for ``ohlc``.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from mas.optimize.api import run_optimization
from mas.optimize.replay import replay
from mas.reports.metrics import compute_metrics
from mas.strategy.compiler import compile_spec
from mas.strategy.spec import spec_from_dict
from mas.vector import fast_backtest, market_limitation
from mas.vector.engine import FastMarket
from mas.vector.market_data import MarketData
from optimize.test_fast import assert_same_backtest, pyramiding, specs
from vector.test_currencies import random_walk, rescaled_usdjpy, store
from vector.test_ohlc import ohlc_data
from vector.test_several import RISKS  # the same five risks as the hedging pyramid's tests
from vector.test_ticks import store_ticks


def swing(risk: dict, positions: int):
    """RSI both ways: long below 35, short above 65, exits only at the extremes (80 / 20)."""
    def rsi(op: str, value: float) -> dict:
        return {"kind": "compare", "left": "rsi_14", "op": op, "right": value}

    return spec_from_dict({
        "version": 1, "name": "swing", "indicators": [{"id": "rsi_14", "kind": "rsi", "period": 14, "source": "close"}],
        "entry_long": rsi("<", 35.0), "entry_short": rsi(">", 65.0), "exit_long": rsi(">", 80.0),
        "exit_short": rsi("<", 20.0), "risk": {**risk, "max_open_positions": positions}})


_DATA: dict[str, MarketData] = {}


def netting(model: str) -> MarketData:
    """The data of ``model`` on a netting account with costs (loaded once per test session)."""
    if model not in _DATA:
        costs = {"spread": 12, "commission": 3.5, "slippage": 2, "margin_mode": "netting"}
        _DATA[model] = (ohlc_data(**costs) if model == "ohlc" else
                        MarketData.load({"symbol": "EURUSD", "timeframe": "H1", **costs}))
    return _DATA[model]


def check(spec, data: MarketData):
    """The fast path ran (no fallback) and gave the event engine's backtest and optimizer metrics; the event
    engine's deals."""
    assert market_limitation(data) is None
    market = FastMarket.build(data)
    fast = market.backtest(spec, spec.name)
    event = replay(compile_spec(spec)(), data)
    assert fast is not None and fast.settings["engine"] == "fast"
    assert_same_backtest(fast, event)
    assert market.metrics(spec) == compute_metrics(event)
    return fast, Counter((d["entry"], d["reason"]) for d in event.deals if d["type"] in (0, 1))


@pytest.mark.parametrize("model", ["open_prices", "ohlc"])
@pytest.mark.parametrize("risk", sorted(RISKS))
def test_entries_merged_into_one_position_equal_the_event_engine(risk, model):
    fast, deals = check(swing(RISKS[risk], 3), netting(model))
    assert deals[(0, 3)] > deals[(1, 3)] + deals[(2, 3)]  # entries added to the open position
    assert len({t.open_price for t in fast.trades}) > len({t.position_id for t in fast.trades}) / 2  # merged prices
    if risk == "risk sizing":
        assert len({t.volume for t in fast.trades}) > 10
    if risk == "exit after bars":  # partial closes: an entry's volume taken off a position others stay in
        assert any(a.position_id == b.position_id and a.close_time < b.close_time
                   for a, b in zip(fast.trades, fast.trades[1:], strict=False))


def test_opposite_entries_reduce_and_reverse_the_position():
    """Risk-sized opposite entries bigger than the position reverse it (an ``inout`` deal keeping its ticket);
    smaller ones reduce it."""
    risk = {"risk_percent": 1.0, "stop_loss": {"unit": "atr", "value": 2.0, "atr_period": 14}}
    fast, deals = check(swing(risk, 3), netting("open_prices"))
    assert deals[(2, 3)] > 0 and deals[(1, 3)] > 0


def test_several_entries_on_a_netting_account_optimize_like_the_event_engine():
    """The optimizer's fast trials (metrics from the netting rows' curves) are its event trials."""
    grid = {"risk.max_open_positions": [1, 2, 3], "rsi_14.period": [9, 14]}
    account = {"symbol": "EURUSD", "timeframe": "H1", "start": "2017-01-01", "end": "2017-03-31",
               "backtest": {"margin_mode": "netting", "spread": 12, "commission": 3.5}}
    fast = run_optimization(swing(RISKS["exit after bars"], 1), grid, engine="fast", **account)
    event_trials = run_optimization(swing(RISKS["exit after bars"], 1), grid, engine="event", **account)
    assert [t.document() for t in fast.trials] == [t.document() for t in event_trials.trials]
    assert {t.status for t in fast.trials} == {"ok"}
    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "to": "2017-03-31", **account["backtest"]})
    assert FastMarket.build(data).metrics(swing(RISKS["exit after bars"], 3)) is not None  # not a fallback


@pytest.mark.parametrize("positions", [2, 4])
def test_pyramiding_closed_by_its_exit_rule_equals_the_event_engine(positions):
    """The RSI built-in adding at each repeated signal; its exit rule closes every entry in one order."""
    check(pyramiding("rsi", RISKS["sl and tp"], positions), netting("open_prices"))


ACCOUNTS = {
    "usdjpy on usd": {"symbol": "USDJPY"},
    "eurusd on eur": {"symbol": "EURUSD", "currency": "EUR"},
    "eurgbp on usd": {"symbol": "EURGBP", "captital": 100_000},
    "margin only": {"symbol": "EURUSD", "symbol_overrides": {"EURUSD": {"margin": "GBP"}}},
}
"""Each way the terminal finds a rate: the symbol converting itself (USDJPY on USD, EURUSD on EUR), a cross of two
stored symbols (EURGBP on USD: GBPUSD, EURUSD), and a margin alone in another currency (the P&L in the account's, so
the position is valued by its linear form, its margin converted at each fill: GBPUSD)."""


@pytest.mark.parametrize("risk", ["risk sizing", "exit after bars"])
@pytest.mark.parametrize("account", sorted(ACCOUNTS))
def test_one_merged_position_in_another_currency_equals_the_event_engine(account, risk):
    """The position valued as the terminal values one in another profit currency (its raw P&L at the close
    converted at the close's rate, plus its swaps), each exit converted at the rate of its moment, each rollover's
    swap at the bar's open, each fill's margin at the fill's rate (USDJPY as the sample's prices rescaled, EURGBP and
    GBPUSD random walks: see test_currencies.py)."""
    store("USDJPY", rescaled_usdjpy())
    store("EURGBP", random_walk(7, 0.86, 0.0012))
    store("GBPUSD", random_walk(11, 1.25, 0.0015))
    data = MarketData.load({"timeframe": "H1", "to": "2017-06-30", "spread": 12, "commission": 3.5,
                            "margin_mode": "netting", **ACCOUNTS[account]})
    fast, deals = check(swing(RISKS[risk], 3), data)
    assert FastMarket.build(data).conversion is not None and deals[(0, 3)] > deals[(1, 3)]
    assert any(t.swap != 0.0 for t in fast.trades)


@pytest.mark.parametrize("risk", ["sl and tp", "exit after bars"])
def test_several_entries_on_a_netting_account_on_a_tick_model_equal_the_event_engine(risk):
    """``every_tick``: the position's stops matched at each tick inside the bar (see test_ticks.py)."""
    store_ticks()
    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "to": "2017-02-28", "model": "every_tick",
                            "margin_mode": "netting", "spread": 12, "commission": 3.5})
    fast, _ = check(swing(RISKS[risk], 3), data)
    assert any(t.close_time is not None and t.close_time.second != 0 for t in fast.trades)


_QUARTERS: dict[tuple, MarketData] = {}


@given(specs(), st.integers(2, 4), st.sampled_from([{}, {"spread": 12, "commission": 3.5, "slippage": 1},
                                                   {"model": "ohlc", "spread": 12, "commission": 7.0}]))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_specs_with_several_entries_on_a_netting_account_equal_the_event_engine(spec, positions, account):
    document = spec.model_dump(mode="json", exclude_none=True)
    spec = spec_from_dict({**document, "risk": {**document["risk"], "max_open_positions": positions}})
    key = tuple(sorted(account.items()))
    if key not in _QUARTERS:
        params = {**account, "margin_mode": "netting"}
        _QUARTERS[key] = (ohlc_data(**{k: v for k, v in params.items() if k != "model"}, to="2017-03-31")
                          if account.get("model") == "ohlc" else
                          MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "to": "2017-03-31", **params}))
    data = _QUARTERS[key]
    fast = fast_backtest(spec, data)
    event("fast path" if fast is not None else "event engine")
    assume(fast is not None)  # near a margin limit
    assert_same_backtest(fast, replay(compile_spec(spec)(), data))
    event("sizing: " + ("risk" if spec.risk.risk_percent is not None else "lots"))
    event("exits: " + ",".join(sorted({t.exit_reason for t in fast.trades})))
