"""The clock's ledger moves a chunk into its arrays as written: each equity and balance item as it is (the float, to
the bit), and each margin noted from its bar on, two notes on one bar and a note on the chunk's first bar
included; read mid-chunk or after the chunk is closed alike."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.sim.clock import BarLedger
from mas.sim.market import SymbolTape
from mas.sim.symbols import resolve_spec
from mas.terminal.types import RATES_DTYPE


def ledger_of(count: int) -> BarLedger:
    rates = np.zeros(count, dtype=RATES_DTYPE)
    rates["time"] = 1_600_000_000 + 3600 * np.arange(count)
    for name in ("open", "high", "low", "close"):
        rates[name] = 1.1
    tape = SymbolTape(spec=resolve_spec("EURUSD", {}), timeframe="H1", rates=rates, price_side_note="test")
    return BarLedger([tape])


def reference_margin(before: float, notes: list[tuple[int, float]], start: int, end: int) -> list[float]:
    margin, value, at = [], before, start
    for bar in range(start, end):
        while at < len(notes) and notes[at][0] <= bar:
            value = notes[at][1]
            at += 1
        margin.append(value)
    return margin


floats = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(1, 40),
    second=st.integers(1, 40),
    equity=st.lists(floats, min_size=80, max_size=80),
    notes=st.lists(st.tuples(st.integers(0, 79), floats), max_size=12),
)
def test_two_chunks_read_back_bit_for_bit(first, second, equity, notes):
    total = first + second
    ledger = ledger_of(total)
    notes = sorted((bar % total, value) for bar, value in notes)
    for start, end in ((0, first), (first, total)):
        chunk_equity, chunk_balance = ledger.open_chunk(start, end)
        for i in range(start, end):
            chunk_equity[i - start] = equity[i]
            chunk_balance[i - start] = -equity[i]
        for bar, value in notes:
            if start <= bar < end:
                ledger.note_margin(bar, value)
        middle = ledger.curve(start + (end - start) // 2 + 1)  # read while the chunk is open
        ledger.close_chunk(end)
    curve = ledger.curve()
    expected = np.array(equity[:total], dtype=np.float64)
    assert curve.equity.tobytes() == expected.tobytes() and curve.balance.tobytes() == (-expected).tobytes()
    margin = np.array(reference_margin(0.0, notes, 0, total), dtype=np.float64)
    assert curve.margin.tobytes() == margin.tobytes()
    assert middle.margin.tobytes() == margin[:len(middle.margin)].tobytes()
    assert middle.equity.tobytes() == expected[:len(middle.equity)].tobytes()


def test_a_chunk_shorter_than_the_lists_and_whole_numbers():
    ledger = ledger_of(10)
    equity, balance = ledger.open_chunk(0, 10)
    equity[:] = [1, 2.5, 3, 4, 5, 6, 7, 8, 9, 10]  # an int is stored as its float
    balance[:] = [0.1] * 10
    ledger.note_margin(0, 5.0)
    ledger.note_margin(0, 6.0)
    ledger.note_margin(4, 7.0)
    ledger.note_margin(4, 8.0)
    ledger.close_chunk(6)  # the last chunk stops short of the lists' length
    assert ledger.equity[:6].tolist() == [1.0, 2.5, 3.0, 4.0, 5.0, 6.0]
    assert ledger.margin[:6].tolist() == [6.0] * 4 + [8.0] * 2
    assert ledger.margin_before == 8.0
