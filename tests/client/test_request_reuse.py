"""A request built from the same fields is reused (``mas.params.order_trade_request``'s recent requests), and a
replay sends a strategy's orders by its order desk: both must give exactly what building and sending anew gives."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas import params as p

BASE = {"symbol": "EURUSD", "order_type": "buy", "volume": 0.1, "backtest_toggle": True}


def built_anew(params, position_of):
    """The request as the builder makes it with nothing remembered."""
    p._RECENT.clear()
    return p.order_trade_request(params, position_of)


def same(a, b):
    """Equal field for field, with the same types and the same sign of every zero."""
    return a == b and [type(v) for v in a] == [type(v) for v in b] and all(
        math.copysign(1.0, x) == math.copysign(1.0, y) for x, y in zip(a, b, strict=True) if type(x) is float)


def test_a_request_is_reused_and_its_position_looked_up_anew():
    calls = []

    def position_of(ticket, _params):
        calls.append(ticket)
        return ticket + 1000

    p._RECENT.clear()
    first = p.order_trade_request(dict(BASE), position_of)
    again = p.order_trade_request(dict(BASE), position_of)
    assert same(again, first) and p.order_trade_request(dict(BASE), position_of) is again  # the kept request
    closing = p.order_trade_request({**BASE, "order_id": "7"}, position_of)
    closing_again = p.order_trade_request({**BASE, "order_id": "8"}, position_of)
    assert calls == [7, 8]
    assert closing.position == 1007 and closing_again.position == 1008
    assert same(closing_again, built_anew({**BASE, "order_id": "8"}, position_of))


@pytest.mark.parametrize(("one", "other"), [
    ({"volume": 1.0}, {"volume": 1}),  # equal values of different types
    ({"magic": 7}, {"magic": 7.0}),
    ({"sl": 0.0}, {"sl": -0.0}),  # zeros of different signs
    ({"comment": "a"}, {"comment": "b"}),
    ({}, {"note": 1}),  # one key more (unknown keys are allowed)
    ({"order_type": "buy"}, {"order_type": "BUY"}),
])
def test_fields_that_differ_in_type_sign_or_keys_are_built_anew(one, other):
    position_of = lambda ticket, _params: ticket  # noqa: E731
    p._RECENT.clear()
    p.order_trade_request({**BASE, **one}, position_of)
    got = p.order_trade_request({**BASE, **other}, position_of)
    assert same(got, built_anew({**BASE, **other}, position_of))


def test_a_malformed_field_is_refused_even_after_a_good_request_with_the_same_keys():
    position_of = lambda ticket, _params: ticket  # noqa: E731
    p._RECENT.clear()
    p.order_trade_request(dict(BASE), position_of)
    with pytest.raises(ValueError, match="^volume: "):
        p.order_trade_request({**BASE, "volume": True}, position_of)
    with pytest.raises(ValueError, match="^order_id: "):
        p.order_trade_request({**BASE, "order_id": "x"}, position_of)


values = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(-2, 2, allow_nan=False), st.just(-0.0),
                   st.sampled_from(["", "0.1", "buy", "sell_limit", "EURUSD", "7", "x"]))
fields = st.dictionaries(st.sampled_from(["volume", "sl", "tp", "magic", "deviation", "comment", "price", "order_id",
                                          "position", "position_by", "order_type", "type_filling", "note"]), values,
                         max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(fields, min_size=1, max_size=6))
def test_any_sequence_of_orders_gives_what_building_each_anew_gives(orders):
    position_of = lambda ticket, _params: ticket * 10  # noqa: E731
    p._RECENT.clear()
    for extra in orders:
        params = {**BASE, **extra}
        try:
            got = p.order_trade_request(params, position_of)
        except ValueError as exc:
            with pytest.raises(ValueError) as fresh:
                built_anew(params, position_of)
            assert str(fresh.value) == str(exc)
            continue
        saved = list(p._RECENT)
        assert same(got, built_anew(params, position_of))
        p._RECENT[:] = saved


KINDS = [  # a market order, a close-by, each pending type
    {}, {"order_type": "sell", "position_by": "5"}, *({"order_type": kind, "price": 1.2, "stoplimit": 1.1}
                                                     for kind in ("buy_limit", "sell_limit", "buy_stop", "sell_stop",
                                                                  "buy_stop_limit", "sell_stop_limit"))]


@pytest.mark.parametrize("kind", KINDS)
def test_a_request_for_a_position_equals_the_request_with_that_position_replaced(kind):
    """``with_position`` (how a kept request gets the position of each order) gives the request ``_replace`` gives,
    field for field with the same types, and the request itself for no position."""
    p._RECENT.clear()
    request = p.order_trade_request({**BASE, "comment": "c", "sl": 1.0, "magic": 7, **kind}, lambda t, _p: t)
    assert p.with_position(request, 0) is request
    for position in (1, 42, 2**40):
        moved = p.with_position(request, position)
        assert type(moved) is type(request)
        assert same(moved, request._replace(position=position)) and moved.position == position


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("named", [{"order_id": "3"}, {"position": 4}, {"position": "4", "order_id": "3"},
                                   {"position": 0, "order_id": 9}, {"order_id": ""}, {"position": None}])
def test_a_kept_close_by_or_pending_request_names_its_position_as_one_built_anew(kind, named):
    position_of = lambda ticket, _params: ticket + 100  # noqa: E731
    p._RECENT.clear()
    p.order_trade_request({**BASE, **kind}, position_of)
    kept, ticket = p.recent_order_request({**BASE, **kind, **named})
    assert kept is not None  # the request is taken again ...
    got = p.order_trade_request({**BASE, **kind, **named}, position_of)
    assert same(got, built_anew({**BASE, **kind, **named}, position_of))  # ... with the position built anew gives
    pending = kind.get("order_type", "buy").endswith(("limit", "stop"))
    assert got.position == (0 if pending or not ticket else ticket + 100)


def test_an_id_the_caller_gave_out_is_read_back_without_parsing_and_any_other_is_parsed():
    p._RECENT.clear()
    p.order_trade_request(dict(BASE), lambda t, _p: t)
    issued = str(12345)
    assert p.recent_order_request({**BASE, "order_id": issued}, issued, 12345)[1] == 12345
    assert p.recent_order_request({**BASE, "order_id": " 12345"}, issued, 12345)[1] == 12345  # parsed
    assert p.recent_order_request({**BASE, "order_id": "678"}, issued, 12345)[1] == 678
    assert p.recent_order_request({**BASE, "position": 9, "order_id": issued}, issued, 12345)[1] == 9
    assert p.recent_order_request({**BASE, "order_id": ""}, "", 0)[1] == 0
    with pytest.raises(ValueError, match="^order_id: "):
        p.recent_order_request({**BASE, "order_id": "-3"}, issued, 12345)
    assert p.recent_order_request({**BASE, "note": 1, "order_id": issued}, issued, 12345) == (None, 0)  # not kept


def test_a_replay_sends_by_its_order_desk_and_a_group_replay_by_its_own_rules():
    from mas.backtest.session import BacktestSession
    from mas.groups.backtest_session import GroupBacktestSession

    assert BacktestSession.direct_orders
    assert not GroupBacktestSession.direct_orders  # it splits each order over its members


def test_the_desk_and_the_general_path_send_the_same_orders():
    """The same strategy with its orders sent by the desk and by the general path (a subclass that overrides
    send_order, unchanged): the same trades, deals and equity, bit for bit."""
    import numpy as np

    import mas
    from mas.backtest.session import BacktestSession

    class Flip(mas):
        def __init__(self):
            super().__init__()
            self.closes, self.side, self.order_id = [], 0, None

        def receive_bars(self, symbol, data, is_end):
            self.closes.append(data["close"])
            if len(self.closes) < 12:
                return
            want = 1 if sum(self.closes[-3:]) / 3 > sum(self.closes[-12:]) / 12 else -1
            if want == self.side:
                return
            if self.order_id is not None:
                self.send_order({"symbol": symbol, "order_type": "sell" if self.side > 0 else "buy", "volume": 0.1,
                                 "order_id": self.order_id, "backtest_toggle": True})
            self.order_id = self.send_order({"symbol": symbol, "order_type": "buy" if want > 0 else "sell",
                                             "volume": 0.1, "sl": 0.0, "backtest_toggle": True})
            self.side = want

    class General(BacktestSession):
        def send_order(self, request, params, toggle):
            return super().send_order(request, params, toggle)

    params = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-03-31", "capital": 10_000,
              "backtest_toggle": True}
    by_desk = Flip()
    by_desk.subscribe_bars(dict(params))
    general = Flip()
    state = mas.client.state_of(general)
    state.backtest = General(state._events(weak=True))
    general.subscribe_bars(dict(params))
    one, other = by_desk.backtest_result, general.backtest_result
    assert len(one.closed_trades) > 20
    assert [t.as_dict() for t in one.trades] == [t.as_dict() for t in other.trades]
    assert [d.as_dict() for d in one.deal_records] == [d.as_dict() for d in other.deal_records]
    np.testing.assert_array_equal(one.equity, other.equity)
