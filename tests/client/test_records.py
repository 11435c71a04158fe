"""The simulated account's records and their MT5 views."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mas.client import state_of
from mas.sim.records import SimDeal
from mas.terminal import constants as c


@given(ticket=st.integers(1, 10**9), time=st.integers(0, 2**40), volume=st.floats(0, 100), price=st.floats(0, 1e5),
       profit=st.floats(-1e6, 1e6), swap=st.floats(-1e3, 1e3), commission=st.floats(-1e3, 0),
       reason=st.sampled_from([0, 3, 4, 5, 6]), comment=st.text(max_size=8))
def test_a_deal_as_dict_is_its_mt5_view_as_dict(ticket, time, volume, price, profit, swap, commission, reason,
                                                comment):
    deal = SimDeal(ticket=ticket, order=ticket + 1, time=time, type=1, entry=1, magic=7, position_id=ticket - 1,
                   reason=reason, volume=volume, price=price, commission=commission, swap=swap, profit=profit,
                   symbol="EURUSD", comment=comment)
    as_dict = deal.as_dict()
    assert list(as_dict.items()) == list(deal.view()._asdict().items())


def test_trade_request_reads_every_field_in_order():
    """``trade_request`` is written out field by field for speed: each field lands in its own
    place, absent ones get MT5's zero defaults, and unknown keys are ignored."""
    from mas.terminal.types import TradeRequest, trade_request

    given = {name: f"value of {name}" for name in TradeRequest._fields}
    assert trade_request({**given, "not_a_field": 1})._asdict() == given
    empty = trade_request({})
    assert empty.symbol == "" and empty.comment == ""
    assert all(getattr(empty, name) == 0 for name in TradeRequest._fields if name not in ("symbol", "comment"))


def test_is_buy_matches_the_buy_order_types():
    from mas.sim.records import SimOrder

    for order_type in (*c.ORDER_TYPE_BY_NAME.values(), c.ORDER_TYPE_CLOSE_BY):
        order = SimOrder(ticket=1, symbol="EURUSD", type=order_type, volume_initial=0.1, price_open=0.0, time_setup=0)
        assert order.is_buy == (order_type in c.BUY_ORDER_TYPES)


def test_a_backtest_result_lists_every_deal_as_mt5_does():
    """``BacktestResult.deals`` is made from the terminal's deal records when first read: the same
    dicts as ``history_deals_get`` gives, deposit included, and they survive ``dataclasses.replace``."""
    import dataclasses

    import mas

    class Flipper(mas):
        def receive_bars(self, symbol, data, is_end):
            if not is_end and data["time"].hour == 10:
                self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "tp": data["close"] + 0.001,
                                 "backtest_toggle": True})

    client = Flipper()
    client.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-03-01", "to": "2017-03-31",
                           "backtest_toggle": True})
    result = client.backtest_result
    history = [d._asdict() for d in state_of(client).backtest.terminal.history_deals_get(0, 2**40)]
    assert len(history) > 3 and result.deals == history
    assert dataclasses.replace(result, settings={}).deals == history


@given(time=st.integers(0, 2**34), expiration=st.sampled_from([0, 1_500_000_000]), done=st.integers(0, 2**34))
def test_api_record_dicts_carry_the_originals_times(time, expiration, done):
    """Positions, orders and deals as the MAS API returns them: MT5 seconds become naive datetimes of the
    same clock, ``*_msc`` stay int milliseconds, unset order times (0) are None."""
    from datetime import datetime, timedelta

    from mas.api_records import deal_dict, mt5_time, order_dict, position_dict
    from mas.sim.records import SimOrder
    from mas.terminal.types import TradePosition

    assert mt5_time(time) == datetime(1970, 1, 1) + timedelta(seconds=time)
    assert mt5_time(mt5_time(time)) == mt5_time(time)
    pos = TradePosition(ticket=9, time=time, time_msc=time * 1000, time_update=time, time_update_msc=time * 1000,
                        type=0, magic=1, identifier=7, reason=3, volume=0.1, price_open=1.1, sl=0.0, tp=0.0,
                        price_current=1.2, swap=0.0, profit=1.0, symbol="EURUSD", comment="", external_id="")
    shaped = position_dict(pos)
    assert shaped["order_id"] == 7 and shaped["ticket"] == 9  # the opening order, not the position ticket
    assert shaped["time"] == shaped["time_update"] == mt5_time(time) and shaped["time_msc"] == time * 1000
    assert set(shaped) == set(pos._fields) | {"order_id"}
    assert position_dict(pos._replace(identifier=0))["order_id"] == 9

    view = SimOrder(ticket=3, symbol="EURUSD", type=c.ORDER_TYPE_BUY_LIMIT, volume_initial=0.1, volume_current=0.1,
                    price_open=1.0, time_setup=time, time_expiration=expiration, time_done=done).view()
    for with_state in (False, True):
        shaped = order_dict(view, with_state)
        assert shaped["time_setup"] == mt5_time(time)
        assert shaped["time_expiration"] == (mt5_time(expiration) if expiration else None)
        assert shaped["time_done"] == (mt5_time(done) if done else None)
        assert set(shaped) == set(view._fields) and ("state" in list(shaped)[:17]) == with_state

    deal = SimDeal(ticket=1, order=3, time=time, type=0, entry=0, magic=1, position_id=3, reason=3, volume=0.1,
                   price=1.1, commission=0.0, swap=0.0, profit=0.0, symbol="EURUSD")
    shaped = deal_dict(deal.view())
    assert shaped["time"] == mt5_time(time) and shaped["time_msc"] == time * 1000
    assert list(shaped)[-1] == "magic" and set(shaped) == set(deal.view()._fields)
