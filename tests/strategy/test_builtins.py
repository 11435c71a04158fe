"""Built-in strategies: parameters, the documented rules, the MAS order convention, and real backtests."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pytest

import mas
from mas.strategy import BUILTIN_STRATEGIES
from mas.strategy.builtins import (
    BollingerStrategy,
    BuiltinStrategy,
    KDStrategy,
    MACDStrategy,
    MACrossStrategy,
    RSIStrategy,
)

from .reference import exact_sma_difference, expected_orders

NAMES = ["ma", "rsi", "macd", "kd", "bband"]
BACKTEST = {
    "symbol": "EURUSD",
    "timeframe": "H1",
    "from": "2017-01-01",
    "to": "2017-12-31",
    "captital": 10000,
    "backtest_toggle": True,
}


def recording(cls: type[BuiltinStrategy], reject: tuple[int, ...] = ()) -> BuiltinStrategy:
    """An instance whose send_order records (bar number, params) and returns ids "1", "2", ...

    The n-th order (1-based) is rejected (None) when n is in ``reject``.
    """

    class Recorder(cls):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.bar_no = -1
            self.sent: list[tuple[int, dict]] = []

        def send_order(self, params):
            self.sent.append((self.bar_no, dict(params)))
            n = len(self.sent)
            return None if n in reject else str(n)

    return Recorder


def feed(strategy, df: pd.DataFrame, symbol: str = "EURUSD", end: bool = True) -> None:
    """Replay the frame's bars into receive_bars, is_end on the last one (if ``end``)."""
    last = len(df) - 1
    for i, row in enumerate(df.itertuples(index=False)):
        strategy.bar_no = i
        bar = {
            "time": row.time.to_pydatetime(),
            "open": row.open,
            "high": row.high,
            "low": row.low,
            "close": row.close,
            "volume": row.volume,
            "timeframe": "H1",
        }
        strategy.receive_bars(symbol, bar, end and i == last)


def sides(sent) -> list[tuple[int, str]]:
    return [(i, params["order_type"]) for i, params in sent]


# ------------------------------------------------------------------- registry and parameters


def test_registry_maps_the_five_names():
    assert list(BUILTIN_STRATEGIES) == NAMES
    assert BUILTIN_STRATEGIES == {
        "ma": MACrossStrategy,
        "rsi": RSIStrategy,
        "macd": MACDStrategy,
        "kd": KDStrategy,
        "bband": BollingerStrategy,
    }
    for name, cls in BUILTIN_STRATEGIES.items():
        assert cls.name == name
        assert issubclass(cls, mas.MAS)


def test_default_params():
    assert MACrossStrategy.default_params() == {"fast": 5, "slow": 20, "volume": 0.1}
    assert RSIStrategy.default_params() == {"period": 14, "oversold": 30.0, "overbought": 70.0, "volume": 0.1}
    assert MACDStrategy.default_params() == {"fast": 12, "slow": 26, "signal": 9, "volume": 0.1}
    assert KDStrategy.default_params() == {
        "period": 9,
        "k_smooth": 3,
        "d_smooth": 3,
        "oversold": 20.0,
        "overbought": 80.0,
        "volume": 0.1,
    }
    assert BollingerStrategy.default_params() == {"period": 20, "nbdev": 2.0, "volume": 0.1}


@pytest.mark.parametrize("name", NAMES)
def test_instances_keep_their_parameters(name):
    cls = BUILTIN_STRATEGIES[name]
    strategy = cls()
    assert strategy.params() == cls.default_params()
    assert strategy.backtest_toggle is True
    assert cls(volume=0.5, backtest_toggle=False).params()["volume"] == 0.5
    assert cls(backtest_toggle=False).backtest_toggle is False


@pytest.mark.parametrize(
    ("cls", "kwargs", "name"),
    [
        (MACrossStrategy, {"fast": 20, "slow": 5}, "fast"),
        (MACrossStrategy, {"fast": 20, "slow": 20}, "fast"),
        (MACrossStrategy, {"fast": 0}, "fast"),
        (MACrossStrategy, {"slow": 2.5}, "slow"),
        (MACrossStrategy, {"volume": 0}, "volume"),
        (MACrossStrategy, {"volume": "0.1"}, "volume"),
        (MACrossStrategy, {"backtest_toggle": "yes"}, "backtest_toggle"),
        (RSIStrategy, {"period": 0}, "period"),
        (RSIStrategy, {"oversold": 80, "overbought": 70}, "oversold"),
        (RSIStrategy, {"overbought": 120}, "overbought"),
        (RSIStrategy, {"oversold": float("nan")}, "oversold"),
        (MACDStrategy, {"fast": 26, "slow": 12}, "fast"),
        (MACDStrategy, {"signal": 0}, "signal"),
        (KDStrategy, {"period": -1}, "period"),
        (KDStrategy, {"k_smooth": 0}, "k_smooth"),
        (KDStrategy, {"d_smooth": 1.5}, "d_smooth"),
        (KDStrategy, {"oversold": 90}, "oversold"),
        (BollingerStrategy, {"period": 1}, "period"),
        (BollingerStrategy, {"nbdev": 0}, "nbdev"),
        (BollingerStrategy, {"nbdev": -2}, "nbdev"),
    ],
)
def test_bad_parameters_raise_naming_them(cls, kwargs, name):
    with pytest.raises(ValueError, match=name):
        cls(**kwargs)


def test_unknown_parameter_is_a_type_error():
    with pytest.raises(TypeError):
        MACrossStrategy(fats=5)


# ------------------------------------------------------------------- rules, without the engine


@pytest.mark.parametrize("name", NAMES)
def test_orders_follow_the_documented_rules(sample, name):
    strategy = recording(BUILTIN_STRATEGIES[name])()
    feed(strategy, sample)
    expected = expected_orders(name, sample["high"], sample["low"], sample["close"])
    assert len(expected) >= 10
    assert sides(strategy.sent) == expected


@pytest.mark.parametrize("name", NAMES)
def test_orders_use_the_mas_convention(sample, name):
    strategy = recording(BUILTIN_STRATEGIES[name])(volume=0.3)
    feed(strategy, sample)
    last_buy_id = None
    for n, (_, params) in enumerate(strategy.sent, start=1):
        if params["order_type"] == "buy":
            assert params == {"symbol": "EURUSD", "order_type": "buy", "volume": 0.3, "backtest_toggle": True}
            last_buy_id = str(n)
        else:
            assert params == {
                "symbol": "EURUSD",
                "order_type": "sell",
                "volume": 0.3,
                "order_id": last_buy_id,
                "backtest_toggle": True,
            }
    holding = strategy.sent[-1][1]["order_type"] == "buy"
    assert strategy.open_order_ids == ({"EURUSD": str(len(strategy.sent))} if holding else {})


def test_backtest_toggle_false_is_sent_live(sample):
    strategy = recording(MACrossStrategy)(backtest_toggle=False)
    feed(strategy, sample.iloc[:300])
    assert strategy.sent
    assert all(params["backtest_toggle"] is False for _, params in strategy.sent)


def test_flipping_the_attribute_switches_mode(sample):
    strategy = recording(MACrossStrategy)()
    strategy.backtest_toggle = False
    feed(strategy, sample.iloc[:300])
    assert strategy.sent and all(params["backtest_toggle"] is False for _, params in strategy.sent)


@pytest.mark.parametrize("name", NAMES)
def test_symbols_are_tracked_separately(sample, name):
    cls = BUILTIN_STRATEGIES[name]
    first = sample.iloc[:1500].reset_index(drop=True)
    second = sample.iloc[3000:4500].reset_index(drop=True)
    second[["open", "high", "low", "close"]] *= 1.25  # a different market, "GBPUSD"

    alone = {}
    for symbol, df in (("EURUSD", first), ("GBPUSD", second)):
        s = recording(cls)()
        feed(s, df, symbol, end=False)
        alone[symbol] = sides(s.sent)

    both = recording(cls)()
    for i in range(len(first)):  # interleaved, as a multi-symbol replay merges by time
        for symbol, df in (("EURUSD", first), ("GBPUSD", second)):
            both.bar_no = i
            row = df.iloc[i]
            bar = {k: row[k] for k in ("time", "open", "high", "low", "close", "volume")}
            both.receive_bars(symbol, {**bar, "timeframe": "H1"}, False)
    together = {"EURUSD": [], "GBPUSD": []}
    for i, params in both.sent:
        together[params["symbol"]].append((i, params["order_type"]))
    assert together == alone
    assert alone["EURUSD"] and alone["GBPUSD"]
    ids = {n: params for n, (_, params) in enumerate(both.sent, start=1)}
    for params in ids.values():  # every close names the buy of its own symbol
        if params["order_type"] == "sell":
            assert ids[int(params["order_id"])]["symbol"] == params["symbol"]


def test_rejected_entry_stays_flat_and_retries(sample):
    normal = recording(MACrossStrategy)()
    feed(normal, sample)
    strategy = recording(MACrossStrategy, reject=(1,))()
    feed(strategy, sample)
    got = sides(strategy.sent)
    exp = sides(normal.sent)
    assert got[0] == exp[0]  # the first buy, rejected
    assert got[1] == exp[2]  # its exit is skipped; the next cross up buys again
    assert got[1:] == exp[2:]


def test_rejected_exit_keeps_the_position_and_retries(sample):
    strategy = recording(RSIStrategy, reject=(2,))()
    feed(strategy, sample)
    (_, buy), (i_sell, sell), (i_retry, retry) = strategy.sent[:3]
    assert buy["order_type"] == "buy"
    assert sell["order_type"] == retry["order_type"] == "sell"
    assert sell["order_id"] == retry["order_id"] == "1"
    assert i_retry > i_sell


def test_an_entry_that_dies_after_acceptance_is_forgotten(sample):
    strategy = recording(MACrossStrategy)()
    first_buy = expected_orders("ma", sample["high"], sample["low"], sample["close"])[0][0]
    feed(strategy, sample.iloc[: first_buy + 1], end=False)
    assert strategy.open_order_ids == {"EURUSD": "1"}
    strategy.receive_order_status("99", {"status": 10019, "retcode": 10019, "message": "", "request": {}})
    assert strategy.open_order_ids == {"EURUSD": "1"}  # not ours
    strategy.receive_order_status("1", {"status": 10008, "retcode": 10008, "message": "placed", "request": {}})
    assert strategy.open_order_ids == {"EURUSD": "1"}
    strategy.receive_order_status(
        "1", {"status": 10019, "retcode": 10019, "message": "No money", "request": {}, "state": 5}
    )
    assert strategy.open_order_ids == {}


@pytest.mark.parametrize("name", NAMES)
def test_no_order_on_the_last_bar_of_a_replay(sample, name):
    first_order = expected_orders(name, sample["high"], sample["low"], sample["close"])[0][0]
    strategy = recording(BUILTIN_STRATEGIES[name])()
    feed(strategy, sample.iloc[: first_order + 1], end=True)
    assert strategy.sent == []
    strategy = recording(BUILTIN_STRATEGIES[name])()
    feed(strategy, sample.iloc[: first_order + 1], end=False)
    assert sides(strategy.sent) == [(first_order, "buy")]


# ------------------------------------------------------------------- real backtests (the engine)


def _naive_utc(t) -> datetime:
    if isinstance(t, (int, float, np.integer, np.floating)):
        return datetime.fromtimestamp(float(t), tz=timezone.utc).replace(tzinfo=None)
    t = pd.Timestamp(t)
    if t.tzinfo is not None:
        t = t.tz_convert("UTC").tz_localize(None)
    return t.to_pydatetime()


def _observed(cls: type[BuiltinStrategy]) -> BuiltinStrategy:
    class Observed(cls):  # type: ignore[misc, valid-type]
        def __init__(self):
            super().__init__()
            self.bars: list[dict] = []
            self.fills: list[tuple[str, dict]] = []
            self.sent: list[tuple[int, dict, str | None]] = []

        def receive_bars(self, symbol, data, is_end):
            self.bars.append(dict(data))
            super().receive_bars(symbol, data, is_end)

        def receive_order_execution(self, order_id, execution_data):
            self.fills.append((order_id, dict(execution_data)))

        def send_order(self, params):
            order_id = super().send_order(params)
            self.sent.append((len(self.bars) - 1, dict(params), order_id))
            return order_id

    return Observed()


@pytest.fixture(scope="module")
def backtests():
    runs = {}
    for name in NAMES:
        strategy = _observed(BUILTIN_STRATEGIES[name])
        strategy.subscribe_bars(dict(BACKTEST))
        runs[name] = strategy
    return runs


def _bars_frame(strategy) -> pd.DataFrame:
    df = pd.DataFrame(strategy.bars)
    df["time"] = [_naive_utc(t) for t in df["time"]]
    return df


@pytest.mark.parametrize("name", NAMES)
def test_backtest_replays_the_sample_and_trades(backtests, name):
    strategy = backtests[name]
    bars = _bars_frame(strategy)
    assert len(bars) > 6000
    assert bars["time"].is_monotonic_increasing
    assert bars["time"].iloc[0].year == 2017 and bars["time"].iloc[-1].year == 2017
    buys = [f for f in strategy.fills if f[1]["type"] == "buy"]
    sells = [f for f in strategy.fills if f[1]["type"] == "sell"]
    assert len(buys) >= 10 and len(sells) >= 10
    assert all(oid is not None for _, _, oid in strategy.sent)  # nothing rejected


@pytest.mark.parametrize("name", NAMES)
def test_backtest_orders_follow_the_rules_on_the_replayed_bars(backtests, name):
    strategy = backtests[name]
    bars = _bars_frame(strategy)
    expected = expected_orders(name, bars["high"], bars["low"], bars["close"])
    assert [(i, params["order_type"]) for i, params, _ in strategy.sent] == expected


@pytest.mark.parametrize("name", NAMES)
def test_every_fill_is_at_the_open_of_the_bar_after_its_signal(backtests, name):
    strategy = backtests[name]
    bars = _bars_frame(strategy)
    expected = expected_orders(name, bars["high"], bars["low"], bars["close"])
    fills = [(_naive_utc(data["time"]), data["type"], data["price"], data["volume"]) for _, data in strategy.fills]
    assert len(fills) == len(expected)
    for (i, side), (time, kind, price, volume) in zip(expected, fills, strict=True):
        nxt = bars.iloc[i + 1]
        assert time == nxt["time"], (side, i)
        assert kind == side
        assert volume == pytest.approx(0.1)
        if side == "buy":  # buys pay the ask: the bar's open plus at most a few pips of spread
            assert nxt["open"] - 1e-9 <= price <= nxt["open"] + 5e-4
        else:
            assert nxt["open"] - 5e-4 <= price <= nxt["open"] + 1e-9


@pytest.mark.parametrize("name", NAMES)
def test_each_sell_closes_the_position_its_buy_opened(backtests, name):
    strategy = backtests[name]
    deals = strategy.get_order_history({"symbol": "EURUSD"})
    entries = [d for d in deals if d["entry"] == 0]
    exits = [d for d in deals if d["entry"] == 1]
    assert len(entries) + len(exits) == len(deals) == len(strategy.fills)
    assert all(d["type"] == 0 for d in entries)  # long only: never a short opened by a sell
    assert all(d["type"] == 1 for d in exits)
    assert all(d["volume"] == pytest.approx(0.1) for d in deals)
    opened = [d["position_id"] for d in entries]
    assert len(set(opened)) == len(opened)
    assert [d["position_id"] for d in exits] == opened[: len(exits)]
    assert len(opened) - len(exits) in (0, 1)
    # the entry deals belong to the orders the buys returned, the exits to the sells
    buy_ids = [oid for _, params, oid in strategy.sent if params["order_type"] == "buy"]
    assert [str(d["order"]) for d in entries] == buy_ids


@pytest.mark.parametrize("name", NAMES)
def test_open_position_at_the_end_matches_the_strategy(backtests, name):
    strategy = backtests[name]
    positions = strategy.get_positions({"symbol": "EURUSD"})
    if strategy.open_order_ids:
        assert len(positions) == 1
        assert positions[0]["type"] == 0 and positions[0]["volume"] == pytest.approx(0.1)
    else:
        assert positions == []


def test_ma_entries_follow_a_genuine_sma_cross(backtests):
    strategy = backtests["ma"]
    bars = _bars_frame(strategy)
    close = bars["close"].to_numpy(dtype=float)
    sign = exact_sma_difference(close, 5, 20)  # sign of SMA(5) - SMA(20), exact decimal arithmetic
    index = {t: i for i, t in enumerate(bars["time"])}
    entries = [_naive_utc(d["time"]) for _, d in strategy.fills if d["type"] == "buy"]
    exits = [_naive_utc(d["time"]) for _, d in strategy.fills if d["type"] == "sell"]
    assert len(entries) >= 50
    for t in entries:
        j = index[t]  # the fill bar; the cross happened on the close of bar j - 1
        assert sign[j - 2] <= 0 and sign[j - 1] > 0, t
    for t in exits:
        j = index[t]
        assert sign[j - 2] >= 0 and sign[j - 1] < 0, t
    # and every cross up while flat was taken: an entry follows each exit's next cross up
    crosses_up = [i for i in range(20, len(close) - 1) if sign[i - 1] <= 0 and sign[i] > 0]
    fills = sorted([(t, "buy") for t in entries] + [(t, "sell") for t in exits])
    for i in crosses_up:
        holding = [kind for t, kind in fills if t <= bars["time"].iloc[i]]
        flat = not holding or holding[-1] == "sell"
        if flat:
            assert bars["time"].iloc[i + 1] in entries


def test_talib_sma_noise_would_fake_crosses_on_exact_ties(sample):
    """Why the cross test uses exact arithmetic: the sample has bars where SMA(5) == SMA(20) exactly."""
    close = sample["close"].to_numpy(dtype=float)
    sign = exact_sma_difference(close, 5, 20)
    assert (sign[19:] == 0).any()


def test_a_live_strategy_is_refused_during_a_backtest_replay():
    class LiveDuringReplay(MACrossStrategy):
        def __init__(self):
            super().__init__(backtest_toggle=False)
            self.results: list[str | None] = []

        def send_order(self, params):
            result = super().send_order(params)
            self.results.append(result)
            return result

    strategy = LiveDuringReplay()
    strategy.subscribe_bars(dict(BACKTEST))
    assert strategy.results and all(r is None for r in strategy.results)
    assert strategy.get_order_history({"symbol": "EURUSD"}) == []
