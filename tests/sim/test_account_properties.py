"""Property tests of the margin account over random trading on the real sample."""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mas.data.store import load_bars
from mas.sim.account import AccountSettings, fast_round
from mas.sim.market import prepare_rates
from mas.sim.symbols import resolve_spec
from mas.terminal import constants as c

from .terminals import make_terminal, replay

SAMPLE = load_bars("EURUSD", "H1").rates[:400]

action = st.tuples(
    st.integers(0, 399),  # bar
    st.sampled_from(["buy", "sell", "close", "buy_limit", "sell_stop", "sltp"]),
    st.sampled_from([0.01, 0.1, 0.5, 1.0, 3.0]),
    st.integers(5, 300),  # distance in points for pending prices and stops
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=st.lists(action, max_size=40), netting=st.booleans(), spread=st.integers(0, 30),
       commission=st.sampled_from([0.0, 3.5, 7.0]))
def test_equity_margin_and_deal_sum_invariants(actions, netting, spread, commission):
    spec = resolve_spec("EURUSD", {"EURUSD": {"commission": commission}})
    rates = prepare_rates_like(spread, spec)
    term, tapes = make_terminal({"EURUSD": rates}, overrides={"EURUSD": {"commission": commission}},
                                account=AccountSettings(capital=2_000.0,
                                                        margin_mode="netting" if netting else "hedging"))
    by_bar: dict[int, list] = {}
    for bar, kind, volume, points in actions:
        by_bar.setdefault(bar, []).append((kind, volume, points))
    count = {"i": -1}
    point = spec.point

    def on_bar(symbol, data, is_end):
        count["i"] += 1
        check_invariants(term)
        bid, ask = term.market.quotes[symbol].bid, term.market.ask(symbol)
        for kind, volume, points in by_bar.get(count["i"], []):
            base = {"symbol": symbol, "volume": volume}
            if kind in ("buy", "sell"):
                term.order_send({**base, "action": c.TRADE_ACTION_DEAL,
                                 "type": c.ORDER_TYPE_BUY if kind == "buy" else c.ORDER_TYPE_SELL})
            elif kind == "close" and term.positions:
                pos = next(iter(term.positions.values()))
                term.order_send({**base, "volume": pos.volume, "action": c.TRADE_ACTION_DEAL, "position": pos.ticket,
                                 "type": c.ORDER_TYPE_SELL if pos.is_buy else c.ORDER_TYPE_BUY})
            elif kind == "buy_limit":
                term.order_send({**base, "action": c.TRADE_ACTION_PENDING, "type": c.ORDER_TYPE_BUY_LIMIT,
                                 "price": round(ask - points * point, 5), "sl": round(ask - 2 * points * point, 5)})
            elif kind == "sell_stop":
                term.order_send({**base, "action": c.TRADE_ACTION_PENDING, "type": c.ORDER_TYPE_SELL_STOP,
                                 "price": round(bid - points * point, 5), "tp": round(bid - 3 * points * point, 5)})
            elif kind == "sltp" and term.positions:
                pos = next(iter(term.positions.values()))
                sign = 1 if pos.is_buy else -1
                ref = bid if pos.is_buy else ask
                term.order_send({"action": c.TRADE_ACTION_SLTP, "position": pos.ticket, "symbol": symbol,
                                 "sl": round(ref - sign * points * point, 5),
                                 "tp": round(ref + sign * points * point, 5)})

    replay(term, tapes, on_bar)
    check_invariants(term)


def prepare_rates_like(spread, spec):
    from mas.data.store import BarSeries

    series = BarSeries(symbol="EURUSD", timeframe="H1", rates=SAMPLE, price_side="ask", has_spread=False,
                       source="bundled sample")
    return prepare_rates(series, spec, spread)[0]


def check_invariants(term):
    info = term.account_info()
    floating = sum(term.book.position_profit(p) for p in term.positions.values())
    swaps = sum(p.swap for p in term.positions.values())
    assert term.equity() == pytest.approx(term.balance + floating + swaps, abs=1e-6)
    assert info.equity == pytest.approx(info.balance + info.profit, abs=0.011)
    assert term.margin_used() >= 0 and info.margin >= 0
    assert sum(d.balance_change for d in term.deals) == pytest.approx(term.balance, abs=1e-6)
    for pos in term.positions.values():
        assert pos.volume > 0 and pos.margin >= 0


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


@settings(max_examples=3000, deadline=None)
@given(x=st.one_of(st.floats(allow_nan=False, allow_infinity=True),
                   st.integers(-10**12, 10**12).map(lambda k: k / 1000),  # money-like decimals
                   st.integers(-10**9, 10**9).map(lambda k: (k + 0.5) / 100),  # exact and near halves
                   st.floats(-1e4, 1e4)),
       digits=st.integers(0, 15))
def test_fast_round_is_round_bit_for_bit(x, digits):
    """The engine rounds prices, volumes and money with ``fast_round``: it must give exactly what
    Python's ``round`` gives, sign of zero included, halves (round half to even) included."""
    assert _bits(fast_round(x, digits)) == _bits(round(x, digits))


def test_fast_round_edges():
    for x in (0.0, -0.0, -0.001, 0.125, 0.135, 2.675, 1.005, -2.5, 0.5, 1.5, 1e300, -1e300, float("inf")):
        for digits in range(16):
            assert _bits(fast_round(x, digits)) == _bits(round(x, digits)), (x, digits)
    assert math.isnan(fast_round(float("nan"), 2))
    assert _bits(fast_round(1.23456, 20)) == _bits(round(1.23456, 20))  # beyond the table: round itself
