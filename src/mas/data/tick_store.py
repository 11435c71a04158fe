"""The tick store: one Parquet file per symbol and UTC day, ``$MAS_HOME/data/<SYMBOL>/ticks/YYYY-MM-DD.parquet``.

Saving merges by time span: the new ticks of a day replace the stored ticks of that day from the
first new tick's ``time_msc`` to the last one's (inclusive), and everything else stored is kept.
Saving the same ticks again changes nothing and rewrites nothing; writes are atomic, and each
day file's read-merge-write runs under that file's lock (:mod:`mas.data.locking`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from mas.data.folders import canonical_symbol, data_root, symbol_dir
from mas.data.locking import locked
from mas.data.market_hours import closed_days
from mas.data.missing import MissingDataError, download_command, format_range
from mas.data.tick_columns import TickColumns
from mas.data.ticks_file import (
    read_tick_table,
    read_tick_times,
    read_ticks_file,
    table_columns,
    table_times,
    tick_file_rows,
    write_ticks_file,
)
from mas.data.validation import CorruptDataError
from mas.i18n.errors import InputError, Text
from mas.terminal.types import TICKS_DTYPE

TICKS = "TICKS"
"""The pseudo-timeframe of ticks in reports and errors."""

_DAY_MS = 86_400_000


@dataclass(frozen=True)
class TickStoreUpdate:
    """What :func:`save_ticks` did: days touched and rewritten, ticks added and replaced."""

    days: int
    days_written: int
    added: int
    replaced: int
    total: int
    """Ticks stored in the touched days after the save."""


@dataclass(frozen=True)
class TickDatasetInfo:
    """The stored ticks of one symbol, as ``mas data list`` shows them."""

    symbol: str
    days: int
    ticks: int
    first: datetime | None
    last: datetime | None
    path: Path
    missing_weekdays: int
    """Weekdays (Monday to Friday, holidays excepted) between the first and last day without a file."""


class MissingTicksError(MissingDataError):
    """No stored ticks cover a request; the message says what is stored and how to fetch ticks."""

    def __init__(
        self, symbol: str, start: datetime | None, end: datetime | None, stored_days: list[date] | None = None
    ) -> None:
        self.symbol = symbol
        self.timeframe = TICKS
        self.start = start
        self.end = end
        self.stored = []
        self.stored_days = list(stored_days or [])
        LookupError.__init__(self, _missing_ticks_message(symbol, start, end, self.stored_days))

    def __reduce__(self):
        return type(self), (self.symbol, self.start, self.end, self.stored_days)


def tick_dir(symbol: str) -> Path:
    """The folder of ``symbol``'s tick files (it may not exist yet)."""
    return symbol_dir(symbol) / "ticks"


def tick_day_path(symbol: str, day: date) -> Path:
    """The tick file of ``symbol`` for the UTC ``day``."""
    return tick_dir(symbol) / f"{day:%Y-%m-%d}.parquet"


def stored_tick_days(symbol: str) -> list[date]:
    """The UTC days with a tick file for ``symbol``, in order."""
    folder = tick_dir(symbol)
    if not folder.is_dir():
        return []
    days = []
    for path in folder.glob("*.parquet"):
        try:
            days.append(date.fromisoformat(path.stem))
        except ValueError:
            continue
    return sorted(days)


def save_ticks(symbol: str, ticks: np.ndarray) -> TickStoreUpdate:
    """Merge ``ticks`` (any order; sorted stably by ``time_msc``) into the day files, atomically."""
    name = canonical_symbol(symbol)
    ticks = np.asarray(ticks, dtype=TICKS_DTYPE)
    ticks = ticks[np.argsort(ticks["time_msc"], kind="stable")]
    day_numbers = ticks["time_msc"] // _DAY_MS
    bounds = np.concatenate(([0], np.flatnonzero(np.diff(day_numbers)) + 1, [ticks.size]))
    days = written = added = replaced = total = 0
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        if hi == lo:
            continue
        new = ticks[lo:hi]
        path = tick_day_path(name, _day(int(day_numbers[lo])))
        with locked(path):
            merged_size, replaced_here = _merge_day(path, name, new)
        days += 1
        total += merged_size
        if replaced_here is None:
            continue
        written += 1
        added += new.size
        replaced += replaced_here
    return TickStoreUpdate(days=days, days_written=written, added=added, replaced=replaced, total=total)


def _merge_day(path: Path, symbol: str, new: np.ndarray) -> tuple[int, int | None]:
    """Merge one day's sorted ticks into its file (the caller holds the file's lock): the ticks in the
    merged day, and how many stored ticks the new ones replaced (None when nothing changed)."""
    try:
        old = read_ticks_file(path) if path.exists() else np.empty(0, dtype=TICKS_DTYPE)
    except CorruptDataError as exc:
        raise exc.with_remedy(repair_hint(symbol)) from None
    first, last = int(new["time_msc"][0]), int(new["time_msc"][-1])
    before = old[old["time_msc"] < first]
    inside = old[(old["time_msc"] >= first) & (old["time_msc"] <= last)]
    after = old[old["time_msc"] > last]
    merged = np.concatenate([before, new, after])
    if inside.size == new.size and np.array_equal(inside, new):
        return int(merged.size), None
    write_ticks_file(path, merged, symbol=symbol)
    return int(merged.size), int(inside.size)


def repair_hint(symbol: str) -> str:
    """How to repair a damaged tick file of ``symbol``."""
    return (
        f"remove the ticks with 'mas data remove {symbol} --ticks', then download or import them again "
        f"('{download_command(symbol, None, None, ticks=True)}')"
    )


def remove_ticks(symbol: str) -> int:
    """Delete the stored ticks of ``symbol``, each day file under its lock; returns how many day files."""
    name = canonical_symbol(symbol)
    removed = 0
    for day in stored_tick_days(name):
        path = tick_day_path(name, day)
        with locked(path):
            if path.exists():
                path.unlink()
                removed += 1
    return removed


def load_ticks(symbol: str, start: datetime | None = None, end: datetime | None = None) -> np.ndarray:
    """Stored ticks of ``symbol`` with ``start <= time_msc <= end`` (inclusive; naive times are UTC).

    Raises :class:`MissingTicksError` (a :class:`~mas.data.store.MissingDataError`) when there
    are none, naming the command that fetches them.
    """
    return load_tick_columns(symbol, start, end).to_ticks()


def load_tick_columns(symbol: str, start: datetime | None = None, end: datetime | None = None) -> TickColumns:
    """The ticks of :func:`load_ticks` as columns (:class:`~mas.data.tick_columns.TickColumns`): each day file's
    columns are read-only views of what the file decodes to, joined into one array per column when asked."""
    name = canonical_symbol(symbol)
    first = _epoch_ms(start, round_up=True) if start is not None else None
    last = _epoch_ms(end, round_up=False) if end is not None else None
    if first is not None and last is not None and first > last:
        raise InputError("start_after_end", start=start, end=end)
    stored = stored_tick_days(name)
    wanted = [
        day
        for day in stored
        if (first is None or _day_start_ms(day) + _DAY_MS > first) and (last is None or _day_start_ms(day) <= last)
    ]
    paths = [tick_day_path(name, day) for day in wanted]
    try:
        capacity = sum(tick_file_rows(path) for path in paths)  # the footers: at least the ticks wanted
    except CorruptDataError as exc:
        raise exc.with_remedy(repair_hint(name)) from None
    # times, bids and asks are written straight into one array each, a day at a time (no day's columns are kept
    # to be joined later); the other columns are kept per day (only those not zero throughout)
    whole = {key: np.empty(capacity, dtype=TICKS_DTYPE[key]) for key in ("time_msc", "bid", "ask")}
    pieces, sizes, at = [], [], 0
    for piece in _read_days(paths, first, last, name):
        size = len(piece["time_msc"])
        if size == 0:
            continue
        if at + size > capacity:  # a file changed since its footer was read: room for the rest
            capacity = 2 * (at + size)
            whole = {key: np.concatenate((column[:at], np.empty(capacity - at, column.dtype)))
                     for key, column in whole.items()}
        for key, column in whole.items():
            column[at:at + size] = piece.pop(key)
        pieces.append(piece)
        sizes.append(size)
        at += size
    if at == 0:
        raise MissingTicksError(name, start, end, stored)
    return TickColumns(pieces, joined={key: column[:at] for key, column in whole.items()}, sizes=sizes)


_READERS = 2
"""Day files read at once (each read releases the GIL while it decodes): the next files are decoded while the one
before is copied into the month's columns; at most this many decoded files wait, so memory stays a few days'."""


def _read_days(paths: list[Path], first: int | None, last: int | None, symbol: str) -> Iterator[dict[str, np.ndarray]]:
    """The columns (:func:`~mas.data.ticks_file.table_columns`) of each day file's ticks with ``first <= time_msc
    <= last`` (None: no bound), in the order of ``paths``; the files are read by a few threads, a few files ahead. A
    damaged file is a :class:`CorruptDataError` with the repair hint."""
    if len(paths) <= 1:
        yield from (_read_day(path, first, last, symbol) for path in paths)
        return
    with ThreadPoolExecutor(_READERS, thread_name_prefix="mas-ticks") as pool:
        waiting = deque(pool.submit(_read_day, path, first, last, symbol) for path in paths[:_READERS])
        for path in paths[_READERS:]:
            done = waiting.popleft()
            waiting.append(pool.submit(_read_day, path, first, last, symbol))
            yield done.result()
        while waiting:
            yield waiting.popleft().result()


def _read_day(path: Path, first: int | None, last: int | None, symbol: str) -> dict[str, np.ndarray]:
    """One day file's columns between ``first`` and ``last`` (epoch milliseconds, inclusive; None: no bound)."""
    try:
        table = read_tick_table(path)
    except CorruptDataError as exc:
        raise exc.with_remedy(repair_hint(symbol)) from None
    times = table_times(table)
    size = times.size
    lo = 0 if first is None or not size or times[0] >= first else int(np.searchsorted(times, first, side="left"))
    hi = size if last is None or not size or times[-1] <= last else int(np.searchsorted(times, last, side="right"))
    return table_columns(table, lo, max(lo, hi), times)


def list_tick_datasets(symbol: str | None = None) -> list[TickDatasetInfo]:
    """The stored ticks of every symbol (or of one), one row per symbol."""
    root = data_root()
    if symbol is not None:
        symbols = [canonical_symbol(symbol)]
    else:
        symbols = sorted(p.name.upper() for p in root.iterdir() if (p / "ticks").is_dir()) if root.is_dir() else []
    infos = []
    for name in symbols:
        days = stored_tick_days(name)
        if not days:
            continue
        count = sum(pq.read_metadata(tick_day_path(name, day)).num_rows for day in days)
        first_times = read_tick_times(tick_day_path(name, days[0]))
        last_times = read_tick_times(tick_day_path(name, days[-1]))
        holidays = closed_days(_day_start_ms(days[0]) // 1000, _day_start_ms(days[-1]) // 1000)
        weekdays = int(np.busday_count(days[0], days[-1] + timedelta(days=1), holidays=holidays))
        stored = np.is_busday(np.array(days, dtype="datetime64[D]"), holidays=holidays)
        stored_weekdays = int(np.count_nonzero(stored))
        infos.append(
            TickDatasetInfo(
                symbol=name,
                days=len(days),
                ticks=int(count),
                first=_to_datetime_ms(int(first_times.min())) if first_times.size else None,
                last=_to_datetime_ms(int(last_times.max())) if last_times.size else None,
                path=tick_dir(name),
                missing_weekdays=weekdays - stored_weekdays,
            )
        )
    return infos


def _missing_ticks_message(symbol: str, start: datetime | None, end: datetime | None,
                           stored_days: list[date]) -> Text:
    lines = [Text("missing_ticks_head", symbol=symbol, span=format_range(start, end))]
    if stored_days:
        lines.append(Text("missing_ticks_stored", days=len(stored_days), first=stored_days[0], last=stored_days[-1],
                          folder=tick_dir(symbol)))
    else:
        lines.append(Text("missing_ticks_nothing", symbol=symbol, folder=tick_dir(symbol)))
    lines.append(Text("missing_ticks_howto", download_command=download_command(symbol, start, end, ticks=True),
                      import_command=f"mas data import FILE --symbol {symbol}"))
    return Text.lines(lines)


def _epoch_ms(moment: datetime, *, round_up: bool) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    delta = moment - datetime(1970, 1, 1, tzinfo=timezone.utc)
    milliseconds, micro = divmod(delta.microseconds, 1000)
    return delta.days * _DAY_MS + delta.seconds * 1000 + milliseconds + (1 if round_up and micro else 0)


def _day(day_number: int) -> date:
    return date(1970, 1, 1) + timedelta(days=day_number)


def _day_start_ms(day: date) -> int:
    return (day - date(1970, 1, 1)).days * _DAY_MS


def _to_datetime_ms(epoch_ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=epoch_ms)
