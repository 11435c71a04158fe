"""Margin and profit against MT5's documented formulas (Forex and CFD-leverage modes).

Forex:        margin = lots * contract / leverage, in the base currency
CFD leverage: margin = lots * contract * price / leverage, in the margin currency
Profit:       (close - open) * contract * lots, in the profit currency
Each converted into the account currency with the rate of that moment.
"""

from __future__ import annotations

import pytest

from mas.sim.account import AccountSettings
from mas.terminal import constants as c

from .terminals import make_rates, make_terminal

PRICES = {"EURUSD": 1.1, "USDJPY": 110.0, "GBPUSD": 1.3, "EURGBP": 0.85, "XAUUSD": 1800.0}


def terminal_at(prices: dict[str, float], currency: str = "USD", leverage: int = 100):
    rates = {name: make_rates("2017-01-02 00:00", [(px, px, px, px)]) for name, px in prices.items()}
    term, tapes = make_terminal(rates, account=AccountSettings(currency=currency, leverage=leverage))
    for tape in tapes:
        term.market.set_bar(tape.spec.name, 0)
    return term


@pytest.mark.parametrize(
    ("symbol", "price", "expected"),
    [
        ("EURUSD", 1.1, 1100.0),  # 100000 / 100 EUR at 1.1 USD
        ("USDJPY", 110.0, 1000.0),  # 1000 USD, no conversion
        ("EURGBP", 0.85, 1100.0),  # 1000 EUR, converted with EURUSD 1.1
        ("XAUUSD", 1800.0, 1800.0),  # 1 * 100 oz * 1800 / 100
    ],
)
def test_margin_usd_account(symbol, price, expected):
    term = terminal_at(PRICES)
    assert term.order_calc_margin(c.ORDER_TYPE_BUY, symbol, 1.0, price) == pytest.approx(expected)
    assert term.order_calc_margin(c.ORDER_TYPE_SELL, symbol, 0.5, price) == pytest.approx(expected / 2)


@pytest.mark.parametrize(
    ("symbol", "price", "expected"),
    [
        ("EURUSD", 1.1, 1000.0),  # base is the account currency
        ("USDJPY", 110.0, 1000.0 / 1.1),  # 1000 USD -> EUR with EURUSD
        ("EURGBP", 0.85, 1000.0),
        ("XAUUSD", 1800.0, 1800.0 / 1.1),
    ],
)
def test_margin_eur_account(symbol, price, expected):
    term = terminal_at(PRICES, currency="EUR")
    assert term.order_calc_margin(c.ORDER_TYPE_BUY, symbol, 1.0, price) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    ("symbol", "action", "open_", "close", "expected"),
    [
        ("EURUSD", c.ORDER_TYPE_BUY, 1.1, 1.11, 1000.0),
        ("EURUSD", c.ORDER_TYPE_SELL, 1.1, 1.11, -1000.0),
        # 100000 JPY converted at the closing USDJPY rate of the event
        ("USDJPY", c.ORDER_TYPE_BUY, 110.0, 111.0, 100000 / 111.0),
        # 1000 GBP converted with GBPUSD 1.3
        ("EURGBP", c.ORDER_TYPE_BUY, 0.85, 0.86, 1300.0),
        ("XAUUSD", c.ORDER_TYPE_SELL, 1800.0, 1810.0, -1000.0),
    ],
)
def test_profit_usd_account(symbol, action, open_, close, expected):
    term = terminal_at(PRICES)
    assert term.order_calc_profit(action, symbol, 1.0, open_, close) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    ("symbol", "open_", "close", "expected"),
    [
        ("EURUSD", 1.1, 1.11, 1000.0 / 1.11),  # USD profit -> EUR at the event's EURUSD
        # JPY -> EUR has no direct pair here: it crosses through USD at the market's current
        # USDJPY (110) and EURUSD (1.1); in a replay the current price is the event's price.
        ("USDJPY", 110.0, 111.0, 100000 / 110.0 / 1.1),
        ("EURGBP", 0.85, 0.86, 1000.0 / 0.86),  # GBP -> EUR with the pair itself
        ("XAUUSD", 1800.0, 1810.0, 1000.0 / 1.1),
    ],
)
def test_profit_eur_account(symbol, open_, close, expected):
    term = terminal_at(PRICES, currency="EUR")
    assert term.order_calc_profit(c.ORDER_TYPE_BUY, symbol, 1.0, open_, close) == pytest.approx(expected, abs=0.01)


def test_conversion_without_data_is_a_clear_error():
    term = terminal_at({"EURGBP": 0.85})
    assert term.order_calc_profit(c.ORDER_TYPE_BUY, "EURGBP", 1.0, 0.85, 0.86) is None
    text = term.last_error()[1]
    assert "GBP" in text and "USD" in text and "mas data import" in text


def test_leverage_changes_forex_margin():
    term = terminal_at(PRICES, leverage=500)
    assert term.order_calc_margin(c.ORDER_TYPE_BUY, "EURUSD", 1.0, 1.1) == pytest.approx(220.0)
