"""How the matching reads a settled bar's prices and time: from the column's chunk when that chunk is already
made (by the clock or by dense settling), else straight from the array, without making a chunk for one read."""

from __future__ import annotations

import random

import numpy as np

from mas.data.store import load_bars
from mas.sim.market import SymbolTape, prepare_rates
from mas.sim.matching import _price, _time
from mas.sim.symbols import resolve_spec


def sample_tape() -> SymbolTape:
    spec = resolve_spec("EURUSD", {})
    rates, _ = prepare_rates(load_bars("EURUSD", "H1"), spec, 7)
    return SymbolTape(spec=spec, timeframe="H1", rates=rates, price_side_note="test")


def test_a_sparse_read_makes_no_chunk_and_gives_the_arrays_float():
    tape = sample_tape()
    rng = random.Random(5)
    indices = [0, len(tape.times) - 1, *(rng.randrange(len(tape.times)) for _ in range(100))]
    for column in (tape.open, tape.high, tape.low, tape.close, tape.spread_price):
        read = [_price(column, i, False) for i in indices]
        assert column.chunk == []  # one bar's read does not turn a chunk of bars into floats
        assert all(type(v) is float for v in read)
        np.testing.assert_array_equal(np.array(read).view(np.int64), column.values[indices].view(np.int64))
    times = [_time(tape.times, i, False) for i in indices]
    assert tape.times.chunk == [] and all(type(t) is int for t in times)
    assert times == tape.times.values[indices].tolist()


class Unread:
    """Stands in for a column's array once its chunk is made: reading it fails the test."""

    def item(self, index):
        raise AssertionError(f"bar {index} was read from the array, not from the chunk already made")

    def __getitem__(self, index):
        self.item(index)


def test_a_sparse_read_takes_the_float_of_a_chunk_already_made():
    tape = sample_tape()
    rng = random.Random(6)
    indices = [rng.randrange(len(tape.times)) for _ in range(100)]
    for column in (tape.open, tape.high, tape.low, tape.close, tape.spread_price, tape.times):
        expected = column.values[indices].tolist()
        column[indices[0]]  # makes the chunk holding these bars (the sample fits in one)
        column.values = Unread()
        read = _time if column is tape.times else _price
        assert [read(column, i, False) for i in indices] == expected
        assert [read(column, i, True) for i in indices] == expected
