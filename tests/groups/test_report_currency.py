"""The exposure value of the group report is in each account's currency (from the account-currency tick value)."""

from __future__ import annotations

import pytest

from mas.groups.report import account_report
from mas.sim.account import AccountSettings
from mas.terminal import constants as c
from sim.terminals import make_rates, make_terminal


@pytest.mark.parametrize(("currency", "symbol", "lots", "expected"), [
    ("USD", "EURUSD", 1.0, 100_000 * 1.25),    # 100,000 EUR at 1.25 USD
    ("EUR", "EURUSD", 1.0, 100_000.0),         # 100,000 EUR
    ("USD", "USDJPY", -2.0, -200_000.0),       # short 200,000 USD
    ("JPY", "USDJPY", 0.5, 50_000 * 125.0),    # 50,000 USD at 125 JPY
    ("EUR", "USDJPY", 1.0, 100_000 / 1.25),    # 100,000 USD in EUR (JPY -> USD -> EUR)
])
def test_the_exposure_value_is_the_position_in_the_account_currency(currency, symbol, lots, expected):
    rates = {"EURUSD": make_rates("2017-03-01 10:00", [(1.25, 1.25, 1.25, 1.25)] * 3),
             "USDJPY": make_rates("2017-03-01 10:00", [(125.0, 125.0, 125.0, 125.0)] * 3)}
    terminal, _ = make_terminal(rates, account=AccountSettings(currency=currency, capital=10_000_000))
    for name in rates:
        terminal.market.set_bar(name, 0)
    terminal.begin_replay()
    kind = c.ORDER_TYPE_BUY if lots > 0 else c.ORDER_TYPE_SELL
    sent = terminal.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": symbol, "type": kind, "volume": abs(lots)})
    assert sent.retcode == c.TRADE_RETCODE_PLACED, sent.comment
    for name in rates:
        terminal.advance_bar(name, 1)
    (exposure,) = account_report("acct", terminal).exposure
    assert (exposure.symbol, exposure.net_lots, exposure.value) == (symbol, lots, pytest.approx(expected, abs=0.01))
