"""``symbol_info().trade_tick_value`` of the simulated terminal is in the ACCOUNT currency, as MetaTrader 5's.

MT5 defines SYMBOL_TRADE_TICK_VALUE as the value of SYMBOL_TRADE_TICK_VALUE_PROFIT, the money one tick's move
makes on one lot, in the deposit currency (``_LOSS`` the same for a losing position). The simulated book converts
profits and losses at one rate, so the three fields are equal, and each equals what the terminal's own
``order_calc_profit`` gives for one tick on one lot. The cases: a USD account on USDJPY (profit currency JPY),
a EUR account on EURUSD (USD), a JPY account on EURUSD and on USDJPY, and a EUR account on USDJPY (a cross
through USD).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.sim.account import AccountSettings
from mas.terminal import constants as c
from sim.terminals import make_rates, make_terminal

EURUSD, USDJPY = 1.17342, 112.417


def _terminal(currency: str, eurusd: float = EURUSD, usdjpy: float = USDJPY):
    """A terminal of a ``currency`` account with EURUSD and USDJPY quoted at the given bids (bar 0's close)."""
    rates = {"EURUSD": make_rates("2017-03-01 10:00", [(eurusd, eurusd, eurusd, eurusd)] * 2),
             "USDJPY": make_rates("2017-03-01 10:00", [(usdjpy, usdjpy, usdjpy, usdjpy)] * 2)}
    terminal, _ = make_terminal(rates, account=AccountSettings(currency=currency))
    for symbol in rates:
        terminal.market.set_bar(symbol, 0)
    return terminal


# (account currency, symbol, the tick value worked out by hand from the bids above)
CASES = [
    ("USD", "EURUSD", 0.00001 * 100_000),                    # profit currency = account currency: 1 USD
    ("USD", "USDJPY", 0.001 * 100_000 / USDJPY),            # 100 JPY in USD at the USDJPY bid: 0.8896 USD
    ("EUR", "EURUSD", 0.00001 * 100_000 / EURUSD),          # 1 USD in EUR: 0.8522 EUR
    ("JPY", "EURUSD", 0.00001 * 100_000 * USDJPY),          # 1 USD in JPY: 112.417 JPY
    ("JPY", "USDJPY", 0.001 * 100_000),                     # 100 JPY
    ("EUR", "USDJPY", 0.001 * 100_000 / USDJPY / EURUSD),   # 100 JPY -> USD -> EUR (a cross through USD)
]


@pytest.mark.parametrize(("currency", "symbol", "expected"), CASES)
def test_the_tick_value_is_in_the_account_currency(currency, symbol, expected):
    info = _terminal(currency).symbol_info(symbol)
    assert info.trade_tick_value == pytest.approx(expected, rel=1e-12)
    assert info.trade_tick_value_profit == info.trade_tick_value
    assert info.trade_tick_value_loss == info.trade_tick_value
    assert info.trade_tick_size == pytest.approx(0.001 if symbol == "USDJPY" else 0.00001)


@pytest.mark.parametrize(("currency", "symbol", "expected"), CASES)
def test_the_tick_value_is_what_order_calc_profit_gives_for_one_tick_on_one_lot(currency, symbol, expected):
    terminal = _terminal(currency)
    info = terminal.symbol_info(symbol)
    tick, bid = info.trade_tick_size, info.bid
    # a sell closed at the bid one tick lower: the profit of one tick on one lot, at the rate of that bid
    one_lot = terminal.order_calc_profit(c.ORDER_TYPE_SELL, symbol, 1.0, bid + tick, bid)
    assert one_lot == pytest.approx(round(info.trade_tick_value, 2), abs=0.0100001)
    # on 100 lots the cents of the rounding no longer hide the tick value's digits
    hundred = terminal.order_calc_profit(c.ORDER_TYPE_SELL, symbol, 100.0, bid + tick, bid)
    assert hundred == pytest.approx(100 * info.trade_tick_value, abs=0.0051)
    # and a losing tick costs the same money (one rate for profits and losses)
    loss = terminal.order_calc_profit(c.ORDER_TYPE_BUY, symbol, 100.0, bid + tick, bid)
    assert loss == pytest.approx(-100 * info.trade_tick_value_loss, abs=0.0051)


def test_the_tick_value_follows_the_quotes():
    low, high = _terminal("USD", usdjpy=100.0), _terminal("USD", usdjpy=125.0)
    assert low.symbol_info("USDJPY").trade_tick_value == pytest.approx(1.0)
    assert high.symbol_info("USDJPY").trade_tick_value == pytest.approx(0.8)
    assert high.symbol_info("EURUSD").trade_tick_value == pytest.approx(1.0)  # USD profit on a USD account


def test_without_a_rate_the_tick_value_is_zero_not_a_wrong_currency():
    """Before any quote a JPY profit cannot be valued in USD: 0.0 (MT5 without quotes), never 100 "USD"."""
    rates = {"USDJPY": make_rates("2017-03-01 10:00", [(USDJPY, USDJPY, USDJPY, USDJPY)])}
    terminal, _ = make_terminal(rates)
    assert terminal.symbol_info("USDJPY").trade_tick_value == 0.0
    assert terminal.symbol_info("EURUSD").trade_tick_value == 1.0  # USD profit on a USD account needs no rate


@settings(max_examples=60, deadline=None)
@given(currency=st.sampled_from(["USD", "EUR", "JPY"]), symbol=st.sampled_from(["EURUSD", "USDJPY"]),
       eurusd=st.floats(0.9, 1.6), usdjpy=st.floats(75.0, 160.0), lots=st.sampled_from([1.0, 10.0, 100.0]),
       ticks=st.integers(1, 500))
def test_tick_value_times_ticks_and_lots_is_the_profit(currency, symbol, eurusd, usdjpy, lots, ticks):
    terminal = _terminal(currency, round(eurusd, 5), round(usdjpy, 3))
    info = terminal.symbol_info(symbol)
    bid = info.bid
    profit = terminal.order_calc_profit(c.ORDER_TYPE_SELL, symbol, lots, bid + ticks * info.trade_tick_size, bid)
    assert profit == pytest.approx(info.trade_tick_value * ticks * lots, rel=1e-9, abs=0.0051)
