"""Dukascopy's public datafeed: M1 bid candles or ticks for a range of UTC days, into the store.

Files: ``BASE/SYMBOL/YYYY/MM/DD/BID_candles_min_1.bi5`` (one per day) and
``BASE/SYMBOL/YYYY/MM/DD/HHh_ticks.bi5`` (one per hour), months counted from ``00``.

- Fetches run in parallel (a thread pool), each retried with exponential backoff
  (:mod:`mas.data.downloaders.http_fetch`); a payload that does not decode is retried too.
- Every answer is cached under ``$MAS_HOME/cache/dukascopy/`` with the datafeed's relative path,
  so an interrupted download resumes where it stopped. A 404 or an empty file means no data for
  that day or hour (weekends, holidays): it is cached as an empty file, not an error. Answers for
  periods that ended less than :data:`RECENT_SECONDS` ago are not cached (they may still grow).
- Candles are stored as M1 bid bars without spreads; ticks are stored in the tick store, and M1
  bars built from them (bid candles with spreads) in the bar store. All times are UTC.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from mas.data.atomic import write_bytes_atomically
from mas.data.bi5 import CANDLE_RECORD, TICK_RECORD, decode_records
from mas.data.downloaders.http_fetch import FetchError, fetch_with_retries
from mas.data.importers.dukascopy import candles_from_bi5, ticks_from_bi5
from mas.data.importers.parsed import ParsedBars, ParsedTicks
from mas.data.points import check_digits, symbol_digits
from mas.data.resample import ticks_to_m1
from mas.data.store import StoreUpdate, canonical_symbol, mas_home, save_bars
from mas.data.tick_store import TickStoreUpdate, save_ticks
from mas.i18n.errors import InputError, Text
from mas.terminal.types import RATES_DTYPE

DEFAULT_BASE_URL = "https://datafeed.dukascopy.com/datafeed"
RECENT_SECONDS = 2 * 3600
"""Periods that ended less than this long ago are fetched but not cached."""
MAX_DAYS = 366 * 30

ProgressCallback = Callable[[int, int], None]
"""Called with (files done, files in total) after each file, from worker threads (serialised)."""


class DownloadError(OSError):
    """A download that could not complete; what was fetched before is cached and stored."""


@dataclass(frozen=True)
class DatafeedFile:
    """One file of the datafeed: its path relative to the base URL and the period it covers."""

    relative_path: str
    start: int
    """Epoch seconds (UTC) of the start of the day or hour."""
    seconds: int
    """Length of the period (86400 for a candle file, 3600 for a tick file)."""
    day: date


@dataclass
class DownloadReport:
    """What a download did."""

    symbol: str
    ticks: bool
    first_day: date
    last_day: date
    files: int = 0
    downloaded: int = 0
    from_cache: int = 0
    without_data: int = 0
    rows_stored: int = 0
    """Bars (candles) or ticks (ticks) stored."""
    issue_counts: dict[str, int] = field(default_factory=dict)
    bars_update: StoreUpdate | None = None
    tick_update: TickStoreUpdate | None = None
    first: datetime | None = None
    last: datetime | None = None


def plan_files(symbol: str, first_day: date, last_day: date, *, ticks: bool) -> list[DatafeedFile]:
    """The datafeed files covering the UTC days ``first_day`` to ``last_day`` (inclusive)."""
    if last_day < first_day:
        raise InputError("download_to_before_from", last=last_day, first=first_day)
    days = (last_day - first_day).days + 1
    if days > MAX_DAYS:
        raise InputError("download_too_many_days", days=days, most=MAX_DAYS)
    name = canonical_symbol(symbol)
    files = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        folder = f"{name}/{day.year:04d}/{day.month - 1:02d}/{day.day:02d}"
        day_start = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
        if ticks:
            files += [
                DatafeedFile(f"{folder}/{hour:02d}h_ticks.bi5", day_start + 3600 * hour, 3600, day)
                for hour in range(24)
            ]
        else:
            files.append(DatafeedFile(f"{folder}/BID_candles_min_1.bi5", day_start, 86400, day))
    return files


def cache_dir() -> Path:
    """Where downloaded datafeed files are kept: ``$MAS_HOME/cache/dukascopy``."""
    return mas_home() / "cache" / "dukascopy"


def download_dukascopy(
    symbol: str,
    first_day: date,
    last_day: date,
    *,
    ticks: bool = False,
    base_url: str = DEFAULT_BASE_URL,
    workers: int = 8,
    retries: int = 4,
    backoff_seconds: float = 0.5,
    timeout: float = 30.0,
    digits: int | None = None,
    progress: ProgressCallback | None = None,
) -> DownloadReport:
    """Download M1 candles (or ticks) of ``symbol`` for the UTC days ``first_day``..``last_day``.

    Raises :class:`DownloadError` when a file cannot be fetched after every retry; the days
    completed before it are stored, and every fetched file is cached for the next attempt.
    """
    name = canonical_symbol(symbol)
    point_digits = check_digits(digits) if digits is not None else symbol_digits(name)
    if workers < 1:
        raise InputError("dl_workers_min", value=workers)
    files = plan_files(name, first_day, last_day, ticks=ticks)
    report = DownloadReport(symbol=name, ticks=ticks, first_day=first_day, last_day=last_day, files=len(files))
    record = TICK_RECORD if ticks else CANDLE_RECORD
    lock = threading.Lock()
    done = [0]

    def fetch(item: DatafeedFile) -> tuple[bytes, str]:
        payload, origin = _fetch_cached(item, base_url.rstrip("/"), record, retries, backoff_seconds, timeout)
        with lock:
            done[0] += 1
            if progress is not None:
                progress(done[0], len(files))
        return payload, origin

    days = _group_by_day(files)
    ahead = max(2, -(-4 * workers // len(days[0])))  # days fetched ahead of the one being stored
    bars: list[np.ndarray] = []
    pending: deque[list[tuple[DatafeedFile, Future]]] = deque()
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dukascopy")
    try:
        for index in range(len(days)):
            while len(pending) < ahead and index + len(pending) < len(days):
                pending.append([(item, executor.submit(fetch, item)) for item in days[index + len(pending)]])
            day_items = pending.popleft()
            parsed = [_parse(item, _result(future, item, base_url), point_digits, report) for item, future in day_items]
            day_bars = _store_day(name, parsed, point_digits, report)
            if day_bars.size:
                bars.append(day_bars)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        if bars:
            rates = np.concatenate(bars)
            report.bars_update = save_bars(name, "M1", rates, price_side="bid", has_spread=ticks)
    return report


def _store_day(symbol: str, parsed: list[ParsedBars | ParsedTicks], digits: int, report: DownloadReport) -> np.ndarray:
    """Store a day's ticks (if ticks); return the day's M1 bars (candles, or built from the ticks)."""
    if report.ticks:
        ticks = np.concatenate([p.ticks for p in parsed if isinstance(p, ParsedTicks)])
        if ticks.size == 0:
            return np.empty(0, dtype=RATES_DTYPE)
        report.tick_update = _add_tick_updates(report.tick_update, save_ticks(symbol, ticks))
        report.rows_stored += int(ticks.size)
        _extend_span(report, int(ticks["time_msc"][0]) // 1000, int(ticks["time_msc"][-1]) // 1000)
        return ticks_to_m1(ticks, digits)
    rates = np.concatenate([p.rates for p in parsed if isinstance(p, ParsedBars)])
    if rates.size:
        report.rows_stored += int(rates.size)
        _extend_span(report, int(rates["time"][0]), int(rates["time"][-1]))
    return rates


def _fetch_cached(
    item: DatafeedFile, base_url: str, record: np.dtype, retries: int, backoff: float, timeout: float
) -> tuple[bytes, str]:
    """The file's payload and where it came from ("cache", "network", "missing")."""
    cached = cache_dir() / item.relative_path
    if cached.is_file():
        return cached.read_bytes(), "cache"
    url = f"{base_url}/{item.relative_path}"
    body = fetch_with_retries(
        url,
        retries=retries,
        backoff_seconds=backoff,
        timeout=timeout,
        validate=lambda data: _check_payload(data, record, url),
    )
    payload = body or b""
    if item.start + item.seconds <= time.time() - RECENT_SECONDS:
        write_bytes_atomically(cached, payload)
    return payload, "network" if body is not None else "missing"


def _check_payload(data: bytes, record: np.dtype, url: str) -> None:
    """Raise ValueError (retried by the fetch) when ``data`` is not a whole .bi5 payload."""
    decode_records(data, record, url)


def _result(future: Future, item: DatafeedFile, base_url: str) -> tuple[bytes, str]:
    try:
        return future.result()
    except FetchError as error:
        raise DownloadError(Text("download_failed", path=item.relative_path, url=base_url, reason=error)) from error


def _parse(
    item: DatafeedFile, fetched: tuple[bytes, str], digits: int, report: DownloadReport
) -> ParsedBars | ParsedTicks:
    payload, origin = fetched
    if origin == "cache":
        report.from_cache += 1
    elif origin == "network":
        report.downloaded += 1
    if not payload:
        report.without_data += 1
    source = str(cache_dir() / item.relative_path)
    if report.ticks:
        parsed: ParsedBars | ParsedTicks = ticks_from_bi5(payload, item.start, digits, source)
    else:
        parsed = candles_from_bi5(payload, item.start, digits, source)
    for issue in parsed.issues:
        report.issue_counts[issue.description] = report.issue_counts.get(issue.description, 0) + issue.count
    return parsed


def _group_by_day(files: list[DatafeedFile]) -> list[list[DatafeedFile]]:
    groups: dict[date, list[DatafeedFile]] = {}
    for item in files:
        groups.setdefault(item.day, []).append(item)
    return list(groups.values())


def _add_tick_updates(total: TickStoreUpdate | None, update: TickStoreUpdate) -> TickStoreUpdate:
    if total is None:
        return update
    return TickStoreUpdate(
        days=total.days + update.days,
        days_written=total.days_written + update.days_written,
        added=total.added + update.added,
        replaced=total.replaced + update.replaced,
        total=total.total + update.total,
    )


def _extend_span(report: DownloadReport, first: int, last: int) -> None:
    first_time = datetime.fromtimestamp(first, tz=timezone.utc)
    last_time = datetime.fromtimestamp(last, tz=timezone.utc)
    report.first = first_time if report.first is None else min(report.first, first_time)
    report.last = last_time if report.last is None else max(report.last, last_time)
