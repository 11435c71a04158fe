"""The simulated account's records and their MT5 views."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mas.sim.records import SimDeal


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
