"""Allocation: property tests of every method (sum, steps, limits, the remainder rule, determinism)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mas.groups.allocation import METHODS, PROPORTIONAL, AccountSnapshot, AllocationError, allocate

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

STEPS = st.sampled_from([0.01, 0.1, 0.001, 1.0, 0.05])
MONEY = st.integers(min_value=0, max_value=5_000_000).map(lambda cents: cents / 100)


@st.composite
def accounts(draw, size=st.integers(min_value=1, max_value=10)):
    out = []
    for index in range(draw(size)):
        step = draw(STEPS)
        min_steps = draw(st.integers(min_value=1, max_value=5))
        max_steps = draw(st.integers(min_value=min_steps, max_value=100_000))
        equity = draw(MONEY)
        out.append(AccountSnapshot(
            name=f"acct{index}", balance=draw(MONEY), equity=equity, free_margin=draw(MONEY),
            volume_step=step, volume_min=float(Fraction(repr(step)) * min_steps),
            volume_max=float(Fraction(repr(step)) * max_steps),
            tick_value=draw(st.sampled_from([1.0, 0.8, 1.25, 0.1, 10.0])), tick_size=0.00001,
            max_lots=draw(st.sampled_from([0.0, 0.0, 0.5, 2.0, 0.01])),
            multiplier=draw(st.sampled_from([1.0, 0.5, 2.0, 0.0, 1.5])),
            fixed_lots=draw(st.sampled_from([0.0, 0.1, 0.37]))))
    return out


VOLUMES = st.integers(min_value=1, max_value=100_000).map(lambda n: n / 100)
RULES = st.sampled_from(["raise", "skip"])


def _split(method, volume, accts, rule):
    try:
        return allocate(method, volume, accts, min_lot_rule=rule, risk_percent=1.5, stop_distance=0.0035)
    except AllocationError as exc:  # only when every account's basis is 0
        assert method in PROPORTIONAL and "is 0" in str(exc)
        return None


def _exact(x: float) -> Fraction:
    return Fraction(repr(x))


@PROPERTY
@given(st.sampled_from(METHODS), VOLUMES, accounts(), RULES)
def test_every_volume_is_whole_steps_within_the_limits_or_zero(method, volume, accts, rule):
    split = _split(method, volume, accts, rule)
    if split is None:
        return
    assert [s.name for s in split.shares] == [a.name for a in accts]
    for share, acct in zip(split.shares, accts, strict=True):
        if share.volume == 0:
            assert share.steps == 0
            continue
        amount = _exact(share.volume)
        assert amount == share.steps * _exact(acct.volume_step)  # a whole number of steps, exactly
        assert amount >= _exact(acct.volume_min)
        assert amount <= _exact(acct.volume_max)
        if acct.max_lots:
            assert amount <= _exact(acct.max_lots)


@PROPERTY
@given(st.sampled_from(sorted(PROPORTIONAL)), VOLUMES, accounts(), RULES)
def test_proportional_sum_never_exceeds_the_request(method, volume, accts, rule):
    split = _split(method, volume, accts, rule)
    if split is None:
        return
    assert sum((_exact(s.volume) for s in split.shares), Fraction(0)) <= _exact(volume)


def _weight(method, acct):
    if method == "equal_risk":
        return _exact(acct.tick_size) / _exact(acct.tick_value)
    return max(_exact(getattr(acct, method)), Fraction(0))


def _cap(acct):
    cap = _exact(acct.volume_max)
    return min(cap, _exact(acct.max_lots)) if acct.max_lots else cap


@PROPERTY
@given(st.sampled_from(sorted(PROPORTIONAL)), VOLUMES, accounts(), RULES)
def test_remainder_rule(method, volume, accts, rule):
    """Targets computed here, exactly: after the split the remainder (the request less what caps cut off and
    what was allocated) is below the step of every trading account that could take one more, and of two
    trading accounts with the same step, the larger (earlier on ties) got at least as many remainder steps
    unless it reached its cap, and at most one more unless the other reached its cap."""
    split = _split(method, volume, accts, rule)
    if split is None:
        return
    weights = [_weight(method, a) for a in accts]
    targets = [_exact(volume) * w / sum(weights) for w in weights]
    cut = sum((max(t - int(_cap(a) / _exact(a.volume_step)) * _exact(a.volume_step), Fraction(0))
               for t, a in zip(targets, accts, strict=True)), Fraction(0))
    remainder = _exact(volume) - cut - sum((_exact(s.volume) for s in split.shares), Fraction(0))
    assert remainder >= 0
    room = [s.steps > 0 and (s.steps + 1) * _exact(a.volume_step) <= _cap(a)
            for s, a in zip(split.shares, accts, strict=True)]
    for share, acct, free in zip(split.shares, accts, room, strict=True):
        assert share.steps == 0 or share.steps >= share.remainder_steps
        if free:
            assert remainder < _exact(acct.volume_step), (share, remainder)
    key = {"balance": "balance", "free_margin": "free_margin"}.get(method, "equity")
    order = sorted(range(len(accts)), key=lambda i: (-_exact(getattr(accts[i], key)), i))
    for rank, i in enumerate(order):
        for j in order[rank + 1:]:
            a, b = split.shares[i], split.shares[j]
            if a.steps == 0 or b.steps == 0 or accts[i].volume_step != accts[j].volume_step:
                continue
            if room[i]:
                assert a.remainder_steps >= b.remainder_steps, (a, b)
            if room[j]:
                assert a.remainder_steps <= b.remainder_steps + 1, (a, b)


@PROPERTY
@given(st.sampled_from(METHODS), VOLUMES, accounts(), RULES)
def test_deterministic_and_independent_of_float_noise(method, volume, accts, rule):
    first = _split(method, volume, accts, rule)
    second = _split(method, volume, list(accts), rule)
    assert first == second


@PROPERTY
@given(st.sampled_from(sorted(PROPORTIONAL)), st.integers(min_value=1, max_value=10_000), st.integers(2, 10))
def test_equal_accounts_share_exactly_with_the_remainder_to_the_first(method, cents, count):
    accts = [AccountSnapshot(f"a{i}", 1000.0, 1000.0, 1000.0) for i in range(count)]
    split = allocate(method, cents / 100, accts)
    steps = [s.steps for s in split.shares]
    assert sum(steps) == cents or (cents < count and sum(steps) <= cents)
    assert steps == sorted(steps, reverse=True)  # ties go to the earlier member
    assert max(steps) - min(steps) <= 1 or cents < count


def test_a_worked_example():
    """0.1 lot by equity over 3 accounts: 0.0571.. / 0.0285.. / 0.0142..; down to steps 0.05 / 0.02 / 0.01
    (0.08), remainder 0.02: one step each to the two largest."""
    accts = [AccountSnapshot("big", 10_000, 10_000, 9_000), AccountSnapshot("mid", 5_000, 5_000, 5_000),
             AccountSnapshot("small", 2_500, 2_500, 2_500)]
    split = allocate("equity", 0.1, accts)
    assert [s.volume for s in split.shares] == [0.06, 0.03, 0.01]
    assert split.total == 0.1


def test_minimum_rule_and_caps():
    accts = [AccountSnapshot("a", 10_000, 10_000, 10_000, max_lots=0.5),
             AccountSnapshot("b", 100, 100, 100)]
    split = allocate("equity", 2.0, accts)
    assert split.volume_of("a") == 0.5 and "capped at 0.5" in split.shares[0].note
    assert split.volume_of("b") == 0.01  # 0.0198 -> 0.01; what the cap cut off is not handed to b
    raised = allocate("equity", 0.3, [AccountSnapshot("a", 10_000, 10_000, 10_000),
                                      AccountSnapshot("b", 10, 10, 10)])
    assert raised.volume_of("b") == 0.01 and "raised" in raised.shares[1].note
    assert raised.volume_of("a") == 0.29 and raised.total == 0.3
    skipped = allocate("equity", 0.3, [AccountSnapshot("a", 10_000, 10_000, 10_000),
                                       AccountSnapshot("b", 10, 10, 10)], min_lot_rule="skip")
    assert skipped.volume_of("b") == 0 and skipped.volume_of("a") == 0.3


def test_risk_uses_the_tick_value():
    """1% of 10,000 = 100 at a 50-pip stop: 500 ticks of 0.00001 x 1.0 per lot = 500 per lot -> 0.2 lot."""
    accts = [AccountSnapshot("usd", 10_000, 10_000, 10_000, tick_value=1.0),
             AccountSnapshot("jpyish", 10_000, 10_000, 10_000, tick_value=0.5)]
    split = allocate("risk", 0, accts, risk_percent=1, stop_distance=0.005)
    assert [s.volume for s in split.shares] == [0.2, 0.4]
    equal = allocate("equal_risk", 0.3, accts)
    assert [s.volume for s in equal.shares] == [0.1, 0.2]  # the same money at risk on each


@pytest.mark.parametrize(("method", "kwargs", "message"), [
    ("equty", {}, "did you mean 'equity'"),
    ("equity", {"min_lot_rule": "round"}, "min-lot rule"),
    ("risk", {"risk_percent": 0, "stop_distance": 0.01}, "risk_percent"),
    ("risk", {"risk_percent": 1, "stop_distance": 0}, "stop distance"),
])
def test_bad_input_is_named(method, kwargs, message):
    with pytest.raises(AllocationError, match=message):
        allocate(method, 1.0, [AccountSnapshot("a", 1, 1, 1)], **kwargs)
    with pytest.raises(AllocationError, match="volume_step"):
        AccountSnapshot("a", 1, 1, 1, volume_step=0)
    with pytest.raises(AllocationError, match="listed twice"):
        allocate("equity", 1.0, [AccountSnapshot("a", 1, 1, 1), AccountSnapshot("a", 1, 1, 1)])
