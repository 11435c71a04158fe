"""Symbol digits in the data layer: one table, which the simulator's contract specifications agree with."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mas.data.points import (
    BUILTIN_DIGITS,
    DEFAULT_DIGITS,
    check_digits,
    points_to_prices,
    prices_to_points,
    symbol_digits,
)
from mas.sim.symbols import BUILTIN_SYMBOLS


def test_the_digits_table_and_the_contract_table_agree():
    assert set(BUILTIN_DIGITS) == set(BUILTIN_SYMBOLS)
    assert {name: spec.digits for name, spec in BUILTIN_SYMBOLS.items()} == BUILTIN_DIGITS


@pytest.mark.parametrize(("symbol", "digits"), [("EURUSD", 5), ("usdjpy", 3), (" XAUUSD ", 2), ("EURUSD.m", 5),
                                                ("BTCUSD", DEFAULT_DIGITS)])
def test_symbol_digits_is_case_insensitive_and_defaults_for_unknown_symbols(symbol, digits):
    assert symbol_digits(symbol) == digits


@pytest.mark.parametrize("bad", [-1, 11, 2.0, True, "5"])
def test_check_digits_refuses_what_is_not_a_whole_number_of_digits(bad):
    with pytest.raises(ValueError, match="digits must be a whole number from 0 to 10"):
        check_digits(bad)


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=6))
def test_points_survive_the_round_trip_through_prices(points, digits):
    prices = points_to_prices(np.array([points]), digits)
    assert prices_to_points(prices, digits)[0] == points
