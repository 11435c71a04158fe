"""The ``risk`` and ``equal_risk`` methods over accounts of different currencies, read from simulated terminals.

Each account's tick value comes from its own terminal's ``symbol_info()`` (in its account currency, as MT5), so
``risk`` gives every account the volume that loses ``risk_percent`` of ITS equity at the stop, and ``equal_risk``
makes every account lose the same money at the stop in one currency. The money lost is cross-checked with each
terminal's own ``order_calc_profit`` (the loss of the stop distance at the current rate, as the tick value is).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.groups.accounts import read_snapshot, split_for
from mas.groups.allocation import allocate
from mas.groups.store import AccountGroup
from mas.sim.account import AccountSettings
from mas.terminal import constants as c
from sim.terminals import make_rates, make_terminal


def _terminal(currency: str, capital: float, eurusd: float = 1.25, usdjpy: float = 125.0):
    rates = {"EURUSD": make_rates("2017-03-01 10:00", [(eurusd, eurusd, eurusd, eurusd)] * 2),
             "USDJPY": make_rates("2017-03-01 10:00", [(usdjpy, usdjpy, usdjpy, usdjpy)] * 2)}
    terminal, _ = make_terminal(rates, account=AccountSettings(currency=currency, capital=capital))
    for symbol in rates:
        terminal.market.set_bar(symbol, 0)
    return terminal


def _loss(terminal, symbol: str, volume: float, distance: float) -> float:
    """Money lost over a stop ``distance`` on ``volume`` lots at the current rate (a buy closed ``distance`` lower,
    at the bid)."""
    bid = terminal.symbol_info(symbol).bid
    return -terminal.order_calc_profit(c.ORDER_TYPE_BUY, symbol, volume, bid + distance, bid)


def test_risk_gives_each_account_the_money_it_asked_for_in_its_own_currency():
    """By hand, USDJPY at 125 and EURUSD at 1.25, 1% of equity at a stop 0.500 (500 ticks of 0.001) away:
    USD 10,000: tick value 100 JPY = 0.8 USD, 500 ticks 400 USD a lot, 100 USD at risk: 0.25 lot;
    EUR 8,000: tick value 0.64 EUR, 320 EUR a lot, 80 EUR at risk: 0.25 lot;
    JPY 2,000,000: tick value 100 JPY, 50,000 JPY a lot, 20,000 JPY at risk: 0.40 lot."""
    terminals = {"usd": _terminal("USD", 10_000), "eur": _terminal("EUR", 8_000), "jpy": _terminal("JPY", 2_000_000)}
    group = AccountGroup("desk", tuple(terminals), "risk", risk_percent=1.0)
    snapshots = [read_snapshot(group, name, t, "USDJPY") for name, t in terminals.items()]
    assert [s.tick_value for s in snapshots] == pytest.approx([0.8, 0.64, 100.0])
    split = split_for(group, snapshots, 1.0, stop_distance=0.5)
    assert [s.volume for s in split.shares] == [0.25, 0.25, 0.40]
    assert [_loss(t, "USDJPY", s.volume, 0.5) for t, s in zip(terminals.values(), split.shares, strict=True)] == \
        [100.0, 80.0, 20_000.0]


def test_equal_risk_makes_every_account_lose_the_same_amount_of_its_own_currency():
    """A USD and a EUR account on EURUSD at 1.25: one tick on one lot is 1 USD on the first and 0.8 EUR on the
    second, so 0.9 lot is split 1/1 : 1/0.8 = 4 : 5, and a 0.0100 stop costs each 400 of its own currency (the
    amounts are compared as each account reports them, as the proportional methods do: docs/groups.md)."""
    usd, eur = _terminal("USD", 10_000), _terminal("EUR", 10_000)
    group = AccountGroup("desk", ("usd", "eur"), "equal_risk")
    snapshots = [read_snapshot(group, "usd", usd, "EURUSD"), read_snapshot(group, "eur", eur, "EURUSD")]
    assert [s.tick_value for s in snapshots] == pytest.approx([1.0, 0.8])
    split = split_for(group, snapshots, 0.9)
    assert [s.volume for s in split.shares] == [0.4, 0.5]
    assert (_loss(usd, "EURUSD", 0.4, 0.01), _loss(eur, "EURUSD", 0.5, 0.01)) == (400.0, 400.0)


_CURRENCIES = st.sampled_from(["USD", "EUR", "JPY"])


@settings(max_examples=80, deadline=None)
@given(accounts=st.lists(st.tuples(_CURRENCIES, st.integers(500, 5_000_000)), min_size=1, max_size=4),
       symbol=st.sampled_from(["EURUSD", "USDJPY"]), eurusd=st.floats(0.9, 1.6), usdjpy=st.floats(75.0, 160.0),
       percent=st.sampled_from([0.25, 0.5, 1.0, 2.0, 5.0]), ticks=st.integers(50, 3000))
def test_risk_puts_at_most_the_asked_money_at_the_stop_and_one_step_more_would_exceed_it(
        accounts, symbol, eurusd, usdjpy, percent, ticks):
    """For every account, currency and quote: the volume's loss at the stop is at most ``percent`` of the account's
    equity, and one volume step more would lose more than that (unless the volume is the minimum it was raised to,
    or the symbol's maximum)."""
    terminals = {f"a{i}": _terminal(currency, capital, round(eurusd, 5), round(usdjpy, 3))
                 for i, (currency, capital) in enumerate(accounts)}
    group = AccountGroup("desk", tuple(terminals), "risk", risk_percent=percent)
    snapshots = [read_snapshot(group, name, t, symbol) for name, t in terminals.items()]
    tick = 0.001 if symbol == "USDJPY" else 0.00001
    distance = round(ticks * tick, 5)
    split = allocate("risk", 1.0, snapshots, risk_percent=percent, stop_distance=distance)
    for (name, terminal), share in zip(terminals.items(), split.shares, strict=True):
        asked = terminal.account_info().equity * percent / 100
        cents = 0.011  # order_calc_profit rounds to cents
        if share.volume > 0.01:  # not raised to the minimum
            assert _loss(terminal, symbol, share.volume, distance) <= asked + cents, name
        if share.volume < 100.0:
            assert _loss(terminal, symbol, round(share.volume + 0.01, 2), distance) > asked - cents, name


def test_a_group_backtest_sizes_each_currency_by_its_own_tick_value():
    """risk 1% with a stop 0.00500 away: the USD account (tick value 1 USD) trades 100 / (500 x 1) = 0.2 lot; the EUR
    account's tick is 1 / EURUSD euros, so it trades 100 / (500 / EURUSD) = 0.2 x EURUSD lots (0.2 of USD money)."""
    from mas import MAS
    from mas.app.group_backtests import run_group_backtest

    class StopBuy(MAS):
        def receive_bars(self, symbol, data, is_end):
            if not hasattr(self, "bid"):  # a buy at the close (spread 0: the ask) with its stop 0.00500 lower
                self.bid = data["close"]
                self.parent = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 1.0,
                                               "sl": round(self.bid - 0.005, 5), "backtest_toggle": True})

    strategy = StopBuy()
    result = run_group_backtest(strategy, {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-06",
                                           "to": "2017-03-06", "spread": 0},
                                [{"name": "usd", "deposit": 10_000}, {"name": "eur", "deposit": 10_000,
                                                                       "currency": "EUR"}],
                                allocation="risk", risk_percent=1.0)
    assert strategy.parent is not None
    (usd,) = result.results["usd"].trades
    (eur,) = result.results["eur"].trades
    assert usd.volume == 0.2
    assert eur.volume == pytest.approx(int(0.2 * strategy.bid / 0.01 + 1e-9) * 0.01)
    assert eur.volume > usd.volume
