"""Splitting one order's volume over the accounts of a group: pure arithmetic, no terminal.

Every amount is turned into an exact fraction (from its shortest decimal form, so ``0.1`` is 1/10) and
every volume is counted in whole volume steps of its account, so no float ever drifts. The rules are
documented in ``docs/live.md`` ("Allocation"); in short:

1. the method gives each account a target volume;
2. each target is rounded DOWN to the account's volume step and capped at the smaller of the symbol's
   maximum volume and the account's ``max_lots``;
3. a target below the symbol's minimum volume is raised to it (``min_lot_rule="raise"``) or skipped
   (``"skip"``); for proportional methods a raise is only made when the unallocated remainder covers it,
   largest account first, so the sum never exceeds the requested total;
4. for proportional methods the remainder (what rounding down and skipping left unallocated; never what
   a cap cut off) is handed out one volume step at a time, in rounds, to the trading accounts from the
   largest down, each taking a step while the remainder covers it and its cap allows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from mas.i18n.errors import Text

METHODS = ("multiplier", "fixed", "balance", "equity", "free_margin", "risk", "equal_risk")
"""Allocation methods: ``multiplier`` (the order's volume times the account's multiplier), ``fixed`` (the
account's fixed lots, else the order's volume), ``balance`` / ``equity`` / ``free_margin`` (the order's
volume split in proportion), ``risk`` (``risk_percent`` of the account's equity lost at the stop),
``equal_risk`` (the order's volume split so every account loses the same money at the stop)."""
PROPORTIONAL = frozenset({"balance", "equity", "free_margin", "equal_risk"})
MIN_LOT_RULES = ("raise", "skip")


class AllocationError(ValueError):
    """Bad input to an allocation: names the field and what is wrong with it."""


def exact(value: float | int | str | Fraction, what: str) -> Fraction:
    """``value`` as an exact fraction of its shortest decimal form; AllocationError if it is not a finite number."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise AllocationError(Text("alloc_not_number", what=what, value=value))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AllocationError(Text("alloc_not_number", what=what, value=value)) from None
    if not math.isfinite(number):
        raise AllocationError(Text("alloc_not_finite", what=what, value=value))
    return Fraction(repr(number))


@dataclass(frozen=True)
class AccountSnapshot:
    """What the allocation needs of one account: its money (from ``account_info``), the symbol's volume
    limits and tick value on its server (from ``symbol_info``), and the group's settings for it."""

    name: str
    balance: float
    equity: float
    free_margin: float
    volume_min: float = 0.01
    volume_max: float = 100.0
    volume_step: float = 0.01
    tick_value: float = 1.0
    """Money, in the account currency, of one tick's move on one lot against the position (``symbol_info()``'s
    ``trade_tick_value_loss``, else ``trade_tick_value``: :meth:`mas.groups.store.AccountGroup.snapshot`)."""
    tick_size: float = 0.00001
    max_lots: float = 0.0
    """The group's per-account limit (0: none)."""
    multiplier: float = 1.0
    fixed_lots: float = 0.0
    """The account's lots for the ``fixed`` method (0: the order's volume)."""

    def __post_init__(self) -> None:
        for key in ("volume_min", "volume_step", "volume_max", "tick_size"):
            if exact(getattr(self, key), f"{self.name}: {key}") <= 0:
                raise AllocationError(Text("alloc_account_positive", name=self.name, key=key, value=getattr(self, key)))
        for key in ("max_lots", "multiplier", "fixed_lots", "tick_value"):
            if exact(getattr(self, key), f"{self.name}: {key}") < 0:
                raise AllocationError(Text("alloc_account_negative", name=self.name, key=key, value=getattr(self, key)))
        for key in ("balance", "equity", "free_margin"):
            exact(getattr(self, key), f"{self.name}: {key}")


@dataclass(frozen=True)
class AccountShare:
    """One account's part of a split: ``volume`` is ``steps`` volume steps (0 when it does not trade)."""

    name: str
    volume: float
    steps: int
    target: float
    note: str = ""
    """Why the volume is not simply the target ("raised to the minimum 0.01"): a :class:`~mas.i18n.errors.Text`
    (English as a ``str``; ``localize(note, lang)`` in another language), "" when there is nothing to say."""
    remainder_steps: int = 0
    """How many of ``steps`` came from the remainder."""


@dataclass(frozen=True)
class Split:
    """The result of :func:`allocate`, in the group's member order."""

    method: str
    requested: float
    shares: tuple[AccountShare, ...] = field(default_factory=tuple)

    @property
    def total(self) -> float:
        """The sum of the volumes, exact to the steps (then turned into a float once)."""
        return float(sum((Fraction(repr(s.volume)) for s in self.shares), Fraction(0)))

    def volume_of(self, name: str) -> float:
        """The lots allocated to member ``name``."""
        return next(s.volume for s in self.shares if s.name == name)

    def lines(self) -> list[str]:
        """A readable table of the split."""
        width = max([len(s.name) for s in self.shares] + [7])
        out = [f"{'account':<{width}}  {'target':>12}  {'volume':>10}  note"]
        for s in self.shares:
            out.append(f"{s.name:<{width}}  {s.target:>12.6f}  {s.volume:>10g}  {s.note}".rstrip())
        out.append(f"{'total':<{width}}  {self.requested:>12g}  {self.total:>10g}  method={self.method}")
        return out


@dataclass
class _Work:
    account: AccountSnapshot
    order: int
    target: Fraction
    step: Fraction
    min_steps: int
    cap_steps: int
    size: Fraction
    steps: int = 0
    extra: int = 0
    notes: list[Text] = field(default_factory=list)

    @property
    def note(self) -> str:
        """The notes as one text ("a; b"): a :class:`~mas.i18n.errors.Text`, English as a ``str``."""
        return Text.lines(self.notes, "; ") if self.notes else ""


def allocate(method: str, volume: float, accounts: Sequence[AccountSnapshot], *, min_lot_rule: str = "raise",
             risk_percent: float = 0.0, stop_distance: float = 0.0) -> Split:
    """Split ``volume`` lots over ``accounts`` by ``method`` (see :data:`METHODS` and the module's rules).

    ``risk`` needs ``risk_percent`` (of equity) and ``stop_distance`` (in price, e.g. 0.0050). Deterministic:
    the same input always gives the same split; ties between equally large accounts go to the earlier member."""
    if method not in METHODS:
        from mas.choices import suggest

        raise AllocationError(Text("alloc_method_unknown", method=method, hint=suggest(method, METHODS)))
    if min_lot_rule not in MIN_LOT_RULES:
        raise AllocationError(Text("alloc_min_lot_rule", value=min_lot_rule))
    if not accounts:
        raise AllocationError(Text("alloc_no_accounts"))
    names = [a.name for a in accounts]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise AllocationError(Text("alloc_account_twice", names=", ".join(twice)))
    requested = check_volume(method, volume)
    total = _total_weight(method, accounts)  # once per split: a weight per account, not per pair of accounts
    work = [_prepare(method, requested, account, index, total, risk_percent, stop_distance)
            for index, account in enumerate(accounts)]
    for item in work:
        _round_down(item)
    if method in PROPORTIONAL:
        _settle_proportional(work, requested, min_lot_rule)
    else:
        for item in work:
            _settle_minimum(item, min_lot_rule)
    shares = tuple(AccountShare(w.account.name, float(w.steps * w.step), w.steps, float(w.target), w.note, w.extra)
                   for w in work)
    return Split(method, float(requested), shares)


def check_volume(method: str, volume: float) -> Fraction:
    """``volume`` as an exact fraction; AllocationError when it is negative, or 0 for a method that splits it
    (only ``fixed`` and ``risk`` size an account without the order's volume)."""
    requested = exact(volume, "volume")
    if requested < 0 or (requested == 0 and method not in ("fixed", "risk")):
        raise AllocationError(Text("alloc_volume_positive", value=volume))
    return requested


def _prepare(method: str, requested: Fraction, account: AccountSnapshot, index: int,
             total: Fraction | None, risk_percent: float, stop_distance: float) -> _Work:
    step = exact(account.volume_step, "volume_step")
    cap = exact(account.volume_max, "volume_max")
    if account.max_lots:
        cap = min(cap, exact(account.max_lots, "max_lots"))
    size = _size(method, account)
    target = _target(method, requested, account, total, risk_percent, stop_distance)
    return _Work(account, index, target, step, math.ceil(exact(account.volume_min, "volume_min") / step),
                 math.floor(cap / step), size)


def _size(method: str, account: AccountSnapshot) -> Fraction:
    """How large the account is for the remainder order: the method's basis, else equity."""
    key = {"balance": "balance", "free_margin": "free_margin"}.get(method, "equity")
    return exact(getattr(account, key), key)


def _weight(method: str, account: AccountSnapshot) -> Fraction:
    if method == "equal_risk":
        tick_value = exact(account.tick_value, "tick_value")
        if tick_value <= 0:
            raise AllocationError(Text("alloc_tick_value", name=account.name, method="equal_risk"))
        return exact(account.tick_size, "tick_size") / tick_value
    value = _size(method, account)
    return max(value, Fraction(0))


def _total_weight(method: str, accounts: Sequence[AccountSnapshot]) -> Fraction | None:
    """The sum of the accounts' weights for a proportional method (None for the others)."""
    if method in ("multiplier", "fixed", "risk"):
        return None
    total = sum((_weight(method, a) for a in accounts), Fraction(0))
    if total <= 0:
        raise AllocationError(Text("alloc_weights_zero", method=method, weight=method.replace("_", " ")))
    return total


def _target(method: str, requested: Fraction, account: AccountSnapshot, total: Fraction | None,
            risk_percent: float, stop_distance: float) -> Fraction:
    if method == "multiplier":
        return requested * exact(account.multiplier, "multiplier")
    if method == "fixed":
        fixed = exact(account.fixed_lots, "fixed_lots")
        return fixed if fixed > 0 else requested
    if method == "risk":
        percent, distance = exact(risk_percent, "risk_percent"), exact(stop_distance, "stop_distance")
        if not 0 < percent <= 100:
            raise AllocationError(Text("alloc_risk_percent", value=risk_percent))
        if distance <= 0:
            raise AllocationError(Text("alloc_stop_distance", value=stop_distance))
        tick_value = exact(account.tick_value, "tick_value")
        if tick_value <= 0:
            raise AllocationError(Text("alloc_tick_value", name=account.name, method="risk"))
        loss_per_lot = distance / exact(account.tick_size, "tick_size") * tick_value
        equity = max(exact(account.equity, "equity"), Fraction(0))
        return equity * percent / 100 / loss_per_lot
    assert total is not None, "a proportional method's total weight is computed by the caller"
    return requested * _weight(method, account) / total


def _round_down(item: _Work) -> None:
    steps = math.floor(item.target / item.step)
    if steps > item.cap_steps:
        item.notes.append(Text("alloc_note_capped", volume=f"{float(item.cap_steps * item.step):g}"))
        steps = item.cap_steps
    item.steps = steps


def _below_minimum(item: _Work) -> bool:
    return 0 < item.steps < item.min_steps or (item.steps == 0 and item.target > 0)


def _settle_minimum(item: _Work, rule: str) -> None:
    """Non-proportional methods: raise a volume below the minimum to it, or skip it."""
    if not _below_minimum(item):
        return
    minimum = float(item.min_steps * item.step)
    if rule == "raise" and item.min_steps <= item.cap_steps:
        item.steps = item.min_steps
        item.notes.append(Text("alloc_note_raised", minimum=f"{minimum:g}"))
    else:
        item.steps = 0
        item.notes.append(Text("alloc_note_below", minimum=f"{minimum:g}", why=Text("alloc_note_skipped")))


def _by_size(work: list[_Work]) -> list[_Work]:
    return sorted(work, key=lambda w: (-w.size, w.order))


def _settle_proportional(work: list[_Work], requested: Fraction, rule: str) -> None:
    below = [w for w in work if _below_minimum(w)]
    for item in below:
        item.steps = 0
    cut = sum((max(w.target - w.cap_steps * w.step, Fraction(0)) for w in work), Fraction(0))
    remainder = requested - cut - sum((w.steps * w.step for w in work), Fraction(0))
    for item in _by_size(below):
        minimum = item.min_steps * item.step
        if rule == "raise" and item.min_steps <= item.cap_steps and minimum <= remainder:
            item.steps = item.min_steps
            remainder -= minimum
            item.notes.append(Text("alloc_note_raised", minimum=f"{float(minimum):g}"))
        else:
            why = Text("alloc_note_skipped" if rule == "skip" else "alloc_note_not_raised")
            item.notes.append(Text("alloc_note_below", minimum=f"{float(minimum):g}", why=why))
    ordered = _by_size(work)
    while True:  # each round gives at least one step (the remainder shrinks by a step), or ends the loop
        given = False
        for item in ordered:
            if item.steps > 0 and item.steps < item.cap_steps and item.step <= remainder:
                item.steps += 1
                item.extra += 1
                remainder -= item.step
                given = True
        if not given:
            break
    for item in work:
        if item.extra:
            item.notes.append(Text("alloc_note_remainder" if item.extra > 1 else "alloc_note_remainder_one",
                                   steps=item.extra))
