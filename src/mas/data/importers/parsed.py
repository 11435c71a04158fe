"""What a reader hands to the store: checked, sorted rows and the issues found on the way.

Every format's reader ends with :func:`finish_bars` or :func:`finish_ticks`, so the checks of
:mod:`mas.data.quality`, the wording of the issues and the treatment of bad rows are the same for
every format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mas.data.importers.report import ImportIssue
from mas.data.quality import RowCheck, bar_row_checks, rejected_rows, tick_row_checks
from mas.data.store import merge_rates
from mas.data.timeframes import timeframe_name
from mas.i18n.errors import InputError, Text
from mas.terminal.types import RATES_DTYPE, TICKS_DTYPE

SAMPLE_LINES = 5
"""How many line numbers an issue lists."""

MAX_OFFSET_HOURS = 24

_KEPT_NOTES = {
    "duplicate_time": "import_note_last_kept",
    "out_of_order": "import_note_sorted",
}
_DEFAULT_KEPT_NOTE = "import_note_stored"
_REJECTED_NOTE = "import_note_not_stored"


@dataclass(frozen=True)
class ParsedBars:
    """Bars read from a file: UTC, sorted, unique, valid; and the issues found."""

    rates: np.ndarray
    rows_read: int
    issues: list[ImportIssue]
    timeframe: str
    price_side: str = "bid"
    has_spread: bool = True


@dataclass(frozen=True)
class ParsedTicks:
    """Ticks read from a file: UTC, sorted by ``time_msc`` (stable), valid; and the issues found."""

    ticks: np.ndarray
    rows_read: int
    issues: list[ImportIssue]


def tz_offset_seconds(tz_offset_hours: float) -> int:
    """A file's offset from UTC in seconds (to subtract from its stamps); at most 24 hours either way."""
    if not abs(tz_offset_hours) <= MAX_OFFSET_HOURS:
        raise InputError("tz_offset_range", most=MAX_OFFSET_HOURS, value=tz_offset_hours)
    return round(tz_offset_hours * 3600)


def finish_bars(
    rates: np.ndarray,
    line_numbers: np.ndarray,
    timeframe: str,
    *,
    price_side: str = "bid",
    has_spread: bool = True,
    extra_checks: Sequence[RowCheck] = (),
) -> ParsedBars:
    """Check bars in file order, leave out the invalid ones, sort and de-duplicate (later row wins)."""
    tf = timeframe_name(timeframe)
    checks = [*bar_row_checks(rates, tf), *extra_checks]
    rejected = rejected_rows(checks, rates.size)
    return ParsedBars(
        rates=merge_rates(np.empty(0, dtype=RATES_DTYPE), rates[~rejected]),
        rows_read=int(rates.size),
        issues=issues_from_checks(checks, line_numbers),
        timeframe=tf,
        price_side=price_side,
        has_spread=has_spread,
    )


def finish_ticks(ticks: np.ndarray, line_numbers: np.ndarray) -> ParsedTicks:
    """Check ticks in file order, leave out the invalid ones and sort by time (stable)."""
    checks = tick_row_checks(ticks)
    kept = ticks[~rejected_rows(checks, ticks.size)]
    kept = kept[np.argsort(kept["time_msc"], kind="stable")]
    return ParsedTicks(
        ticks=np.ascontiguousarray(kept, dtype=TICKS_DTYPE),
        rows_read=int(ticks.size),
        issues=issues_from_checks(checks, line_numbers),
    )


def issues_from_checks(checks: Sequence[RowCheck], line_numbers: np.ndarray) -> list[ImportIssue]:
    """The non-empty checks as issues: count, first line numbers, what was done with the rows."""
    issues = []
    for check in checks:
        if not check.mask.any():
            continue
        note = _KEPT_NOTES.get(check.kind, _DEFAULT_KEPT_NOTE) if check.kept else _REJECTED_NOTE
        issues.append(
            ImportIssue(
                kind=check.kind,
                description=Text("import_issue", what=check.description, note=Text(note)),
                count=check.count,
                lines=tuple(int(n) for n in line_numbers[check.mask][:SAMPLE_LINES]),
                stored=check.kept,
            )
        )
    return issues
