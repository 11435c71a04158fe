"""The --param parser and the parameter grid."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mas.optimize.space import ParamSpace, ParamSpecError, parse_param_spec


def test_integer_range_includes_its_stop():
    assert parse_param_spec("fast=5:50:5") == ("fast", [5, 10, 15, 20, 25, 30, 35, 40, 45, 50])


def test_stop_not_on_a_step_is_not_passed():
    assert parse_param_spec("n=1:10:4")[1] == [1, 5, 9]


def test_float_steps_do_not_drift():
    name, values = parse_param_spec("nbdev=0.1:0.7:0.1")
    assert values == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
    assert all(isinstance(v, float) for v in values)


def test_negative_step_counts_down():
    assert parse_param_spec("x=3:-3:-2")[1] == [3, 1, -1, -3]


def test_lists_and_single_values_are_typed():
    assert parse_param_spec("x=5,0.5,true,close")[1] == [5, 0.5, True, "close"]
    assert parse_param_spec("volume=0.2") == ("volume", [0.2])
    assert parse_param_spec("sma_fast.period=3:5:1") == ("sma_fast.period", [3, 4, 5])


@pytest.mark.parametrize("spec, fragment", [
    ("fast", "no '='"),
    ("fast=", "no value for 'fast'"),
    ("fast=5:x:5", "stop 'x' of 'fast' is not a number"),
    ("fast=5:50", "needs start:stop:step"),
    ("fast=5:50:0", "the step of 'fast' must not be 0"),
    ("fast=50:5:5", "use a negative step"),
    ("fast=1:2:0.0000001", "more than"),
    ("2fast=1:2:1", "is not a parameter name"),
    ("fast=1,,2", "empty value"),
    ("fast=1,2,1", "more than once"),
])
def test_bad_specs_name_the_parameter_and_the_syntax(spec, fragment):
    with pytest.raises(ParamSpecError) as info:
        parse_param_spec(spec)
    message = str(info.value)
    assert fragment in message
    assert spec in message


def test_every_error_states_the_expected_syntax():
    for spec in ("fast", "fast=", "fast=a:b:c", "fast=5:50"):
        with pytest.raises(ParamSpecError, match="name=start:stop:step"):
            parse_param_spec(spec)


def test_a_parameter_given_twice_is_refused():
    with pytest.raises(ParamSpecError, match="fast given more than once"):
        ParamSpace.from_specs(["fast=1:3:1", "fast=5"])


@given(st.integers(-1000, 1000), st.integers(1, 50), st.integers(0, 60), st.integers(0, 49))
def test_integer_ranges_are_arithmetic_and_inclusive(start, step, steps, short):
    stop = start + step * steps + (short % step)
    _, values = parse_param_spec(f"p={start}:{stop}:{step}")
    assert values == [start + k * step for k in range(steps + 1)]
    assert values[-1] <= stop < values[-1] + step


@given(st.integers(-10_000, 10_000), st.integers(1, 999), st.integers(0, 40), st.integers(1, 4))
def test_decimal_ranges_hit_every_decimal_exactly(start_units, step_units, steps, places):
    scale = Decimal(10) ** -places
    start, step = Decimal(start_units) * scale, Decimal(step_units) * scale
    stop = start + step * steps
    _, values = parse_param_spec(f"p={start}:{stop}:{step}")
    expected = [float(start + k * step) for k in range(steps + 1)]
    assert values == expected
    assert values[-1] == float(stop)


@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.integers(0, 2**32 - 1))
def test_grid_order_decoding_and_random_order(sizes, seed):
    space = ParamSpace(tuple(f"p{i}" for i in range(len(sizes))),
                       tuple(tuple(range(10 * i, 10 * i + n)) for i, n in enumerate(sizes)))
    grid = list(space.grid())
    assert len(grid) == space.size
    assert [space.combination(i) for i in range(space.size)] == grid
    assert grid == [dict(zip(space.names, combo, strict=True)) for combo in itertools.product(*space.values)]
    drawn = list(space.random_order(seed))
    assert sorted(map(repr, drawn)) == sorted(map(repr, grid))
    assert drawn == list(space.random_order(seed))


def test_mapping_accepts_spec_text_sequences_and_values():
    space = ParamSpace.from_mapping({"fast": "5:15:5", "slow": [20, 40], "volume": 0.1})
    assert space.names == ("fast", "slow", "volume")
    assert space.size == 6
    assert space.combination(5) == {"fast": 15, "slow": 40, "volume": 0.1}
