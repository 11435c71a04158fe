"""The clock's ledger writes a chunk into its arrays from what the replay noted: each margin and balance from its
bar on (two notes on one bar and a note on the chunk's first bar included), the equity from its form (the balance,
or the balance plus the account's linear P&L at the bar's close, computed as the replay computes it, to the bit)
and each equity given for one bar as it is; read mid-chunk or after the chunk is closed alike."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.sim.clock import BarLedger
from mas.sim.market import SymbolTape
from mas.sim.symbols import resolve_spec
from mas.terminal.types import RATES_DTYPE


def ledger_of(count: int, closes: list[float] | None = None, spreads: list[int] | None = None) -> BarLedger:
    rates = np.zeros(count, dtype=RATES_DTYPE)
    rates["time"] = 1_600_000_000 + 3600 * np.arange(count)
    for name in ("open", "high", "low", "close"):
        rates[name] = 1.1 if closes is None else closes[:count]
    if spreads is not None:
        rates["spread"] = spreads[:count]
    tape = SymbolTape(spec=resolve_spec("EURUSD", {}), timeframe="H1", rates=rates, price_side_note="test")
    return BarLedger([tape])


def reference_notes(before, notes: list[tuple[int, object]], start: int, end: int) -> list:
    values, value, at = [], before, start
    for bar in range(start, end):
        while at < len(notes) and notes[at][0] <= bar:
            value = notes[at][1]
            at += 1
        values.append(value)
    return values


floats = st.floats(allow_nan=False, allow_infinity=False, width=64)
prices = st.floats(0.5, 2.0)


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(1, 40),
    second=st.integers(1, 40),
    closes=st.lists(prices, min_size=80, max_size=80),
    spreads=st.lists(st.integers(0, 50), min_size=80, max_size=80),
    notes=st.lists(st.tuples(st.integers(0, 79), floats, floats), max_size=12),
    forms=st.lists(st.tuples(st.integers(0, 79), st.booleans(), floats, floats, floats), max_size=12),
    given_equity=st.lists(st.tuples(st.integers(0, 79), floats), max_size=12),
)
def test_two_chunks_read_back_bit_for_bit(first, second, closes, spreads, notes, forms, given_equity):
    total = first + second
    ledger = ledger_of(total, closes, spreads)
    tape = ledger.tapes[0]
    notes = sorted((bar % total, margin, balance) for bar, margin, balance in notes)
    forms = sorted((bar % total, linear, k, m, n) for bar, linear, k, m, n in forms)
    given_at = {bar % total: value for bar, value in given_equity}
    for start, end in ((0, first), (first, total)):
        ledger.open_chunk(start, end)
        for bar, margin, balance in notes:
            if start <= bar < end:
                ledger.note_account(bar, margin, balance)
        for bar, linear, k, m, n in forms:
            if start <= bar < end:
                ledger.note_form(bar, linear, k, m, n)
        for bar in sorted(given_at):
            if start <= bar < end:
                ledger.note_equity(bar, given_at[bar])
        middle = ledger.curve(start + (end - start) // 2 + 1)  # read while the chunk is open
        ledger.close_chunk(end)
    curve = ledger.curve()
    margin = reference_notes(0.0, [(bar, m) for bar, m, _ in notes], 0, total)
    balance = reference_notes(0.0, [(bar, b) for bar, _, b in notes], 0, total)
    form = reference_notes((False, 0.0, 0.0, 0.0), [(bar, rest) for bar, *rest in forms], 0, total)
    equity = []
    for bar in range(total):
        linear, k, m, n = form[bar]
        close, spread = tape.close[bar], tape.spread_price[bar]  # the replay's floats: the bar's close and spread
        value = balance[bar] + (k + m * close + n * spread) if linear else balance[bar]  # as the replay adds them
        equity.append(given_at.get(bar, value))
    for name, expected in (("margin", margin), ("balance", balance), ("equity", equity)):
        whole = np.array(expected, dtype=np.float64)
        assert getattr(curve, name).tobytes() == whole.tobytes(), name
        part = getattr(middle, name)
        assert part.tobytes() == whole[:len(part)].tobytes(), name


def test_a_chunk_shorter_than_it_was_opened_for():
    ledger = ledger_of(10)
    ledger.open_chunk(0, 10)
    ledger.note_account(0, 5.0, 100.0)
    ledger.note_account(0, 6.0, 101.0)
    ledger.note_account(4, 7.0, 102.0)
    ledger.note_account(4, 8.0, 103.0)
    ledger.note_form(0, False, 0.0, 0.0, 0.0)
    ledger.note_equity(2, 3)  # an int is stored as its float
    ledger.note_form(5, True, 1.0, 2.0, 0.0)
    ledger.note_account(7, 9.0, 104.0)  # past where the chunk stops: not in the arrays
    ledger.note_equity(8, 1.5)
    ledger.close_chunk(6)  # the last chunk stops short of where it was opened for
    assert ledger.margin[:6].tolist() == [6.0] * 4 + [8.0] * 2
    assert ledger.balance[:6].tolist() == [101.0] * 4 + [103.0] * 2
    assert ledger.equity[:6].tolist() == [101.0, 101.0, 3.0, 101.0, 103.0, 103.0 + (1.0 + 2.0 * 1.1)]
    assert ledger.margin_before == 8.0 and ledger.balance_before == 103.0
    assert ledger.form_before == (True, 1.0, 2.0, 0.0)
    assert ledger.margin[6:].tolist() == [0.0] * 4  # nothing written past the chunk


def test_a_ledger_whose_arrays_are_written_directly_reads_them_back():
    ledger = ledger_of(5)  # a clock that writes the arrays bar by bar never opens a chunk
    ledger.equity[:] = [1.0, 2.0, 3.0, 4.0, 5.0]
    ledger.balance[:] = 7.0
    curve = ledger.curve(3)
    assert curve.equity.tolist() == [1.0, 2.0, 3.0] and curve.balance.tolist() == [7.0] * 3
