"""The tick models (``every_tick``: ticks synthesized from the stored M1 bars; ``real_ticks``: the stored ticks) on the
fast path, equal to the event engine bit for bit. A bar strategy on a tick model fills at the bar's open and matches
SL / TP at each tick inside the bar, in order, at the tick's bid and second (``TickPath``); the kernels walk each
tick as a bar whose open, high, low and close are its bid, so a stop fires at the first tick that reaches it.

Data: the bundled EURUSD H1 2017 (its first two months), synthetic M1 bars inside each H1 bar (see test_ohlc.py)
stored as EURUSD M1; for ``real_ticks`` the ticks synthesized from them, moved off the whole milliseconds by a random
jitter (fixed seed) and stored as EURUSD ticks.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from mas.data.store import clear_cache, dataset_path, load_bars, save_bars
from mas.data.tick_model import synthesize_ticks_from_m1
from mas.data.tick_store import save_ticks, stored_tick_days
from mas.optimize.replay import replay
from mas.reports.metrics import compute_metrics
from mas.strategy.compiler import compile_spec
from mas.strategy.spec import spec_from_dict
from mas.vector import fast_backtest, market_limitation
from mas.vector.engine import FastMarket
from mas.vector.market_data import MarketData
from optimize.test_fast import most_at_once, pyramiding, specs
from vector.test_ohlc import RISKS, m1_inside, ma_with
from vector.test_several import same_backtest

RANGE = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-02-28"}


def store_ticks() -> None:
    """Synthetic M1 bars (EURUSD M1) and jittered ticks (EURUSD ticks) in the test's MAS_HOME, once per home."""
    if dataset_path("EURUSD", "M1").exists() and stored_tick_days("EURUSD"):
        return
    h1 = load_bars("EURUSD", "H1").rates
    m1 = m1_inside(h1[h1["time"] < h1["time"][0] + 62 * 86400], 3)
    m1["tick_volume"] = np.random.default_rng(5).integers(1, 40, len(m1))
    save_bars("EURUSD", "M1", m1, price_side="bid", has_spread=True)
    ticks = synthesize_ticks_from_m1(m1, 5)
    jitter = np.random.default_rng(9).integers(0, 700, len(ticks))
    ticks["time_msc"] = np.maximum.accumulate(ticks["time_msc"] + jitter)
    ticks["time"] = ticks["time_msc"] // 1000
    save_ticks("EURUSD", ticks)
    clear_cache()


def check(spec, **params) -> object:
    data = MarketData.load({**RANGE, **params})
    assert market_limitation(data) is None
    market = FastMarket.build(data)
    assert market.detail is not None
    fast = market.backtest(spec, "spec")
    event_result = replay(compile_spec(spec)(), data)
    same_backtest(fast, event_result)
    assert market.metrics(spec) == compute_metrics(event_result)
    return fast


@pytest.mark.parametrize("account", [{}, {"spread": 12, "commission": 3.5, "slippage": 2}, {"currency": "EUR"}],
                         ids=["defaults", "costs", "eur-account"])
@pytest.mark.parametrize("model", ["every_tick", "real_ticks"])
@pytest.mark.parametrize("risk", sorted(RISKS))
def test_the_tick_models_run_on_the_fast_path_exactly(risk, model, account):
    store_ticks()
    fast = check(ma_with(RISKS[risk]), model=model, **account)
    if risk in ("sl and tp", "trailing stop"):  # the ticks decide: not the trades of the M1 bars' segments
        stops = [t for t in fast.trades if t.exit_reason in ("sl", "tp")]
        assert stops and any(t.close_time.second != 0 or t.close_time.minute != 0 for t in stops)
        ohlc = fast_backtest(ma_with(RISKS[risk]), MarketData.load({**RANGE, **account, "model": "open_prices"}))
        assert [t.as_dict() for t in ohlc.trades] != [t.as_dict() for t in fast.trades]


@pytest.mark.parametrize("model", ["every_tick", "real_ticks"])
@pytest.mark.parametrize("account", [{}, {"currency": "EUR", "spread": 12}], ids=["usd", "eur"])
def test_several_positions_on_the_tick_models_run_exactly(model, account):
    store_ticks()
    spec = pyramiding("rsi", RISKS["sl and tp"], 3)
    fast = check(spec, model=model, **account)
    assert most_at_once(fast.trades) == 3


def test_the_real_ticks_are_walked_not_the_m1_bars_they_came_from():
    """The jittered stored ticks move the stops' times off those of the ticks synthesized from the M1 bars."""
    store_ticks()
    spec = ma_with(RISKS["sl and tp"])
    synthesized, stored = (fast_backtest(spec, MarketData.load({**RANGE, "model": model}))
                           for model in ("every_tick", "real_ticks"))
    times = [[t.close_time for t in result.trades if t.exit_reason in ("sl", "tp")] for result in (synthesized, stored)]
    assert times[0] and times[0] != times[1]


def test_a_tick_model_without_its_source_is_left_to_the_event_engine():
    missing = MarketData.load({**RANGE, "model": "real_ticks"})
    assert market_limitation(missing) == "the real_ticks model without stored ticks"
    assert fast_backtest(ma_with(RISKS["sl and tp"]), missing) is None
    assert market_limitation(MarketData.load({**RANGE, "model": "every_tick"})) == (
        "the every_tick model without stored M1 bars")


_DATA: dict[tuple, MarketData] = {}


@given(specs(), st.sampled_from([1, 1, 3]), st.sampled_from([
    {"model": "every_tick"}, {"model": "real_ticks"}, {"model": "every_tick", "spread": 12, "slippage": 1},
    {"model": "real_ticks", "spread": 7, "commission": 3.5}, {"model": "every_tick", "currency": "EUR"}]))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_specs_on_the_tick_models_trade_exactly_like_the_event_engine(spec, positions, account):
    store_ticks()
    key = tuple(sorted(account.items()))
    if key not in _DATA:
        _DATA[key] = MarketData.load({**RANGE, "to": "2017-01-31", **account})
    data = _DATA[key]
    if positions > 1:
        document = spec.model_dump(mode="json", exclude_none=True)
        spec = spec_from_dict({**document, "risk": {**document["risk"], "max_open_positions": positions}})
    fast = fast_backtest(spec, data)
    event("fast path" if fast is not None else "event engine")
    assume(fast is not None)
    same_backtest(fast, replay(compile_spec(spec)(), data))
    event("model: " + data.settings.model)
    event("exits: " + ",".join(sorted({t.exit_reason for t in fast.trades})))
