"""The fast path equals the event engine: trades, balance and equity (the indicators and the rules bit for bit:
tests/vector/test_one_rule.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from mas.optimize.api import run_optimization
from mas.optimize.replay import replay
from mas.reports.metrics import compute_metrics
from mas.sim.market import prepare_rates
from mas.sim.symbols import resolve_spec
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.compiler import compile_spec
from mas.strategy.spec import SpecError, spec_from_dict
from mas.vector import FastMarket, fast_backtest
from mas.vector.candles import Candles, IndicatorCache
from mas.vector.engine import spec_limitation
from mas.vector.jit import HAVE_NUMBA
from mas.vector.kernel import VOLUME, py_round_one
from mas.vector.ledger import py_round
from mas.vector.market_data import MarketData

from .conftest import Q1

MONTH = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-01", "to": "2017-03-31"}
_DATA: dict[tuple, MarketData] = {}


def market(**extra) -> MarketData:
    key = tuple(sorted(extra.items()))
    if key not in _DATA:
        _DATA[key] = MarketData.load({**MONTH, **extra})
    return _DATA[key]


def assert_same_backtest(fast, event):
    assert fast is not None
    assert [t.as_dict() for t in fast.trades] == [t.as_dict() for t in event.trades]
    np.testing.assert_array_equal(fast.balance, event.balance)
    np.testing.assert_array_equal(fast.equity, event.equity)
    np.testing.assert_array_equal(fast.margin, event.margin)
    np.testing.assert_array_equal(fast.equity_times, event.equity_times)
    assert compute_metrics(fast) == compute_metrics(event)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 7))
def test_py_round_is_pythons_round(value, digits):
    halves = np.array([value, round(value, digits + 1) + 0.5 * 10.0 ** -digits, float(int(value)) + 0.125])
    assert py_round(halves, digits).tolist() == [round(float(v), digits) for v in halves]
    assert [py_round_one(float(v), 10.0 ** digits) for v in halves] == [round(float(v), digits) for v in halves]


@given(st.integers(-10 ** 9, 10 ** 9), st.sampled_from([2, 5, 8]), st.integers(-3, 3))
def test_the_kernels_round_is_pythons_round_at_the_halves(whole, digits, ulps):
    """Halves and their neighbours a few ulps away: where numpy's rounding and Python's can part."""
    half = (whole + 0.5) / 10.0 ** digits
    value = float(np.nextafter(half, np.inf if ulps > 0 else -np.inf)) if ulps else half
    for _ in range(abs(ulps) - 1):
        value = float(np.nextafter(value, np.inf if ulps > 0 else -np.inf))
    for x in (value, -value, value * 3.5, 0.125, -0.125, 1.295, -1.295):
        assert py_round_one(x, 10.0 ** digits) == round(x, digits)


@pytest.mark.parametrize("name", ["ma", "rsi", "macd", "kd", "bband"])
def test_builtin_specs_equal_the_hand_written_builtins(name):
    from mas.app import load_strategy

    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "from": Q1["start"], "to": Q1["end"],
                            "commission": 3.5, "spread": 8, "slippage": 1})
    assert_same_backtest(fast_backtest(builtin_spec(name), data), replay(load_strategy(name, {}), data))


# ------------------------------------------------------------------ random specs

SOURCES = ("close", "open", "high", "low")


@st.composite
def indicators(draw):
    kind = draw(st.sampled_from(["sma", "ema", "wma", "rsi", "macd", "bbands", "kd", "stoch", "atr", "adx", "cci",
                                 "willr", "highest", "lowest"]))
    period = draw(st.integers(2, 25))
    if kind in ("sma", "ema", "wma", "rsi", "highest", "lowest"):
        return {"kind": kind, "period": period, "source": draw(st.sampled_from(SOURCES))}
    if kind == "macd":
        fast = draw(st.integers(2, 12))
        return {"kind": kind, "fast": fast, "slow": fast + draw(st.integers(1, 14)), "signal": draw(st.integers(2, 9))}
    if kind == "bbands":
        return {"kind": kind, "period": period, "nbdev": draw(st.sampled_from([0.5, 1.0, 2.0, 2.5]))}
    if kind == "kd":
        return {"kind": kind, "period": period, "k_smooth": draw(st.integers(1, 5)),
                "d_smooth": draw(st.integers(1, 5))}
    if kind == "stoch":
        return {"kind": kind, "fastk": period, "slowk": draw(st.integers(1, 4)), "slowd": draw(st.integers(1, 4))}
    return {"kind": kind, "period": period}


OUTPUTS = {"macd": ["line", "signal", "hist"], "bbands": ["upper", "middle", "lower"], "kd": ["k", "d"],
           "stoch": ["k", "d"]}
LEVELS = {"rsi": (20, 80), "kd": (10, 90), "stoch": (10, 90), "adx": (10, 50), "cci": (-150, 150),
          "willr": (-90, -10)}


def operands(draw, defined):
    ident, definition = draw(st.sampled_from(defined))
    output = draw(st.sampled_from([None, *OUTPUTS.get(definition["kind"], [])]))
    back = draw(st.sampled_from([0, 0, 0, 1, 2]))
    operand = ident + (f".{output}" if output else "") + (f"[{back}]" if back else "")
    return operand, definition["kind"]


@st.composite
def conditions(draw, defined, depth=0):
    kind = draw(st.sampled_from(["cross", "cross", "compare", "between", "trend"] + (["all", "any", "not", "for"]
                                                                                    if depth < 2 else [])))
    left, left_kind = operands(draw, defined)
    if kind in ("compare", "between") and left_kind in LEVELS:
        low, high = LEVELS[left_kind]
        if kind == "between":
            return {"kind": "between", "value": left, "low": low, "high": high}
        return {"kind": "compare", "left": left, "op": draw(st.sampled_from(["<", "<=", ">", ">="])),
                "right": draw(st.sampled_from([low, high]))}
    if kind == "trend":
        return {"kind": draw(st.sampled_from(["rising", "falling"])), "value": left, "bars": draw(st.integers(1, 3))}
    if kind in ("all", "any"):
        count = draw(st.integers(1, 3))
        return {"kind": kind, "conditions": [draw(conditions(defined, depth + 1)) for _ in range(count)]}
    if kind == "not":
        return {"kind": "not", "condition": draw(conditions(defined, depth + 1))}
    if kind == "for":
        return {"kind": "for_bars", "condition": draw(conditions(defined, depth + 1)), "bars": draw(st.integers(2, 3))}
    same_scale = [(i, d) for i, d in defined if (d["kind"] in LEVELS) == (left_kind in LEVELS)]
    right = draw(st.sampled_from([*(operands(draw, same_scale)[0] for _ in range(2)), "close", "open"]))
    if left_kind in LEVELS:
        right = draw(st.sampled_from([operands(draw, same_scale)[0], float(sum(LEVELS[left_kind]) / 2)]))
    op = {"cross": draw(st.sampled_from(["crosses_above", "crosses_below"])), "compare": "compare"}[
        "cross" if kind == "cross" else "compare"]
    if op == "compare":
        return {"kind": "compare", "left": left, "op": draw(st.sampled_from(["<", ">", "<=", ">="])), "right": right}
    return {"kind": op, "left": left, "right": right}


def distances(draw):
    unit = draw(st.sampled_from(["pips", "points", "percent", "atr"]))
    value = {"pips": draw(st.sampled_from([5, 15, 40])), "points": draw(st.sampled_from([30, 120, 400])),
             "percent": draw(st.sampled_from([0.1, 0.3, 0.8])), "atr": draw(st.sampled_from([0.5, 1.5, 3]))}[unit]
    return {"unit": unit, "value": value, "atr_period": draw(st.integers(2, 20))}


@st.composite
def specs(draw):
    defined = [(f"ind{k}", draw(indicators())) for k in range(draw(st.integers(1, 3)))]
    document = {"indicators": [{"id": i, **d} for i, d in defined]}
    sides = draw(st.sampled_from([("long",), ("short",), ("long", "short")]))
    for side in sides:
        document[f"entry_{side}"] = draw(conditions(defined))
        if draw(st.booleans()):
            document[f"exit_{side}"] = draw(conditions(defined))
    risk = {"lots": draw(st.sampled_from([0.01, 0.1, 0.5, 1.0]))}
    for field in ("stop_loss", "take_profit", "trailing_stop"):
        if draw(st.booleans()):
            risk[field] = distances(draw)
    if draw(st.booleans()):  # risk-based sizing (needs a stop loss)
        risk["risk_percent"] = draw(st.sampled_from([0.05, 0.5, 1.0, 2.0, 5.0, 20.0]))
        risk.setdefault("stop_loss", distances(draw))
    if draw(st.booleans()):
        risk["exit_after_bars"] = draw(st.integers(1, 30))
    document["risk"] = risk
    if draw(st.integers(0, 3)) == 0:
        document["filters"] = {"sessions": [{"name": draw(st.sampled_from(["london", "tokyo", "sydney"]))}],
                               "weekdays": draw(st.lists(st.sampled_from(["mon", "tue", "wed", "thu", "fri"]),
                                                         min_size=1, max_size=3, unique=True))}
    try:
        return spec_from_dict(document)
    except SpecError:
        assume(False)


@given(specs(), st.sampled_from([None, 0, 12, 25]), st.sampled_from([None, 3.5, 7.0]), st.integers(0, 2))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_specs_trade_exactly_like_the_event_engine(spec, spread, commission, slippage):
    data = market(spread=spread, commission=commission, slippage=slippage)
    fast = fast_backtest(spec, data)
    sizing = "risk sizing" if spec.risk.risk_percent is not None else "fixed lots"
    event(f"{sizing}: " + ("fast path" if fast is not None else "event engine"))
    assume(fast is not None)  # the kernel left it to the event engine (near a margin limit)
    assert_same_backtest(fast, replay(compile_spec(spec)(), data))
    event("trades: " + ("none" if not fast.trades else "some" if len(fast.trades) < 20 else "many"))
    event("exits: " + ",".join(sorted({t.exit_reason for t in fast.trades})))
    event("trailing stop: " + ("yes" if spec.risk.trailing_stop is not None else "no"))
    if spec.risk.risk_percent is not None:
        event("risk sizing volumes: " + ("none" if not fast.trades else "one" if len({t.volume for t in fast.trades})
                                         == 1 else "several"))


def usdjpy_stored() -> None:
    """The bundled EURUSD H1 2017 with its prices times 100 plus 2, stored as USDJPY in the test's MAS_HOME."""
    from mas.data.store import clear_cache, dataset_path, load_bars, save_bars

    if dataset_path("USDJPY", "H1").exists():
        return
    rates = load_bars("EURUSD", "H1").rates.copy()
    for field in ("open", "high", "low", "close"):
        rates[field] = np.round(rates[field] * 100.0 + 2.0, 3)
    save_bars("USDJPY", "H1", rates, price_side="bid", has_spread=True)
    clear_cache()


@pytest.mark.parametrize(("symbol", "currency"), [("USDJPY", "USD"), ("EURUSD", "EUR")])
@given(spec=specs(), spread=st.sampled_from([None, 0, 12]), commission=st.sampled_from([None, 3.5]),
       slippage=st.integers(0, 2))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_specs_in_another_currency_trade_exactly_like_the_event_engine(symbol, currency, spec, spread,
                                                                              commission, slippage):
    """P&L in another currency than the account's (USDJPY on USD: the symbol converts itself; EURUSD on a EUR
    account: the same, the other way round): every random spec the kernel takes equals the event engine."""
    usdjpy_stored()
    data = market(symbol=symbol, currency=currency, spread=spread, commission=commission, slippage=slippage)
    fast = fast_backtest(spec, data)
    event("fast path" if fast is not None else "event engine")
    assume(fast is not None)
    assert_same_backtest(fast, replay(compile_spec(spec)(), data))
    event("swaps: " + ("yes" if any(t.swap for t in fast.trades) else "no"))
    event("exits: " + ",".join(sorted({t.exit_reason for t in fast.trades})))


def pyramiding(name: str, risk: dict, positions: int):
    """Built-in ``name`` trading both ways (shorts on its exit rule, covered on its entry rule), up to ``positions``
    positions at once."""
    document = builtin_spec(name).model_dump(mode="json", exclude_none=True)
    return spec_from_dict({**document, "entry_short": document["exit_long"], "exit_short": document["entry_long"],
                           "risk": {**risk, "max_open_positions": positions}})


def most_at_once(trades) -> int:
    """The most positions open at one time among ``trades`` (open at the fill, gone at the close)."""
    moments = sorted([(t.open_time.timestamp(), 1) for t in trades]
                     + [(t.close_time.timestamp(), -1) for t in trades if t.close_time is not None])
    return int(np.max(np.cumsum([step for _, step in moments]))) if moments else 0


@pytest.mark.parametrize("positions", [2, 3, 6])
@pytest.mark.parametrize("risk", [
    {"lots": 0.1},
    {"lots": 0.5, "stop_loss": {"unit": "pips", "value": 30}, "take_profit": {"unit": "pips", "value": 60}},
    {"lots": 0.2, "trailing_stop": {"unit": "atr", "value": 1.5, "atr_period": 14}},
    {"lots": 0.3, "exit_after_bars": 10, "take_profit": {"unit": "pips", "value": 20}},
    {"risk_percent": 1.0, "stop_loss": {"unit": "pips", "value": 30}, "take_profit": {"unit": "pips", "value": 60}},
], ids=["lots", "sl-tp", "trailing", "exit-after", "risk-sizing"])
def test_several_positions_run_on_the_fast_path_exactly(risk, positions):
    """Pyramiding: the RSI built-in adds a position at each repeated signal while fewer than ``positions`` are
    open, each with its own stops, and its exits close all of them. Trades (in closing order, then those still open
    in ticket order), balance, equity, the hedging account's margin and the metrics are the event engine's bit for
    bit (the whole bundled year, spread 12 points, commission 3.5 per lot)."""
    spec = pyramiding("rsi", risk, positions)
    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "spread": 12, "commission": 3.5})
    assert spec_limitation(spec, data.settings.specs()["EURUSD"]) is None
    market = FastMarket.build(data)
    fast = market.backtest(spec, "rsi")
    event_result = replay(compile_spec(spec)(), data)
    assert_same_backtest(fast, event_result)
    assert most_at_once(fast.trades) == positions  # the positions overlap, up to the limit
    assert market.metrics(spec) == compute_metrics(event_result)
    if spec.risk.risk_percent is not None:  # each sized from the equity of every open position at its signal
        assert len({t.volume for t in fast.trades}) > 1


def test_several_positions_optimize_like_the_event_engine():
    spec = pyramiding("rsi", {"lots": 0.2, "stop_loss": {"unit": "pips", "value": 40}}, 2)
    grid = {"risk.max_open_positions": [1, 2, 4], "rsi_14.period": [7, 14]}
    fast = run_optimization(spec, grid, engine="fast", **Q1)
    event_trials = run_optimization(spec, grid, engine="event", **Q1)
    assert [t.document() for t in fast.trials] == [t.document() for t in event_trials.trials]
    assert {t.status for t in fast.trials} == {"ok"}


@given(specs(), st.integers(2, 4), st.sampled_from([None, 0, 12]), st.sampled_from([None, 3.5]), st.integers(0, 2))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_random_specs_with_several_positions_trade_exactly_like_the_event_engine(spec, positions, spread, commission,
                                                                                 slippage):
    document = spec.model_dump(mode="json", exclude_none=True)
    spec = spec_from_dict({**document, "risk": {**document["risk"], "max_open_positions": positions}})
    data = market(spread=spread, commission=commission, slippage=slippage)
    fast = fast_backtest(spec, data)
    event("fast path" if fast is not None else "event engine")
    assume(fast is not None)
    assert_same_backtest(fast, replay(compile_spec(spec)(), data))
    event("at once: " + str(most_at_once(fast.trades)))
    event("sizing: " + ("risk" if spec.risk.risk_percent is not None else "lots"))
    event("exits: " + ",".join(sorted({t.exit_reason for t in fast.trades})))


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba is not installed: only the plain functions run")
def test_several_positions_are_the_same_with_and_without_numba(monkeypatch):
    """The plain Python kernel and books (what runs without numba) give the compiled ones' numbers."""
    from mas.vector import engine, jit, kernel, ledger, metrics, pyramid

    spec = pyramiding("rsi", {"lots": 0.5, "stop_loss": {"unit": "pips", "value": 30},
                              "take_profit": {"unit": "pips", "value": 60}}, 3)
    data = market(spread=12)
    compiled = fast_backtest(spec, data)
    compiled_metrics = FastMarket.build(data).metrics(spec)
    monkeypatch.setattr(engine, "simulate_many", pyramid.simulate_many.py_func)
    monkeypatch.setattr(kernel, "prefetch", jit._no_prefetch)
    for name in ("_several_equity", "_several_margins", "_balance_and_equity", "_swap_totals"):
        monkeypatch.setattr(ledger, name, getattr(ledger, name).py_func)
    monkeypatch.setattr(metrics, "USE_NUMBA", False)
    plain = fast_backtest(spec, data)
    assert most_at_once(plain.trades) == 3
    assert [t.as_dict() for t in plain.trades] == [t.as_dict() for t in compiled.trades]
    for field in ("balance", "equity", "margin"):
        np.testing.assert_array_equal(getattr(plain, field), getattr(compiled, field))
    assert FastMarket.build(data).metrics(spec) == compiled_metrics


def test_what_several_positions_leave_to_the_event_engine():
    spec = pyramiding("rsi", {"lots": 0.1}, 3)
    assert spec_limitation(spec, resolve_spec("EURUSD")) is None
    assert fast_backtest(spec, market(currency="EUR")) is not None  # another currency: tests/vector/test_several.py
    assert fast_backtest(spec, market(margin_mode="netting")) is not None  # merged: tests/vector/test_netting.py
    assert fast_backtest(spec, market()) is not None


# ------------------------------------------------------------------ what the fast path leaves to the event engine


def test_sets_near_the_margin_limit_fall_back_to_the_event_engine():
    near = builtin_spec("ma", volume=9.3)  # ~9,800 USD of margin on 10,000: accepted, but close to a rejection
    assert fast_backtest(near, market()) is None
    assert fast_backtest(builtin_spec("ma", volume=9.0), market()) is not None
    params = {"fast": [5], "slow": [20], "volume": [0.1, 9.3, 9.8]}
    fast = run_optimization("ma", params, engine="fast", **Q1)
    event = run_optimization("ma", params, engine="event", **Q1)
    assert [t.document() for t in fast.trials] == [t.document() for t in event.trials]
    assert [t.metrics["number_of_trades"] > 0 for t in fast.trials] == [True, True, False]  # 9.8 lots: refused


@pytest.mark.parametrize("risk", [
    {"trailing_stop": {"unit": "pips", "value": 20}},
    {"trailing_stop": {"unit": "atr", "value": 1.5, "atr_period": 14}, "take_profit": {"unit": "pips", "value": 60}},
    {"stop_loss": {"unit": "pips", "value": 50}, "trailing_stop": {"unit": "percent", "value": 0.2}},
])
def test_trailing_stops_run_on_the_fast_path_exactly(risk):
    """The stop moves at each close as the compiler moves it; the SL exits and the trades' last stops are the event
    engine's to the cent (the MA cross of the whole bundled year, spread 12 points)."""
    trailing = spec_from_dict({**builtin_spec("ma").model_dump(mode="json", exclude_none=True),
                               "risk": {"lots": 0.1, **risk}})
    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "spread": 12})
    fast = fast_backtest(trailing, data)
    assert fast is not None
    assert sum(t.exit_reason == "sl" for t in fast.trades) > 10  # the trailed stops do the closing
    assert_same_backtest(fast, replay(compile_spec(trailing)(), data))
    result = run_optimization(trailing, {"risk.trailing_stop.value": [10, 30]}, engine="fast", **Q1)
    assert [t.status for t in result.trials] == ["ok", "ok"]


@pytest.mark.parametrize(("percent", "stop"), [
    (1.0, {"unit": "pips", "value": 30}),
    (0.5, {"unit": "points", "value": 150}),
    (2.5, {"unit": "atr", "value": 1.5, "atr_period": 14}),
    (0.3, {"unit": "percent", "value": 0.3}),
    (0.02, {"unit": "pips", "value": 40}),  # below the minimum volume at most signals: those entries are not sent
])
def test_risk_based_sizing_runs_on_the_fast_path_exactly(percent, stop):
    """Each entry sized at its signal from the equity at that close (open position's floating P&L and swaps
    included) to lose ``percent`` at the stop: volumes, trades, balance, equity, margin and metrics are the event
    engine's bit for bit (the MA cross of the whole bundled year, spread 12 points, commission 3.5 per lot)."""
    sized = spec_from_dict({**builtin_spec("ma").model_dump(mode="json", exclude_none=True),
                            "risk": {"risk_percent": percent, "stop_loss": stop,
                                     "take_profit": {"unit": "pips", "value": 60}}})
    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "spread": 12, "commission": 3.5})
    fast = fast_backtest(sized, data)
    assert fast is not None
    event_result = replay(compile_spec(sized)(), data)
    assert_same_backtest(fast, event_result)
    if percent >= 0.3:
        assert len({t.volume for t in fast.trades}) > 1  # the volumes follow the equity and the stop distance
    else:
        assert len(fast.trades) < len(fast_backtest(builtin_spec("ma"), data).trades)
    result = run_optimization(sized, {"risk.risk_percent": [percent, 2 * percent]}, engine="fast", **Q1)
    event_trials = run_optimization(sized, {"risk.risk_percent": [percent, 2 * percent]}, engine="event", **Q1)
    assert [t.document() for t in result.trials] == [t.document() for t in event_trials.trials]


def test_risk_sized_volumes_are_written_into_the_trade_rows():
    sized = spec_from_dict({**builtin_spec("ma").model_dump(mode="json", exclude_none=True),
                            "risk": {"risk_percent": 1.0, "stop_loss": {"unit": "pips", "value": 25}}})
    data = market(spread=12)
    rows = FastMarket.build(data).trade_rows(sized)
    assert rows is not None and len(rows) > 5
    volumes = rows[:, VOLUME].tolist()  # one position at a time: the rows are in the records' order
    assert volumes == [t.volume for t in replay(compile_spec(sized)(), data).trades]
    assert len(set(volumes)) > 1
    assert spec_limitation(sized, data.settings.specs()["EURUSD"]) is None


def test_python_targets_use_the_event_engine():
    from mas.strategy.builtins import MACrossStrategy

    with pytest.raises(ValueError, match="engine fast: MACrossStrategy is a Python strategy"):
        run_optimization(MACrossStrategy, {"fast": [5]}, engine="fast", **Q1)


def test_spec_targets_take_dotted_parameters():
    spec = builtin_spec("ma")
    fast = run_optimization(spec, {"sma_5.period": [3, 5, 8], "risk.lots": [0.1, 0.2]}, engine="fast", **Q1)
    event = run_optimization(spec, {"sma_5.period": [3, 5, 8], "risk.lots": [0.1, 0.2]}, engine="event", **Q1)
    assert [t.document() for t in fast.trials] == [t.document() for t in event.trials]
    assert {t.status for t in fast.trials} == {"ok"}
    with pytest.raises(ValueError, match="has no field 'perid'"):
        run_optimization(spec, {"sma_5.perid": [3]}, **Q1)


@pytest.mark.parametrize("name", ["ma", "macd", "kd"])
def test_crosses_are_the_same_with_and_without_numba(name, monkeypatch):
    from mas.vector import signals

    data = market()
    symbol = resolve_spec("EURUSD")
    candles = Candles.from_rates(prepare_rates(data.series["EURUSD"], symbol, None)[0], symbol.point)
    spec = spec_from_dict({**builtin_spec(name).model_dump(mode="json", exclude_none=True),
                           "entry_short": {"kind": "crosses_below", "left": "close", "right": 1.07}})
    compiled = signals.rule_arrays(spec, candles, IndicatorCache(candles))
    monkeypatch.setattr(signals, "HAVE_NUMBA", False)
    plain = signals.rule_arrays(spec, candles, IndicatorCache(candles))
    assert compiled.keys() == plain.keys()
    for rule, fired in compiled.items():
        np.testing.assert_array_equal(fired, plain[rule])
    assert compiled["entry_long"].any() and compiled["entry_short"].any()
