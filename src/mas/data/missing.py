"""Requests the stores cannot serve, in words: :class:`MissingDataError` (what is stored, and the commands that
fetch what is missing), the time range and download command texts, and epoch-second conversions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mas.data.folders import BUNDLED, data_root
from mas.data.resample import can_resample
from mas.data.timeframes import TIMEFRAMES
from mas.i18n.errors import Text


@dataclass(frozen=True)
class DatasetInfo:
    """One stored file of bars, as ``mas data list`` shows it."""

    symbol: str
    timeframe: str
    first: datetime | None
    last: datetime | None
    bars: int
    price_side: str
    has_spread: bool
    source: str  # USER or BUNDLED
    path: Path


class MissingDataError(LookupError):
    """No stored (or resamplable) bars cover a request; the message says what exists and what to do."""

    def __init__(
        self,
        symbol: str,
        timeframe: str,
        start: datetime | None,
        end: datetime | None,
        stored: list[DatasetInfo] | None = None,
    ) -> None:
        self.symbol = symbol
        self.timeframe = timeframe
        self.start = start
        self.end = end
        self.stored = list(stored or [])
        super().__init__(_missing_data_message(symbol, timeframe, start, end, self.stored))

    def __reduce__(self):
        return type(self), (self.symbol, self.timeframe, self.start, self.end, self.stored)


def epoch_seconds(moment: datetime, *, round_up: bool) -> int:
    """``moment`` (naive = UTC) in whole seconds since the epoch, rounded up or down."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    seconds = moment.timestamp()
    return math.ceil(seconds) if round_up else math.floor(seconds)


def utc_datetime(epoch_seconds: int) -> datetime:
    """Whole seconds since the epoch as an aware UTC datetime."""
    return datetime.fromtimestamp(int(epoch_seconds), tz=timezone.utc)


def _format_time(epoch_seconds: int) -> str:
    return utc_datetime(epoch_seconds).strftime("%Y-%m-%d %H:%M")


def _format_moment(moment: datetime) -> str:
    return _format_time(epoch_seconds(moment, round_up=False))


def _missing_data_message(
    symbol: str, timeframe: str, start: datetime | None, end: datetime | None, stored: list[DatasetInfo]
) -> Text:
    lines = [Text("missing_head", symbol=symbol, timeframe=timeframe, span=format_range(start, end))]

    if stored:
        lines.append(Text("missing_stored_for", symbol=symbol))
        for info in stored:
            span = (f"{info.first:%Y-%m-%d %H:%M} .. {info.last:%Y-%m-%d %H:%M} UTC" if info.bars
                    else Text("missing_empty"))
            origin = Text("bundled_sample") if info.source == BUNDLED else str(info.path)
            lines.append(Text("missing_stored_row", timeframe=info.timeframe, span=span, bars=info.bars, origin=origin))
    else:
        lines.append(Text("missing_nothing", symbol=symbol, folder=data_root()))

    builders = [tf for tf in TIMEFRAMES if can_resample(tf, timeframe)]
    if builders:
        lines.append(Text("missing_resample", timeframe=timeframe, sources=", ".join(builders)))
    lines.append(Text(
        "missing_howto",
        import_command=f"mas data import FILE --symbol {symbol} --timeframe {timeframe}",
        download_command=download_command(symbol, start, end, ticks=False),
        terminal_command=f"mas data download {symbol} --source mt5 --profile NAME --timeframe {timeframe}"
                         f" --from {_format_day(start) if start is not None else 'YYYY-MM-DD'}"
                         f" --to {_format_day(end) if end is not None else 'YYYY-MM-DD'}",
    ))
    return Text.lines(lines)


def download_command(symbol: str, start: datetime | None, end: datetime | None, *, ticks: bool) -> str:
    """The ``mas data download`` command that fetches ``symbol``'s M1 bars or ticks for a range."""
    first = _format_day(start) if start is not None else "YYYY-MM-DD"
    last = _format_day(end) if end is not None else "YYYY-MM-DD"
    what = "--ticks" if ticks else "--timeframe M1"
    return f"mas data download {symbol} --source dukascopy --from {first} --to {last} {what}"


def format_range(start: datetime | None, end: datetime | None) -> Text:
    """A requested time range in words, e.g. "between 2024-01-02 00:00 and 2024-01-03 00:00 UTC" (a
    translatable text)."""
    if start is None and end is None:
        return Text("range_all")
    if end is None:
        return Text("range_from", start=_format_moment(start))
    if start is None:
        return Text("range_to", end=_format_moment(end))
    return Text("range_between", start=_format_moment(start), end=_format_moment(end))


def _format_day(moment: datetime) -> str:
    return utc_datetime(epoch_seconds(moment, round_up=False)).strftime("%Y-%m-%d")
