"""The bar store: Parquet files under ``$MAS_HOME/data``, loaded into numpy with an in-process cache.

Layout: ``$MAS_HOME/data/<SYMBOL>/<TF>.parquet``, one file per symbol and timeframe (see
:mod:`mas.data.rates_file` for the file format). The bundled sample (``mas/data/sample``) is
consulted after the user's store. Timeframes that are not stored are resampled on demand from a
lower stored timeframe that can build them.

Writes merge under the file's lock (:mod:`mas.data.locking`), so concurrent writers lose nothing;
every file is checked when loaded and every merge before it is written
(:mod:`mas.data.validation`): a damaged or impossible file raises
:class:`~mas.data.validation.CorruptDataError` naming the file and the command that repairs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from mas.data.folders import BUNDLED, BUNDLED_SOURCE, USER, canonical_symbol, data_root, symbol_dir, user_symbol_dir
from mas.data.folders import mas_home as mas_home  # re-exported: mas.data.store is the store's public face
from mas.data.locking import locked
from mas.data.missing import DatasetInfo, MissingDataError, download_command, epoch_seconds, utc_datetime
from mas.data.missing import format_range as format_range  # re-exported
from mas.data.rates_file import (
    RatesFile,
    read_price_flags,
    read_rates_file,
    read_rates_times,
    write_rates_file,
)
from mas.data.resample import can_resample, resample_rates
from mas.data.sample import sample_dir
from mas.data.timeframes import TIMEFRAMES, timeframe_name, timeframe_seconds
from mas.data.validation import CorruptDataError, candle_problem
from mas.i18n.errors import InputError
from mas.terminal.types import RATES_DTYPE


@dataclass(frozen=True, eq=False)
class BarSeries:
    """Bars of one symbol and timeframe, as a ``RATES_DTYPE`` array sorted by unique times.

    ``rates`` may be a read-only view of the in-process cache: copy it before changing it.
    """

    symbol: str
    timeframe: str
    rates: np.ndarray
    price_side: str
    has_spread: bool
    source: str

    def __len__(self) -> int:
        return int(self.rates.size)


@dataclass(frozen=True)
class StoreUpdate:
    """What :func:`save_bars` did to one file."""

    path: Path
    added: int
    replaced: int
    total: int
    written: bool


@dataclass(frozen=True)
class _Dataset:
    symbol: str
    timeframe: str
    path: Path
    origin: str  # USER or BUNDLED


CACHE_MAX_BARS = 2_000_000
"""Files of more bars than this are read again at each load instead of kept in the in-process cache: a
twenty-year M1 file (7.5 M bars, 450 MB) kept there would stay beside the replay's own copy of its bars
(a backtest with its own spread copies them), doubling the memory of the run. What is resampled from
them (their H1, D1, ...) is still kept."""

_CacheKey = tuple[int, int, int]
_file_cache: dict[Path, tuple[_CacheKey, RatesFile]] = {}
_resample_cache: dict[tuple[Path, str], tuple[_CacheKey, RatesFile]] = {}


def clear_cache() -> None:
    """Forget every cached file and resampled series."""
    _file_cache.clear()
    _resample_cache.clear()


def load_bars(
    symbol: str, timeframe: str | int, start: datetime | None = None, end: datetime | None = None
) -> BarSeries:
    """Bars of ``symbol`` whose open time is in ``[start, end]`` (inclusive; naive times are UTC).

    ``timeframe`` is a name ("H1", "h1") or an MT5 ``TIMEFRAME_*`` value. The symbol is matched
    case-insensitively. Candidates, in order: the user's file for the
    timeframe, the user's lower timeframes that can build it (closest first), then the same in the
    bundled sample; the first candidate with at least one bar in the range is returned. Raises
    :class:`MissingDataError` when none has.
    """
    name = canonical_symbol(symbol)
    tf = timeframe_name(timeframe)
    first = epoch_seconds(start, round_up=True) if start is not None else None
    last = epoch_seconds(end, round_up=False) if end is not None else None
    if first is not None and last is not None and first > last:
        raise InputError("store_start_after_end", start=start, end=end)

    ticks_tried = False
    for dataset in _candidates(name, tf):
        if dataset.origin == BUNDLED and not ticks_tried:  # the user's ticks come before the bundled sample
            ticks_tried = True
            built = _bars_from_ticks(name, tf, start, end)
            if built is not None:
                return built
        content = _load_dataset(dataset, tf)
        times = content.rates["time"]
        lo = 0 if first is None else int(np.searchsorted(times, first, side="left"))
        hi = times.size if last is None else int(np.searchsorted(times, last, side="right"))
        if hi > lo:
            return BarSeries(
                symbol=dataset.symbol,
                timeframe=tf,
                rates=content.rates[lo:hi],
                price_side=content.price_side,
                has_spread=content.has_spread,
                source=_describe_source(dataset, tf),
            )
    built = None if ticks_tried else _bars_from_ticks(name, tf, start, end)
    if built is not None:
        return built
    plain = _without_broker_suffix(name)
    if plain != name:  # EURUSD.m with no bars of its own: the stored EURUSD (a broker's name for the same market)
        try:
            return load_bars(plain, tf, start, end)
        except MissingDataError:
            pass
    raise MissingDataError(name, tf, start, end, list_datasets(name))


def _without_broker_suffix(name: str) -> str:
    """``name`` without a broker suffix of the symbols file (unchanged when the file cannot be read)."""
    from mas.data.symbol_file import base_symbol

    try:
        return canonical_symbol(base_symbol(name))
    except (OSError, ValueError):
        return name


def _bars_from_ticks(name: str, tf: str, start: datetime | None, end: datetime | None) -> BarSeries | None:
    """Bars built on demand from the user's stored ticks (M1 from ticks, then resampled), or None
    when no ticks cover the range. Used when no stored bars cover it."""
    from mas.data.points import symbol_digits
    from mas.data.resample import resample_rates, ticks_to_m1
    from mas.data.tick_store import MissingTicksError, load_ticks

    try:
        ticks = load_ticks(name, start, end)
    except MissingTicksError:
        return None
    rates = ticks_to_m1(ticks, symbol_digits(name))
    if tf != "M1":
        rates = resample_rates(rates, tf)
    if rates.size == 0:
        return None
    rates.setflags(write=False)
    return BarSeries(symbol=name, timeframe=tf, rates=rates, price_side="bid", has_spread=True,
                     source=f"ticks ({tf} built on demand from stored ticks)")


def list_datasets(symbol: str | None = None) -> list[DatasetInfo]:
    """Every stored file (user store, then bundled sample), optionally for one symbol only."""
    name = canonical_symbol(symbol) if symbol is not None else None
    infos = []
    for dataset in _user_datasets(name) + _bundled_datasets(name):
        try:
            times = read_rates_times(dataset.path)
            price_side, has_spread = read_price_flags(dataset.path)
        except CorruptDataError as exc:
            raise exc.with_remedy(_repair_hint_of(dataset)) from None
        infos.append(
            DatasetInfo(
                symbol=dataset.symbol,
                timeframe=dataset.timeframe,
                first=utc_datetime(times[0]) if times.size else None,
                last=utc_datetime(times[-1]) if times.size else None,
                bars=int(times.size),
                price_side=price_side,
                has_spread=has_spread,
                source=dataset.origin,
                path=dataset.path,
            )
        )
    return infos


def dataset_path(symbol: str, timeframe: str) -> Path:
    """The user-store file for ``symbol`` and ``timeframe`` (it may not exist yet)."""
    return symbol_dir(symbol) / f"{timeframe_name(timeframe)}.parquet"


def save_bars(
    symbol: str, timeframe: str, rates: np.ndarray, *, price_side: str, has_spread: bool
) -> StoreUpdate:
    """Merge ``rates`` into the user's store file for ``symbol`` and ``timeframe``, atomically and
    under the file's lock (concurrent savers take turns; none loses rows).

    On equal times the new rows win (and, within ``rates``, the later row). Saving rows that are
    already stored changes nothing and does not rewrite the file. The merged file keeps
    ``has_spread`` only when both old and new rows have real spreads; mixing bid and ask prices in
    one file is refused, and so are rows (or a merge) that fail :mod:`mas.data.validation`.
    """
    name = canonical_symbol(symbol)
    tf = timeframe_name(timeframe)
    new = merge_rates(np.empty(0, dtype=RATES_DTYPE), np.asarray(rates, dtype=RATES_DTYPE))
    problem = candle_problem(new)
    if problem is not None:
        raise InputError("store_refused", symbol=name, timeframe=tf, problem=problem)
    path = dataset_path(name, tf)
    with locked(path):
        return _merge_into(path, name, tf, new, price_side, has_spread)


def _merge_into(path: Path, name: str, tf: str, new: np.ndarray, price_side: str, has_spread: bool) -> StoreUpdate:
    """The read-merge-write of :func:`save_bars`; the caller holds the file's lock."""
    if not path.exists():
        if new.size == 0:
            return StoreUpdate(path=path, added=0, replaced=0, total=0, written=False)
        write_rates_file(path, new, price_side=price_side, has_spread=has_spread, symbol=name, timeframe=tf)
        return StoreUpdate(path=path, added=int(new.size), replaced=0, total=int(new.size), written=True)

    try:
        old = read_rates_file(path)
    except CorruptDataError as exc:
        raise exc.with_remedy(repair_hint(name, tf)) from None
    if old.price_side != price_side:
        raise InputError(
            "store_price_side_clash", path=path, held=old.price_side, given=price_side
        )
    merged = merge_rates(old.rates, new)
    keep_spread = old.has_spread and has_spread
    common = np.isin(new["time"], old.rates["time"])
    replaced_rows = new[common] != old.rates[np.isin(old.rates["time"], new["time"])]
    update = StoreUpdate(
        path=path,
        added=int(np.count_nonzero(~common)),
        replaced=int(np.count_nonzero(replaced_rows)),
        total=int(merged.size),
        written=False,
    )
    if keep_spread == old.has_spread and np.array_equal(merged, old.rates):
        return update
    problem = candle_problem(merged)
    if problem is not None:
        raise InputError("store_merge_refused", symbol=name, timeframe=tf, path=path, problem=problem)
    write_rates_file(path, merged, price_side=price_side, has_spread=keep_spread, symbol=name, timeframe=tf)
    return StoreUpdate(update.path, update.added, update.replaced, update.total, written=True)


def merge_rates(existing: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``existing`` and ``new`` rows sorted by time with unique times; the later row wins on ties."""
    combined = np.concatenate([existing, new])
    if np.all(combined["time"][1:] > combined["time"][:-1]):
        return combined
    combined = combined[np.argsort(combined["time"], kind="stable")]
    keep = np.ones(combined.size, dtype=bool)
    keep[:-1] = combined["time"][1:] != combined["time"][:-1]
    return combined[keep]


def repair_hint(symbol: str, timeframe: str) -> str:
    """How to repair a damaged user-store file of ``symbol`` and ``timeframe``."""
    return (
        f"remove it with 'mas data remove {symbol} --timeframe {timeframe}', then import or download the bars "
        f"again ('mas data import FILE --symbol {symbol} --timeframe {timeframe}', or M1 bars, which build every "
        f"timeframe: '{download_command(symbol, None, None, ticks=False)}')"
    )


BUNDLED_REPAIR_HINT = "the bundled sample is damaged: reinstall mas-sdk (pip install --force-reinstall mas-sdk)"


def repair_hint_for(path: Path) -> str:
    """How to repair the bar file at ``path`` (a user-store file or the bundled sample)."""
    if path.parent == sample_dir():
        return BUNDLED_REPAIR_HINT
    return repair_hint(path.parent.name.upper(), path.stem.upper())


def _repair_hint_of(dataset: _Dataset) -> str:
    return BUNDLED_REPAIR_HINT if dataset.origin == BUNDLED else repair_hint(dataset.symbol, dataset.timeframe)


def remove_bars(symbol: str, timeframe: str | None = None) -> list[Path]:
    """Delete the user's stored bars of ``symbol`` (one timeframe, or every one), each under its
    file's lock; returns the files removed (none when nothing was stored)."""
    name = canonical_symbol(symbol)
    tf = timeframe_name(timeframe) if timeframe is not None else None
    removed = []
    for dataset in _user_datasets(name):
        if tf is not None and dataset.timeframe != tf:
            continue
        with locked(dataset.path):
            if dataset.path.exists():
                dataset.path.unlink()
                removed.append(dataset.path)
        _file_cache.pop(dataset.path, None)
        for key in [key for key in _resample_cache if key[0] == dataset.path]:
            del _resample_cache[key]
    return removed


def _candidates(symbol: str, timeframe: str) -> list[_Dataset]:
    ordered = []
    for datasets in (_user_datasets(symbol), _bundled_datasets(symbol)):
        ordered += [d for d in datasets if d.timeframe == timeframe]
        builders = [d for d in datasets if can_resample(d.timeframe, timeframe)]
        ordered += sorted(builders, key=lambda d: timeframe_seconds(d.timeframe), reverse=True)
    return ordered


def _user_datasets(symbol: str | None) -> list[_Dataset]:
    root = data_root()
    if symbol is not None:
        folder = user_symbol_dir(symbol)
        folders = [folder] if folder else []
    else:
        folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    datasets = []
    for folder in folders:
        for path in folder.glob("*.parquet"):
            tf = path.stem.upper()
            if tf in TIMEFRAMES:
                datasets.append(_Dataset(folder.name.upper(), tf, path, USER))
    return sorted(datasets, key=_sort_key)


def _bundled_datasets(symbol: str | None) -> list[_Dataset]:
    datasets = []
    for path in sample_dir().glob("*.parquet"):
        name, _, tf = path.stem.rpartition("_")
        if tf in TIMEFRAMES and name and (symbol is None or name.upper() == symbol):
            datasets.append(_Dataset(name.upper(), tf, path, BUNDLED))
    return sorted(datasets, key=_sort_key)


def _sort_key(dataset: _Dataset) -> tuple[str, int]:
    return dataset.symbol, timeframe_seconds(dataset.timeframe)


def _load_dataset(dataset: _Dataset, timeframe: str) -> RatesFile:
    """The dataset's bars in ``timeframe`` (resampled when needed), from the cache when fresh."""
    stat = dataset.path.stat()
    key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    resampled = _resample_cache.get((dataset.path, timeframe))
    if dataset.timeframe != timeframe and resampled is not None and resampled[0] == key:
        return resampled[1]
    cached = _file_cache.get(dataset.path)
    if cached is None or cached[0] != key:
        try:
            content = read_rates_file(dataset.path)
        except CorruptDataError as exc:
            raise exc.with_remedy(_repair_hint_of(dataset)) from None
        content.rates.flags.writeable = False
        cached = (key, content)
        _file_cache.pop(dataset.path, None)
        if content.rates.size <= CACHE_MAX_BARS:
            _file_cache[dataset.path] = cached
    content = cached[1]
    if dataset.timeframe == timeframe:
        return content

    if resampled is None or resampled[0] != key:
        rates = resample_rates(content.rates, timeframe)
        rates.flags.writeable = False
        resampled = (key, RatesFile(rates, content.price_side, content.has_spread))
        _resample_cache[(dataset.path, timeframe)] = resampled
    return resampled[1]


def _describe_source(dataset: _Dataset, timeframe: str) -> str:
    source = BUNDLED_SOURCE if dataset.origin == BUNDLED else str(dataset.path)
    if dataset.timeframe != timeframe:
        source += f" (resampled from {dataset.timeframe})"
    return source


