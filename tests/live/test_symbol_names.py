"""Broker symbol suffixes at the live terminal's edge: a strategy written for ``EURUSD`` trades a broker that lists
``EURUSD.m`` (the profile's ``[suffixes]`` entry), its bars, fills, positions and orders all under ``EURUSD``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mas
from mas.data import symbol_file as sf
from mas.data.folders import mas_home
from mas.live import profiles as pr
from mas.live.symbol_names import SymbolNames
from mas.terminal import types as t

from .conftest import wait_until
from .test_live_trading import Trader

SUFFIXES = sf.SymbolFile(suffixes={"*": ".m", "icm": "pro"})


def names(profile: str | None) -> SymbolNames:
    return SymbolNames(profile, loader=lambda: SUFFIXES)


def test_outgoing_calls_name_the_broker_symbol():
    icm, other = names("icm"), names("paper")
    assert icm.suffix() == "pro" and other.suffix() == ".m" and names(None).suffix() == ".m"
    assert other.outgoing("copy_rates_range", ("EURUSD", 16385, 1, 2), {}, ".m")[0][0] == "EURUSD.m"
    assert other.outgoing("order_calc_margin", (0, "EURUSD", 1.0, 1.1), {}, ".m")[0][1] == "EURUSD.m"
    assert other.outgoing("positions_get", (), {"symbol": "GBPUSD"}, ".m")[1] == {"symbol": "GBPUSD.m"}
    request = {"symbol": "EURUSD", "volume": 0.1}
    sent = other.outgoing("order_send", (request,), {}, ".m")[0][0]
    assert sent == {"symbol": "EURUSD.m", "volume": 0.1} and request["symbol"] == "EURUSD"  # the caller's dict kept
    assert other.outgoing("symbol_info_tick", ("EURUSD.M",), {}, ".m")[0][0] == "EURUSD.m"  # one suffix, never two
    assert icm.outgoing("symbol_info", ("EURUSD.m",), {}, "pro")[0][0] == "EURUSDpro"  # another broker's name moved
    assert other.outgoing("account_info", (), {}, ".m") == ((), {})
    assert other.outgoing("copy_rates_range", ("EURUSD", 16385, 1, 2), {}, "") == (("EURUSD", 16385, 1, 2), {})


def test_answers_name_the_strategy_symbol():
    other = names("paper")
    position = t.TradePosition(**{f: 0 for f in t.TradePosition._fields})._replace(symbol="EURUSD.m")
    deal = t.TradeDeal(**{f: 0 for f in t.TradeDeal._fields})._replace(symbol="GBPUSD.m")
    assert other.incoming((position, deal), ".m") == (position._replace(symbol="EURUSD"),
                                                      deal._replace(symbol="GBPUSD"))
    echoed = t.trade_request({"symbol": "EURUSD.m", "volume": 0.1})
    result = t.OrderSendResult(10009, 1, 2, 0.1, 1.1, 1.1, 1.1, "done", 0, 0, echoed)
    assert other.incoming(result, ".m").request.symbol == "EURUSD"
    account = t.AccountInfo(**{f: 0 for f in t.AccountInfo._fields})._replace(name="Lee Chen .m")
    assert other.incoming(account, ".m") is account  # a person's name is not a symbol
    rates = object()
    assert other.incoming(rates, ".m") is rates


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=12),
       st.sampled_from(["paper", "icm", None]))
def test_a_name_survives_the_round_trip(name, profile):
    side = names(profile)
    suffix = side.suffix()
    assert side.from_broker(side.to_broker(name, suffix), suffix) == name
    assert side.to_broker(side.to_broker(name, suffix), suffix) == side.to_broker(name, suffix)


@pytest.fixture
def suffixed_broker(start_server, monkeypatch):
    """A sim server that quotes EURUSD.M (backed by the stored EURUSD bars) and a profile with suffix .m."""
    from datetime import datetime

    from mas.live.simserver import ReplaySpec, SimExchange, SimServer

    sf.set_suffix("suffixed", ".m")
    exchange = SimExchange(ReplaySpec(symbol="EURUSD.m", start=datetime(2017, 1, 2), speed=3600 * 20,
                                      allow_new_accounts=True), None)
    server = SimServer(exchange, port=0).start()
    pr.save_profile(pr.BrokerProfile(name="suffixed", terminal="sim", server="MAS-Sim", login=1001, host="127.0.0.1",
                                     port=server.port))
    monkeypatch.setenv("MAS_PASSWORD_SUFFIXED", "demo-pass")
    yield server
    server.stop()


def test_a_strategy_for_eurusd_trades_eurusd_m(suffixed_broker):
    server = suffixed_broker
    assert server.exchange.symbol == "EURUSD.M"  # the broker's name; its bars are the stored EURUSD's
    trader = Trader()
    assert trader.login({"profile": "suffixed"}) is True, trader.last_error()
    trader.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "backtest_toggle": False})
    assert wait_until(lambda: trader.bars, timeout=10), trader.last_error()
    assert trader.bars[0]["symbol"] == "EURUSD"

    order_id = trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": False})
    assert order_id is not None, trader.last_error()
    held = list(server.exchange.accounts[1001].terminal.positions.values())
    assert [p.symbol.upper() for p in held] == ["EURUSD.M"]  # at the broker, under its name
    (position,) = trader.get_positions()
    assert position["symbol"] == "EURUSD"  # to the strategy, under its own
    assert wait_until(lambda: trader.executions, timeout=10)
    assert {e["symbol"] for _, e in trader.executions} == {"EURUSD"}
    closing = trader.send_order({"symbol": "EURUSD", "order_type": "sell", "volume": 0.1, "order_id": order_id,
                                 "backtest_toggle": False})
    assert closing is not None, trader.last_error()
    assert wait_until(lambda: not server.exchange.accounts[1001].terminal.positions, timeout=10)
    trader.shutdown_mt5()


def test_without_a_suffix_nothing_is_renamed(start_server):
    server = start_server()
    sf.set_suffix("someone-else", ".m")  # another profile's suffix does not apply to a direct login
    client = mas.MAS()
    from .conftest import sim_login

    assert client.login(sim_login(server.port)) is True
    assert client.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.1,
                              "backtest_toggle": False}) is not None, client.last_error()
    assert [p["symbol"] for p in client.get_positions()] == ["EURUSD"]
    assert (mas_home() / "symbols.toml").exists()
    client.shutdown_mt5()


def test_a_backtest_of_the_broker_name_replays_the_stored_bars():
    """``EURUSD.m`` has no bars of its own: a backtest of it replays the stored EURUSD, with EURUSD's spec."""
    from mas.app import load_strategy

    sf.set_suffix("*", ".m")
    results = {}
    for name in ("EURUSD", "EURUSD.m"):
        strategy = load_strategy("ma", {"fast": 10, "slow": 30})
        strategy.subscribe_bars({"symbol": name, "timeframe": "H1", "backtest_toggle": True})
        results[name] = strategy.backtest_result
    plain, suffixed = results["EURUSD"], results["EURUSD.m"]
    assert len(plain.trades) > 10 and len(suffixed.trades) == len(plain.trades)
    assert [round(t.profit, 2) for t in suffixed.trades] == [round(t.profit, 2) for t in plain.trades]
