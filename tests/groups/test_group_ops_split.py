"""The partial close split (pure arithmetic): property tests of the allocation rules it reuses."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.groups.actions import CloseRow, split_close
from mas.groups.store import GroupError

STEPS = (0.01, 0.1, 1.0)


@st.composite
def children(draw):
    rows = []
    for index in range(draw(st.integers(1, 6))):
        step = draw(st.sampled_from(STEPS))
        steps_open = draw(st.integers(1, 500))
        open_volume = float(Fraction(repr(step)) * steps_open)
        allocated = draw(st.one_of(st.just(open_volume), st.integers(1, 500).map(lambda n, s=step: float(
            Fraction(repr(s)) * n))))
        rows.append(CloseRow(f"m{index}", allocated, open_volume, volume_min=step, volume_step=step))
    return rows


def _exact(value: float) -> Fraction:
    return Fraction(repr(value))


@settings(max_examples=300, deadline=None)
@given(rows=children(), fraction=st.fractions(min_value=Fraction(1, 1000), max_value=Fraction(999, 1000)),
       rule=st.sampled_from(("raise", "skip")))
def test_a_partial_close_never_exceeds_what_is_asked_or_open_and_keeps_to_steps(rows, fraction, rule):
    total_open = sum(_exact(r.open_volume) for r in rows)
    volume = float(round(total_open * fraction, 2)) or 0.01
    shares = split_close(volume, rows, rule)
    assert [name for name, _ in shares] == [r.name for r in rows]
    assert sum(_exact(v) for _, v in shares) <= _exact(volume)
    for row, (_, lots) in zip(rows, shares, strict=True):
        assert 0 <= _exact(lots) <= _exact(row.open_volume)
        assert (_exact(lots) / _exact(row.volume_step)).denominator == 1  # whole steps of its account
        assert lots == 0 or lots >= row.volume_min


@settings(max_examples=200, deadline=None)
@given(weights=st.lists(st.integers(1, 300), min_size=1, max_size=6), numerator=st.integers(1, 99))
def test_on_one_step_the_whole_volume_is_closed_each_child_within_a_step_of_its_proportion(weights, numerator):
    rows = [CloseRow(f"m{i}", w / 100, w / 100) for i, w in enumerate(weights)]
    total = sum(weights)
    asked = max(1, total * numerator // 100)  # in steps of 0.01, below the open total
    shares = split_close(asked / 100, rows, "raise")
    got = [round(v * 100) for _, v in shares]
    assert sum(got) == asked  # nothing capped: raises and the remainder hand out every step
    for weight, steps in zip(weights, got, strict=True):
        target = Fraction(asked * weight, total)
        assert int(target) <= steps <= int(target) + 1  # rounded down, then at most one step more
    # the remainder goes to the largest allocations first: one that got no extra step is not larger than one that did
    pairs = [(w, s, Fraction(asked * w, total)) for w, s in zip(weights, got, strict=True)]
    extra = [w for w, s, target in pairs if target >= 1 and s > target]
    plain = [w for w, s, target in pairs if target >= 1 and s < target]
    assert not extra or not plain or min(extra) >= max(plain)


def test_the_documented_example_and_the_bad_cases():
    rows = [CloseRow("alice", 1.0, 1.0), CloseRow("bob", 0.7, 0.7), CloseRow("carol", 0.3, 0.3)]
    assert split_close(0.55, rows) == [("alice", 0.28), ("bob", 0.19), ("carol", 0.08)]
    # a closed child takes no part; the others share the whole close
    rows[1] = CloseRow("bob", 0.7, 0.0)
    assert split_close(0.4, rows) == [("alice", 0.31), ("bob", 0.0), ("carol", 0.09)]
    with pytest.raises(GroupError, match="no child of this parent has an open position"):
        split_close(0.1, [CloseRow("bob", 0.7, 0.0)])
    with pytest.raises(GroupError, match="volume must be above 0"):
        split_close(0.0, [CloseRow("alice", 1.0, 1.0)])
