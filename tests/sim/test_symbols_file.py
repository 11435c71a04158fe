"""The user's symbols file ($MAS_HOME/symbols.toml): backtests, get_symbols and careless input."""

from __future__ import annotations

import math
import multiprocessing
import os
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mas
from live.conftest import sim_login, start_server  # noqa: F401  (the fixture: a sim server on 127.0.0.1)
from mas.data import symbol_file as sf
from mas.data.store import load_bars, save_bars
from mas.sim.symbols import BUILTIN_SYMBOLS, SymbolSpec, resolve_spec, symbol_names

US30 = {"base": "USD", "profit": "USD", "digits": 1, "contract_size": 1.0, "calc_mode": "cfd",
        "description": "Dow Jones 30 CFD"}


class BuyAndClose(mas):
    """Buys ``volume`` lots at bar 50 and closes the position at bar 150."""

    def __init__(self, volume: float) -> None:
        super().__init__()
        self.volume, self.bar, self.position = volume, -1, None

    def receive_bars(self, symbol, data, is_end):
        self.bar += 1
        if self.bar == 50:
            self.position = self.send_order({"symbol": symbol, "order_type": "buy", "volume": self.volume,
                                             "backtest_toggle": True})
        elif self.bar == 150 and self.position is not None:
            self.send_order({"symbol": symbol, "order_type": "sell", "volume": self.volume,
                             "order_id": self.position, "backtest_toggle": True})


def _backtest(symbol: str, volume: float = 1.0):
    strategy = BuyAndClose(volume)
    strategy.subscribe_bars({"symbol": symbol, "timeframe": "H1", "from": "2017-01-01", "to": "2017-03-31",
                             "capital": 100_000, "backtest_toggle": True})
    return strategy


def test_the_field_table_is_the_spec_s_fields():
    assert list(sf.FIELDS) == [f.name for f in fields(SymbolSpec) if f.name != "name"]


def test_a_user_symbol_backtests_with_its_digits_and_contract_size():
    save_bars("EURX", "H1", load_bars("EURUSD", "H1").rates, price_side="bid", has_spread=False)
    sf.add_symbol("EURX", {"base": "EUR", "profit": "USD", "digits": 3, "contract_size": 1000.0, "spread": 20,
                           "swap_long": 0.0, "swap_short": 0.0})
    strategy = _backtest("EURX")
    (trade,) = strategy.backtest_result.closed_trades
    assert trade.symbol == "EURX"
    # 3 digits: prices are whole thousandths; the spread of 20 points is 0.020
    for price in (trade.open_price, trade.close_price):
        assert math.isclose(price * 1000, round(price * 1000), abs_tol=1e-6)
    # contract size 1000: 1 lot moves 1000 USD per unit of price
    assert trade.profit == pytest.approx((trade.close_price - trade.open_price) * 1000, abs=0.01)
    assert trade.profit != pytest.approx((trade.close_price - trade.open_price) * 100_000, abs=0.01)
    info = {s["name"]: s for s in strategy.get_symbols()}["EURX"]
    assert (info["digits"], info["point"], info["trade_contract_size"]) == (3, 0.001, 1000.0)
    assert (info["currency_base"], info["currency_profit"]) == ("EUR", "USD")


def test_a_user_spec_of_a_built_in_replaces_its_fields_and_says_where_it_came_from():
    sf.add_symbol("eurusd", {"contract_size": 10_000.0, "swap_long": 0.0, "swap_short": 0.0})
    spec = resolve_spec("EURUSD")
    assert spec.contract_size == 10_000.0 and spec.digits == 5 and spec.base == "EUR"
    (trade,) = _backtest("EURUSD").backtest_result.closed_trades
    assert trade.profit == pytest.approx((trade.close_price - trade.open_price) * 10_000, abs=0.01)
    assert sf.remove_symbol("EURUSD")
    assert resolve_spec("EURUSD") == BUILTIN_SYMBOLS["EURUSD"]


def test_every_terminal_lists_the_user_symbols():
    sf.add_symbol("US30", US30)
    assert symbol_names()[-1] == "US30"
    names = [s["name"] for s in mas.MAS().get_symbols()]  # the idle terminal: built-ins + the file
    assert "US30" in names and "EURUSD" in names
    spec = resolve_spec("us30")
    assert (spec.margin, spec.point, spec.path, spec.description) == ("USD", 0.1, "US30", "Dow Jones 30 CFD")


def test_a_broker_suffix_maps_names_both_ways():
    sf.set_suffix("*", ".m")
    sf.set_suffix("icm", "pro")
    assert sf.broker_symbol("EURUSD") == "EURUSD.m"
    assert sf.broker_symbol("EURUSD", "icm") == "EURUSDpro"
    assert sf.broker_symbol("EURUSD.M") == "EURUSD.m"  # an upper-cased broker name keeps one suffix
    assert sf.base_symbol("EURUSD.M") == "EURUSD" and sf.base_symbol("EURUSDPRO") == "EURUSD"
    assert sf.base_symbol("GBPUSD") == "GBPUSD"
    spec = resolve_spec("EURUSD.m")
    assert spec.name == "EURUSD.M" and spec.digits == 5 and spec.contract_size == 100_000.0
    sf.set_suffix("icm", None)
    assert sf.broker_symbol("EURUSD", "icm") == "EURUSD.m"  # falls back to '*'


def test_a_live_order_goes_out_under_the_broker_s_name(start_server):  # noqa: F811
    server = start_server()
    trader = mas.MAS()
    assert trader.login(sim_login(server.port)) is True, trader.last_error()
    try:
        sf.set_suffix("*", ".m")
        order = {"symbol": "EURUSD", "order_type": "buy", "volume": 0.01, "backtest_toggle": False}
        assert trader.send_order(order) is None
        assert "Symbol EURUSD.m not found" in trader.last_error()[1]  # the sim server quotes EURUSD only
        sf.set_suffix("*", None)
        assert trader.send_order(order) is not None
    finally:
        trader.shutdown_mt5()


@pytest.mark.parametrize(("fields", "words"), [
    ({**US30, "digits": "one"}, ["US30", "digits", "a whole number from 0 to 10"]),
    ({**US30, "digits": 1.5}, ["US30", "digits", "not a whole number"]),
    ({**US30, "contract_size": -5}, ["US30", "contract_size", "above 0"]),
    ({**US30, "volume_min": 0}, ["US30", "volume_min", "above 0"]),
    ({**US30, "spread": -1}, ["US30", "spread", "0 or more"]),
    ({**US30, "calc_mode": "weird"}, ["US30", "calc_mode", "forex, forex_no_leverage, cfd"]),
    ({**US30, "trade_mode": 9}, ["US30", "trade_mode", "disabled, longonly"]),
    ({**US30, "base": 12}, ["US30", "base", "currency code"]),
    ({**US30, "contract_size": float("nan")}, ["US30", "contract_size", "finite"]),
    ({**US30, "contract_size": True}, ["US30", "contract_size", "not a number"]),
    ({**US30, "leverage": 100}, ["US30", "unknown field(s) leverage", "known fields: description"]),
    ({"base": "USD", "profit": "USD"}, ["US30", "missing: digits, contract_size", "--like"]),
    ({**US30, "volume_min": 5.0, "volume_max": 1.0}, ["US30", "volume_min (5) is above volume_max (1)"]),
])
def test_careless_fields_are_refused_naming_symbol_field_and_allowed_values(fields, words):
    sf.add_symbol("EURX", {"base": "EUR", "profit": "USD", "digits": 3, "contract_size": 1000.0})
    before = sf.symbols_path().read_bytes()
    with pytest.raises(sf.SymbolFileError) as caught:
        sf.add_symbol("US30", fields)
    for word in words:
        assert word in str(caught.value)
    assert sf.symbols_path().read_bytes() == before


def test_bad_names_and_suffixes_are_refused():
    with pytest.raises(sf.SymbolFileError, match="symbol name 'US 30'"):
        sf.add_symbol("US 30", US30)
    with pytest.raises(sf.SymbolFileError, match="suffixes.demo = 'a b'"):
        sf.set_suffix("demo", "a b")
    assert not sf.symbols_path().exists()


@pytest.mark.parametrize(("content", "words"), [
    (b"[symbols.US30\nbase = 'USD'", ["not valid TOML", "fix the file or move it away"]),
    (b"[symbols.US30]\nbase = 'USD'\nprofit = 'USD'\ndigits = 1\ncontract_size = 0\n",
     ["symbols.toml", "symbol US30", "contract_size", "above 0"]),
    (b"[US30]\nbase = 'USD'\n", ["unknown table(s) US30", "[symbols.NAME]"]),
    (b"\xff\xfe[", ["not valid TOML"]),
])
def test_a_corrupt_file_gives_a_clear_error_everywhere_and_is_left_alone(content, words):
    path = sf.symbols_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    for action in (lambda: resolve_spec("EURUSD"), lambda: sf.add_symbol("US500", US30),
                   lambda: sf.remove_symbol("US30"), lambda: sf.set_suffix("*", ".m")):
        with pytest.raises(sf.SymbolFileError) as caught:
            action()
        for word in words:
            assert word in str(caught.value)
    assert path.read_bytes() == content
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_hand_edited_file_is_read_again_when_it_changes():
    sf.add_symbol("US30", US30)
    assert resolve_spec("US30").digits == 1
    path = sf.symbols_path()
    path.write_text(path.read_text().replace("digits = 1", "digits = 2"))
    assert resolve_spec("US30").digits == 2


def _add_many(home: str, worker: int, count: int) -> None:
    os.environ["MAS_HOME"] = home
    for i in range(count):
        sf.add_symbol(f"W{worker}S{i}", {**US30, "digits": i % 4})


def test_two_processes_adding_at_once_both_land():
    home = os.environ["MAS_HOME"]
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_many, args=(home, w, 15)) for w in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    symbols = sf.load_symbol_file().symbols
    assert {f"W{w}S{i}" for w in range(2) for i in range(15)} <= set(symbols)
    assert symbols["W1S14"]["digits"] == 14 % 4


def test_mt5_csv_rows_give_the_fields(tmp_path: Path):
    csv_file = tmp_path / "symbols.csv"
    csv_file.write_text("name,description,currency_base,currency_profit,currency_margin,digits,trade_contract_size,"
                        "trade_calc_mode,volume_min,volume_max,volume_step,swap_long,margin_hedged\n"
                        "EURUSD,Euro,EUR,USD,EUR,5,100000.0,0,0.01,500.0,0.01,-6.5,0\n"
                        "US30.cash,Dow Jones,USD,USD,USD,2,1.0,2,0.1,1000.0,0.1,-3.2,0\n")
    found = sf.fields_from_mt5_csv(csv_file, "us30.cash")
    assert found == {"description": "Dow Jones", "base": "USD", "profit": "USD", "margin": "USD", "digits": 2,
                     "contract_size": 1.0, "calc_mode": 2, "volume_min": 0.1, "volume_max": 1000.0,
                     "volume_step": 0.1, "swap_long": -3.2}
    sf.add_symbol("US30.cash", found)
    assert resolve_spec("US30.CASH").calc_mode == 2
    with pytest.raises(sf.SymbolFileError, match="no row named GER40 .rows: EURUSD, US30.cash"):
        sf.fields_from_mt5_csv(csv_file, "GER40")


@settings(max_examples=60, deadline=None)
@given(name=st.from_regex(r"[A-Z][A-Z0-9]{1,7}(\.[a-z]{1,3})?", fullmatch=True),
       digits=st.integers(0, 10), size=st.floats(1e-3, 1e9, allow_nan=False),
       description=st.text(max_size=30))
def test_what_is_written_reads_back_the_same(name, digits, size, description):
    checked = sf.validate_fields(name, {**US30, "digits": digits, "contract_size": size, "description": description})
    document = sf.SymbolFile({name.upper(): checked}, {"*": ".m"})
    assert sf._parse(sf._render(document).encode("utf-8"), Path("t.toml")) == document
