"""Faults a user makes through the facade get one clear error: a misspelt order field is refused
(never an order without its stop), and an account currency without conversion data is one error
before the replay, never an internal TypeError or a message per order."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import numpy as np
import pytest

from mas import MAS
from mas import params as p
from mas.data.store import save_bars
from mas.sim.account import AccountSettings
from mas.sim.symbols import ConversionError
from mas.strategy.builtins import BUILTIN_STRATEGIES
from mas.terminal import constants as c
from mas.terminal.types import RATES_DTYPE
from sim.terminals import epoch, make_rates, make_terminal, replay

YEAR = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31", "backtest_toggle": True}


# ------------------------------------------------------------------ a typo never drops a stop
class OneOrder(MAS):
    """Sends ``order`` on the first bar and keeps what send_order did."""

    def __init__(self, order: dict) -> None:
        super().__init__()
        self.order, self.outcome = order, None

    def receive_bars(self, symbol, data, is_end):
        if self.outcome is None:
            try:
                self.outcome = ("sent", self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                                         "backtest_toggle": True, **self.order}))
            except ValueError as exc:
                self.outcome = ("refused", str(exc))


@pytest.mark.parametrize(("key", "field"), [("stoploss", "sl"), ("stop_loss", "sl"), ("takeprofit", "tp"),
                                            ("take_profit", "tp"), ("Volume", "volume"), ("sl_pips", "sl")])
def test_send_order_with_a_misspelt_stop_is_refused_and_no_order_exists(key, field):
    client = OneOrder({key: 1.0})
    client.subscribe_bars({**YEAR, "to": "2017-01-10"})
    kind, text = client.outcome
    assert kind == "refused" and text.startswith(f"{key}: unknown send_order field; did you mean {field!r}?")
    assert client.get_history_orders() == [] and client.get_positions() == [] and client.get_order_history() == []


def test_unknown_keys_far_from_every_field_are_still_allowed():
    client = OneOrder({"sl": 1.0, "tag": "swing", "note": "first", "strategy": "ma", "magic": 7, "comment": "x"})
    client.subscribe_bars({**YEAR, "to": "2017-01-10"})
    kind, order_id = client.outcome
    assert kind == "sent" and order_id is not None
    (position,) = client.get_positions()
    assert position["sl"] == 1.0 and position["magic"] == 7


def test_loose_values_follow_the_one_rule_through_send_order():
    client = OneOrder({"order_type": " BUY ", "volume": "0.1", "sl": np.float64(1.0), "deviation": "5"})
    client.subscribe_bars({**YEAR, "to": "2017-01-10"})
    assert client.outcome[0] == "sent"
    (position,) = client.get_positions()
    assert position["volume"] == 0.1 and position["sl"] == 1.0 and position["type"] == c.POSITION_TYPE_BUY
    for bad in ({"volume": "0,1"}, {"volume": "0.1 lots"}, {"sl": "nan"}, {"volume": True}):
        client = OneOrder(bad)
        client.subscribe_bars({**YEAR, "to": "2017-01-03"})
        kind, text = client.outcome
        assert kind == "refused" and text.startswith(f"{next(iter(bad))}: "), text


@pytest.mark.parametrize(("call", "params", "field"), [
    ("modify_order", {"order_id": "5", "price": 1.1, "stoploss": 1.0}, "sl"),
    ("cancel_order", {"orderid": "5"}, "order_id"),
    ("modify_position_sltp", {"position": "5", "sl": 1.0}, "position_id"),
    ("modify_position_sltp", {"position_id": "5", "takeprofit": 1.2}, "tp"),
])
def test_the_other_order_calls_refuse_misspelt_fields(call, params, field):
    with pytest.raises(ValueError, match=rf"unknown {call} field; did you mean '{field}'\?"):
        getattr(MAS(), call)({**params, "backtest_toggle": True})


def test_order_check_reports_a_misspelt_field_without_raising():
    client = MAS()
    assert client.order_check({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "stoploss": 1.0}) == {}
    assert "stoploss: unknown send_order field; did you mean 'sl'?" in client.last_error()[1]


def test_subscribe_keys_are_checked_by_check_keys():
    """The lead wires ``p.check_keys(params, "subscribe_bars" / "subscribe_ticks")`` into the facade; the
    documented spelling 'captital' and the project's extensions pass."""
    p.check_keys({**YEAR, "captital": 5000, "currency": "USD", "model": "ohlc", "spread": 3}, "subscribe_bars")
    with pytest.raises(ValueError, match=r"^timefrme: unknown subscribe_bars field; did you mean 'timeframe'\?"):
        p.check_keys({**YEAR, "timefrme": "H1"}, "subscribe_bars")
    with pytest.raises(ValueError, match=r"^captial: unknown subscribe_ticks field; did you mean 'capital'\?"):
        p.check_keys({"symbol": "EURUSD", "captial": 5000}, "subscribe_ticks")


@pytest.mark.parametrize(("call", "key", "field"), [("subscribe_bars", "timefrme", "timeframe"),
                                                    ("subscribe_bars", "backtest", "backtest_toggle"),
                                                    ("subscribe_ticks", "captial", "capital")])
def test_subscribe_calls_refuse_misspelt_fields_before_anything_runs(call, key, field):
    seen = []

    class Client(MAS):
        def receive_bars(self, symbol, data, is_end):
            seen.append(data)

    with pytest.raises(ValueError, match=rf"^{key}: unknown {call} field; did you mean '{field}'\?"):
        getattr(Client(), call)({**YEAR, "to": "2017-01-03", key: "H1" if key == "timefrme" else 5000})
    assert seen == []


# ------------------------------------------------------------------ no internal error reaches the user
def test_jpy_account_on_eurusd_is_one_clear_error_before_the_replay(caplog):
    seen = []

    class Client(MAS):
        def receive_bars(self, symbol, data, is_end):
            seen.append(data["time"])
            self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "backtest_toggle": True})

    with caplog.at_level(logging.INFO, logger="mas"), pytest.raises(ConversionError) as raised:
        Client().subscribe_bars({**YEAR, "captital": 1_000_000, "currency": "JPY"})
    text = str(raised.value)
    assert text.startswith("currency: the account currency is JPY")
    assert "USDJPY" in text and "mas data download USDJPY --source dukascopy --from 2017-01-01 --to 2017-12-31" in text
    assert "mas data import FILE --symbol USDJPY" in text and "EUR, USD" in text
    assert seen == []  # detected before the first bar
    assert [r for r in caplog.records if "convert" in r.getMessage()] == []


def test_tick_replays_check_the_conversion_too():
    with pytest.raises(ConversionError, match="USDJPY"):
        MAS().subscribe_ticks({"symbol": "EURUSD", "from": "2017-01-02", "to": "2017-01-02", "currency": "JPY",
                               "model": "every_tick", "backtest_toggle": True})


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "mas", *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.parametrize("engine", ["auto", "event"])
def test_cli_backtest_in_jpy_prints_the_error_once_and_exits_non_zero(engine):
    done = _cli("backtest", "ma", "--currency", "JPY", "--engine", engine)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert output.count("cannot be converted into JPY") == 1, output
    assert "mas data download USDJPY" in output and "Traceback" not in output and "_Rejection" not in output
    assert "closed trades" not in output


def test_with_usdjpy_bars_stored_the_jpy_backtest_is_the_usd_one_times_the_rate():
    """Constant USDJPY 110 (made-up conversion data in the test's own store): every trade's P&L in JPY is
    the USD run's times 110, and the capital 110 times as large leaves the same margin headroom."""
    rates = np.zeros(365 * 24, dtype=RATES_DTYPE)
    rates["time"] = epoch("2017-01-01 00:00") + np.arange(rates.size) * 3600
    for column in ("open", "high", "low", "close"):
        rates[column] = 110.0
    rates["tick_volume"] = 1
    save_bars("USDJPY", "H1", rates, price_side="bid", has_spread=True)

    results = {}
    for currency, capital in (("USD", 10_000), ("JPY", 1_100_000)):
        client = BUILTIN_STRATEGIES["ma"]()
        client.subscribe_bars({**YEAR, "captital": capital, "currency": currency})
        results[currency] = client.backtest_result
    usd, jpy = results["USD"].closed_trades, results["JPY"].closed_trades
    assert len(usd) == len(jpy) > 10
    for a, b in zip(usd, jpy, strict=True):
        assert b.profit == pytest.approx(a.profit * 110, abs=0.011)


def test_a_conversion_missing_mid_replay_is_a_rejection_not_an_internal_error():
    """The terminal itself (no pre-flight): an order whose margin cannot be converted is rejected with
    the reason, by order_send and order_check alike (compiled, this was a TypeError about _Rejection)."""
    rates = make_rates("2017-01-02 00:00", [(1.05, 1.05, 1.05, 1.05)] * 3)
    term, tapes = make_terminal({"EURUSD": rates}, account=AccountSettings(capital=1_000_000, currency="JPY"))
    results, checks = [], []

    def on_bar(symbol, bar, is_end):
        if not results:
            request = {"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_BUY, "volume": 0.1}
            checks.append(term.order_check(request))
            results.append(term.order_send(request))

    replay(term, tapes, on_bar)
    (result,), (check,) = results, checks
    assert result.retcode == c.TRADE_RETCODE_INVALID and "converting EUR to JPY" in result.comment
    assert check.retcode == c.TRADE_RETCODE_INVALID and "converting EUR to JPY" in check.comment
    assert term.last_error()[0] == c.RES_E_NOT_FOUND and term.positions_total() == 0
