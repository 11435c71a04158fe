"""The account's book on its own, without a terminal: valuation, hedged margin, netting, stops,
expiry, the listener's wishes, saving and restoring, and settling a bar through the matching."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.sim.book import AccountBook
from mas.sim.matching import settle_bar
from mas.terminal import constants as c
from mas.terminal.types import trade_request

from .conftest import BAR, open_position, sample_book


class Recorder:
    def __init__(self, wants_order_updates: bool = True, wants_deals: bool = True) -> None:
        self.wants_order_updates, self.wants_deals = wants_order_updates, wants_deals
        self.events: list[tuple] = []

    def on_order_update(self, order, retcode, message, request):
        self.events.append(("status", order.ticket, retcode))

    def on_deal(self, deal, order):
        self.events.append(("deal", deal.ticket, deal.entry))


def one_by_one(book: AccountBook) -> float:
    """Floating P&L and swaps valued position by position (the reference for the linear forms)."""
    return sum(book.position_profit(p) + p.swap for p in book.positions.values())


trades = st.lists(st.tuples(st.booleans(), st.sampled_from([0.01, 0.1, 0.3, 1.0])), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(trades=trades, netting=st.booleans(), move=st.integers(min_value=-300, max_value=300),
       spread=st.integers(min_value=0, max_value=40), nights=st.integers(min_value=0, max_value=3))
def test_the_linear_valuation_is_the_one_by_one_valuation(trades, netting, move, spread, nights):
    book = sample_book("netting" if netting else "hedging", capital=1_000_000.0)
    for is_buy, volume in trades:
        open_position(book, is_buy, volume)
    book.charge_swaps("EURUSD", nights)
    quote = book.market.quotes["EURUSD"]
    quote.bid += move * 0.00001
    quote.spread = spread * 0.00001
    assert book.all_linear()  # EURUSD's profit currency is the account's
    assert book.floating_profit() == pytest.approx(one_by_one(book), abs=1e-6)
    assert book.equity() == pytest.approx(book.balance + one_by_one(book), abs=1e-6)
    if book.positions:
        k, m, n = book.linear_form("EURUSD")
        assert k + m * quote.bid + n * quote.spread == pytest.approx(one_by_one(book), abs=1e-6)
        assert book.linear_slope("EURUSD") == m
    else:
        assert book.linear_form("EURUSD") is None
        assert book.linear_slope("EURUSD") is None


def test_a_non_linear_symbol_is_valued_one_by_one():
    book = sample_book(capital=1_000_000.0, currency="EUR")  # EURUSD's profit currency (USD) is not the account's
    open_position(book, True, 1.0)
    assert not book.all_linear()
    assert book.floating_profit() == pytest.approx(one_by_one(book), abs=1e-9)


def test_hedged_volume_uses_the_hedged_contract_size():
    book = sample_book("hedging")
    long_ticket = open_position(book, True, 1.0)
    long_margin = book.positions[long_ticket].margin
    assert book.margin_used() == pytest.approx(long_margin)
    short_ticket = open_position(book, False, 1.0)
    short_margin = book.positions[short_ticket].margin
    # fully hedged: the average margin per lot times the hedged contract (half the contract) per contract
    assert book.margin_used() == pytest.approx((long_margin + short_margin) / 2 * 0.5)


def test_netting_reverses_the_position_and_keeps_its_ticket():
    book = sample_book("netting")
    ticket = open_position(book, True, 0.1)
    open_position(book, False, 0.3)
    (pos,) = book.positions.values()
    assert (pos.ticket, pos.is_buy, pos.volume) == (ticket, False, pytest.approx(0.2))
    assert book.deals[-1].entry == c.DEAL_ENTRY_INOUT
    assert [t.volume for t in book.trades] == [pytest.approx(0.1)]  # the long's close is a trade
    assert book.reduces_net("EURUSD", True, 0.2) and not book.reduces_net("EURUSD", True, 0.25)


def test_stops_bump_the_version_and_mark_the_symbol():
    book = sample_book()
    ticket = open_position(book, True)
    version = book.book_version
    assert book.symbols_with_stops() == set()
    book.set_stops(trade_request({"action": c.TRADE_ACTION_SLTP, "position": ticket, "sl": 0.5}))
    assert book.book_version > version
    assert book.symbols_with_stops() == {"EURUSD"}


def test_orders_expire_and_what_is_left_is_canceled_at_the_end():
    book = sample_book()
    now = book.market.now
    day_order = book.place_pending(trade_request({
        "action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "volume": 0.1, "type": c.ORDER_TYPE_BUY_LIMIT,
        "price": 0.5, "type_time": c.ORDER_TIME_DAY}))
    gtc_order = book.place_pending(trade_request({
        "action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "volume": 0.1, "type": c.ORDER_TYPE_BUY_LIMIT,
        "price": 0.5}))
    assert day_order.time_expiration == now // 86400 * 86400 + 86400
    book.expire_orders(day_order.time_expiration - 1)
    assert set(book.orders) == {day_order.ticket, gtc_order.ticket}
    book.expire_orders(day_order.time_expiration)
    assert set(book.orders) == {gtc_order.ticket}
    book.cancel_pending()
    assert not book.orders
    assert [(o.ticket, o.state) for o in book.history_orders[-2:]] == [
        (day_order.ticket, c.ORDER_STATE_EXPIRED), (gtc_order.ticket, c.ORDER_STATE_CANCELED)]
    assert book.history_order(gtc_order.ticket) is gtc_order


@pytest.mark.parametrize(("updates", "deals"), [(True, True), (False, True), (True, False), (False, False)])
def test_the_listener_gets_only_what_it_wants(updates, deals):
    listener = Recorder(updates, deals)
    book = sample_book(listener=listener)
    open_position(book, True)
    kinds = [e[0] for e in listener.events]
    assert ("status" in kinds) == updates and ("deal" in kinds) == deals


def test_a_snapshot_restores_the_same_account():
    book = sample_book("hedging")
    open_position(book, True, 0.2)
    open_position(book, False, 0.1)
    book.charge_swaps("EURUSD", 1)
    state = book.snapshot()
    other = sample_book("hedging")
    other.restore(state)
    assert other.balance == book.balance
    assert other.equity() == pytest.approx(book.equity())
    assert other.margin_used() == pytest.approx(book.margin_used())
    assert other.snapshot().next_order == state.next_order
    ticket = open_position(other, True)
    assert ticket == state.next_order  # the ticket counters carry on


def test_a_bar_is_settled_on_the_book_alone():
    """The matching works on a book without any terminal: a long's stop inside the next bar closes it
    at the stop, as a stop-loss deal."""
    book = sample_book()
    tape = book.market.tapes["EURUSD"]
    low = tape.low[BAR + 1]
    ticket = open_position(book, True)
    stop = round(low + 0.00005, 5)
    assert stop < book.market.quotes["EURUSD"].bid
    book.set_stops(trade_request({"action": c.TRADE_ACTION_SLTP, "position": ticket, "sl": stop}))
    settle_bar(book, "EURUSD", BAR + 1)
    assert ticket not in book.positions
    exit_deal = book.deals[-1]
    assert exit_deal.reason == c.DEAL_REASON_SL and exit_deal.price == pytest.approx(stop)
    assert book.market.now == tape.times[BAR + 1] + 3600
