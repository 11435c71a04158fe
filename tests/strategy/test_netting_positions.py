"""Several entries on a netting account: the compiled strategy's bookkeeping follows the one position per symbol the
terminal keeps (entries add to it, an opposite entry reduces, closes or reverses it, a stop clears every entry in it),
so no close is refused and ``max_open_positions`` counts what is really open. Data: the bundled EURUSD H1 2017 sample.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mas.optimize.replay import replay
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.compiler import compile_spec
from mas.strategy.spec import StrategySpec, spec_from_dict
from mas.terminal import constants as c
from mas.vector.market_data import MarketData

_DATA: dict[str, MarketData] = {}
_ACCEPTED = (c.TRADE_RETCODE_PLACED, c.TRADE_RETCODE_DONE, c.TRADE_RETCODE_DONE_PARTIAL)
SL_TP = {"stop_loss": {"unit": "pips", "value": 30}, "take_profit": {"unit": "pips", "value": 60}}


def data(margin_mode: str = "netting", to: str = "2017-12-31") -> MarketData:
    key = f"{margin_mode}-{to}"
    if key not in _DATA:
        _DATA[key] = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": to,
                                      "margin_mode": margin_mode})
    return _DATA[key]


def pyramiding(risk: dict[str, Any], positions: int) -> StrategySpec:
    """The RSI built-in trading both ways (shorts on its exit rule, covered on its entry rule)."""
    document = builtin_spec("rsi").model_dump(mode="json", exclude_none=True)
    return spec_from_dict({**document, "entry_short": document["exit_long"], "exit_short": document["entry_long"],
                           "risk": {**risk, "max_open_positions": positions}})


def checked(spec: StrategySpec, market: MarketData) -> tuple[Any, Any]:
    """Replay ``spec`` on ``market``; at each bar (every order of the bar before filled by then) the entries the
    strategy counts as open must be the terminal's one position: same side, same volume, no more than allowed.
    Returns (the client, the backtest result); ``client.refused`` lists every refused request."""

    class Checked(compile_spec(spec)):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__()
            self.refused: list[dict[str, Any]] = []
            self.most_volume = 0.0
            self.entry_bars = 0

        def receive_bars(self, symbol: str, bar: dict[str, Any], is_end: bool) -> None:
            entries = self.open_entries(symbol)
            positions = self.get_positions({"symbol": symbol})
            assert len(positions) <= 1
            held = sum(volume if side == "buy" else -volume for side, volume, _ in entries)
            net = sum(p["volume"] if p["type"] == c.POSITION_TYPE_BUY else -p["volume"] for p in positions)
            assert abs(held - net) < 1e-9, (bar["time"], entries, positions)
            assert all(filled for _, _, filled in entries), (bar["time"], entries)
            assert len({side for side, _, _ in entries}) <= 1
            assert len(entries) <= spec.risk.max_open_positions
            self.most_volume = max(self.most_volume, abs(net))
            self.entry_bars += len(entries) > 1
            super().receive_bars(symbol, bar, is_end)

        def receive_order_status(self, order_id: str, status_data: dict[str, Any]) -> None:
            if status_data.get("retcode") not in _ACCEPTED:
                self.refused.append(status_data)
            super().receive_order_status(order_id, status_data)

    client = Checked()
    result = replay(client, market)
    return client, result


def test_entries_start_again_after_a_stop_closes_the_merged_position(caplog):
    """The colleague's case: three entries merged into one position, its stop closes it; the later entries were
    kept as ghosts whose closes the terminal refused ("position 1 is not open") and which blocked new entries."""
    spec = pyramiding({"lots": 0.5, **SL_TP}, 3)
    with caplog.at_level(logging.DEBUG):
        client, result = checked(spec, data())
    assert client.refused == []
    assert not [r for r in caplog.records if "is not open" in r.getMessage()]
    merged_stops = [t for t in result.trades if t.exit_reason in ("sl", "tp") and t.volume > 0.5 + 1e-9]
    assert merged_stops, "no merged position closed at a stop: the case is not exercised"
    first = (min(t.close_time for t in merged_stops) - datetime(1970, 1, 1)).total_seconds()
    later = [d for d in result.deals if d["entry"] == c.DEAL_ENTRY_IN and d["reason"] == c.DEAL_REASON_EXPERT
             and d["time"] > first]
    assert len(later) > 20  # entries go on after the merged position's stop
    assert abs(client.most_volume - 1.5) < 1e-9  # three entries of 0.5 at most, reached
    assert len({t.position_id for t in result.trades}) > 10  # closed positions are followed by new ones


def test_an_exit_closes_every_entry_of_the_merged_position():
    """Long only, adding up to 3 entries: the exit rule closes each entry's volume of the one position."""
    document = builtin_spec("rsi").model_dump(mode="json", exclude_none=True)
    spec = spec_from_dict({**document, "risk": {"lots": 0.1, "max_open_positions": 3}})
    client, result = checked(spec, data())
    assert client.refused == []
    assert client.entry_bars > 0 and abs(client.most_volume - 0.3) < 1e-9
    assert all(t.direction == "buy" and t.exit_reason in ("expert", "end") for t in result.trades)
    assert sum(t.volume for t in result.trades) > 1.0


def test_risk_sized_opposite_entries_reverse_the_position():
    """Entries of different sizes both ways: opposite entries reduce, close and reverse the net position."""
    spec = spec_from_dict({
        "indicators": [{"id": "rsi_14", "kind": "rsi", "period": 14, "source": "close"}],
        "entry_long": {"kind": "compare", "left": "rsi_14", "op": "<", "right": 45.0},
        "entry_short": {"kind": "compare", "left": "rsi_14", "op": ">", "right": 55.0},
        "risk": {"risk_percent": 1.0, "max_open_positions": 3, "take_profit": {"unit": "pips", "value": 60},
                 "stop_loss": {"unit": "atr", "value": 2.0, "atr_period": 14}}})  # volumes vary with the ATR
    client, result = checked(spec, data(to="2017-06-30"))
    assert client.refused == []
    entries = {d["entry"] for d in result.deals if d["reason"] == c.DEAL_REASON_EXPERT}
    assert {c.DEAL_ENTRY_IN, c.DEAL_ENTRY_OUT, c.DEAL_ENTRY_INOUT} <= entries


def test_a_hedging_account_still_opens_one_position_per_entry():
    spec = pyramiding({"lots": 0.5, **SL_TP}, 3)

    class Recording(compile_spec(spec)):  # type: ignore[misc, valid-type]
        refused: list[dict[str, Any]] = []

        def receive_order_status(self, order_id: str, status_data: dict[str, Any]) -> None:
            if status_data.get("retcode") not in _ACCEPTED:
                self.refused.append(status_data)
            super().receive_order_status(order_id, status_data)

    result = replay(Recording(), data("hedging", to="2017-06-30"))
    assert Recording.refused == []
    assert max(t.volume for t in result.trades) == 0.5
    assert len({t.position_id for t in result.trades}) == len(result.trades)
    assert max(len(Recording().open_entries("EURUSD")), 0) == 0  # a fresh client holds nothing


_THRESHOLDS = st.integers(min_value=25, max_value=75).map(float)
_DISTANCE = st.sampled_from([{"unit": "pips", "value": 15}, {"unit": "pips", "value": 40},
                             {"unit": "atr", "value": 1.5, "atr_period": 14}])


@st.composite
def netting_specs(draw: st.DrawFn) -> StrategySpec:
    """RSI rules both ways (overlapping thresholds fire both entries on one bar), optional exits, any risk."""
    rsi = {"kind": "compare", "left": "rsi_9"}
    rules: dict[str, Any] = {
        "entry_long": {**rsi, "op": "<", "right": draw(_THRESHOLDS)},
        "entry_short": {**rsi, "op": ">", "right": draw(_THRESHOLDS)}}
    if draw(st.booleans()):
        rules["exit_long"] = {**rsi, "op": ">", "right": draw(_THRESHOLDS)}
    if draw(st.booleans()):
        rules["exit_short"] = {**rsi, "op": "<", "right": draw(_THRESHOLDS)}
    risk: dict[str, Any] = {"max_open_positions": draw(st.integers(min_value=1, max_value=5))}
    stop = draw(st.none() | _DISTANCE)
    if stop is not None:
        risk["stop_loss"] = stop
        if draw(st.booleans()):
            risk["risk_percent"] = draw(st.sampled_from([0.5, 1.0, 2.0]))
    if "risk_percent" not in risk:
        risk["lots"] = draw(st.sampled_from([0.1, 0.2, 0.35]))
    for name, value in (("take_profit", draw(st.none() | _DISTANCE)), ("trailing_stop", draw(st.none() | _DISTANCE)),
                        ("exit_after_bars", draw(st.none() | st.integers(min_value=1, max_value=30)))):
        if value is not None:
            risk[name] = value
    return spec_from_dict({"indicators": [{"id": "rsi_9", "kind": "rsi", "period": 9, "source": "close"}],
                           **rules, "risk": risk})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=netting_specs())
def test_open_entries_always_equal_the_terminal_position(spec):
    client, result = checked(spec, data(to="2017-02-28"))
    assert client.refused == []
    event(f"several entries at once: {client.entry_bars > 0}")
    event(f"reversal: {any(d['entry'] == c.DEAL_ENTRY_INOUT for d in result.deals)}")


def test_fills_reported_before_send_order_returns_are_followed(sample):
    """Live brokers may report a deal before ``send_order`` returns its id: entries, closes and reversals that
    arrive that way keep the strategy's entries equal to the net position. The broker here nets one position and
    fills each order at once; every 40th bar its stop closes the position."""
    spec = spec_from_dict({
        "indicators": [{"id": "rsi_14", "kind": "rsi", "period": 14, "source": "close"}],
        "entry_long": {"kind": "compare", "left": "rsi_14", "op": "<", "right": 45.0},
        "entry_short": {"kind": "compare", "left": "rsi_14", "op": ">", "right": 55.0},
        "risk": {"risk_percent": 1.0, "max_open_positions": 3, "exit_after_bars": 12,
                 "stop_loss": {"unit": "atr", "value": 2.0, "atr_period": 14}}})

    class Broker(compile_spec(spec)):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__(backtest_toggle=False)
            self.net, self.position, self.ticket = 0.0, 0, 0
            self.refused: list[dict[str, Any]] = []
            self.entries: list[str] = []

        def get_account_info(self) -> dict:
            return {"margin_mode": c.ACCOUNT_MARGIN_MODE_RETAIL_NETTING, "equity": 10_000.0}

        def get_symbols(self, params: dict | None = None) -> list[dict]:
            return [{"name": "EURUSD", "digits": 5, "point": 1e-5, "volume_min": 0.01, "volume_max": 100.0,
                     "volume_step": 0.01}]

        def calc_order_profit(self, params: dict) -> float:
            sign = 1.0 if params["action"] == "buy" else -1.0
            return sign * (params["price_close"] - params["price_open"]) * 100_000 * params["volume"]

        def send_order(self, params: dict) -> str | None:
            sign = 1.0 if params["order_type"] == "buy" else -1.0
            volume = params["volume"]
            if "order_id" in params and (int(params["order_id"]) != self.position or sign * self.net >= 0
                                         or volume > abs(self.net) + 1e-9):
                self.refused.append(params)
                return None
            self.ticket += 1
            if self.net == 0.0:
                self.position = self.ticket
            after = round(self.net + sign * volume, 8)
            entry = "in" if sign * self.net >= 0 else "out" if after * self.net >= 0 else "inout"
            self.entries.append(entry)
            self.fill(str(self.ticket), entry, volume, "expert", after)
            return str(self.ticket)

        def fill(self, order_id: str, entry: str, volume: float, reason: str, after: float) -> None:
            self.net = 0.0 if abs(after) < 1e-9 else after
            self.receive_order_execution(order_id, {"symbol": "EURUSD", "entry": entry, "position_id": self.position,
                                                    "volume": volume, "reason": reason})
            if self.net == 0.0:
                self.position = 0

    broker = Broker()
    for i, row in enumerate(sample.head(2000).itertuples()):
        if i % 40 == 39 and broker.net != 0.0:  # the stop closes the whole position
            broker.ticket += 1
            broker.fill(str(broker.ticket), "out", abs(broker.net), "sl", 0.0)
        bar = {"time": row.time.to_pydatetime(), "open": row.open, "high": row.high, "low": row.low,
               "close": row.close, "volume": row.volume, "spread": 0}
        broker.receive_bars("EURUSD", bar, False)
        entries = broker.open_entries("EURUSD")
        held = sum(volume if side == "buy" else -volume for side, volume, _ in entries)
        assert abs(held - broker.net) < 1e-9, (i, entries, broker.net)
        assert all(filled for _, _, filled in entries) and len(entries) <= 3
    assert broker.refused == []
    assert {"in", "out", "inout"} <= set(broker.entries)
