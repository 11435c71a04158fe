"""The data page's work, in terms of the data room (what ``mas data list / check / import / download`` do):
what is stored (symbols, timeframes, ranges, gaps), the quality of one series, importing an uploaded file, removing
stored data (``mas data remove``), and downloads as background jobs with progress: from Dukascopy (files done of the
total) or from the terminal of a broker profile (log in with its stored password, copy the range, log out:
``mas data download --source mt5``). A running download can be cancelled: it stops between files, and what it had
stored before stays whole (the store writes every file atomically)."""

from __future__ import annotations

import logging
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mas.data.downloaders.dukascopy import DEFAULT_BASE_URL as DEFAULT_FEED
from mas.i18n.errors import InputError, NotFoundError, Text, text_of
from mas.web.language import said

__all__ = ["DEFAULT_FEED", "DownloadCancelled", "Downloads", "check", "import_upload", "remove", "stored",
           "upload_name"]

log = logging.getLogger("mas.web")
GAPS_SHOWN = 20
_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _day(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else None


def stored() -> list[dict[str, Any]]:
    """Every stored series (user store, bundled sample, ticks): symbol, timeframe, rows, first, last, gaps."""
    from mas.data.quality import find_gaps
    from mas.data.rates_file import read_rates_times
    from mas.data.store import BUNDLED, list_datasets
    from mas.data.tick_store import TICKS, list_tick_datasets

    out = []
    for info in list_datasets():
        gaps = len(find_gaps(read_rates_times(info.path), info.timeframe))
        out.append({"symbol": info.symbol, "timeframe": info.timeframe, "rows": info.bars, "first": _day(info.first),
                    "last": _day(info.last), "price_side": info.price_side, "spread": bool(info.has_spread),
                    "gaps": gaps, "source": "bundled" if info.source == BUNDLED else "user"})
    for tick in list_tick_datasets():
        out.append({"symbol": tick.symbol, "timeframe": TICKS, "rows": tick.ticks, "first": _day(tick.first),
                    "last": _day(tick.last), "price_side": "bid+ask", "spread": True,
                    "gaps": tick.missing_weekdays, "source": "user", "days": tick.days})
    return out


def check(symbol: str, timeframe: str | None, ticks: bool = False) -> list[dict[str, Any]]:
    """The quality of ``symbol``'s stored series (one timeframe, all, or its ticks): problems and gaps.
    MissingDataError (a LookupError naming what is stored) when there is none."""
    from mas.data.quality import check_stored
    from mas.data.store import canonical_symbol, list_datasets

    if not ticks:
        name = canonical_symbol(symbol)
        kept: dict[str, list[str]] = {}
        for info in list_datasets():
            kept.setdefault(info.symbol, []).append(info.timeframe)
        if name not in kept:
            listed = "; ".join(f"{s} ({', '.join(tfs)})" for s, tfs in sorted(kept.items())) or Text("web_data_nothing")
            raise NotFoundError("web_data_no_bars", name=name, listed=listed)
    out = []
    for report in check_stored(symbol, timeframe, ticks=ticks):
        out.append({"symbol": report.symbol, "timeframe": report.timeframe, "source": str(report.source),
                    "rows": report.rows, "first": _day(report.first), "last": _day(report.last),
                    "problems": [{"kind": p.kind, "description": said(p.description), "count": p.count,
                                  "first_times": [_day(t) for t in p.first_times]} for p in report.problems],
                    "gap_count": len(report.gaps),
                    "gaps": [{"start": _day(g.start), "end": _day(g.end), "missing_bars": g.missing_bars}
                             for g in report.gaps[:GAPS_SHOWN]]})
    return out


def remove(symbol: str, timeframe: str | None, ticks: bool) -> dict[str, Any]:
    """Delete ``symbol``'s stored bars of ``timeframe`` and/or its ticks from the user store, under the store's
    locks (``mas data remove``); what was deleted. The page names one row: ``timeframe`` or ``ticks`` is required
    (InputError otherwise); LookupError saying what is stored when that is not (the bundled sample is never
    removed)."""
    from mas.data.removal import remove_stored

    if timeframe is None and not ticks:
        raise InputError("web_data_remove_what", symbol=symbol)
    removal = remove_stored(symbol, timeframe, ticks=ticks)
    return {"symbol": removal.symbol, "timeframes": [path.stem.upper() for path in removal.bar_files],
            "tick_days": removal.tick_days}


def upload_name(name: str) -> str:
    """A safe file name for an upload (its extension kept: it tells the importer the format)."""
    cleaned = _NAME.sub("_", Path(name or "upload.csv").name).strip("._") or "upload.csv"
    return cleaned[-120:]


def import_upload(path: Path, symbol: str, timeframe: str | None, tz_offset: float | None,
                  file_format: str | None) -> dict[str, Any]:
    """Import the uploaded file at ``path`` as ``mas data import`` does; what was stored. ValueError (the
    importer's message naming the line) for a file that is not bars or ticks of a known format."""
    from mas.data.importers import import_file

    report = import_file(path, symbol, timeframe, tz_offset, file_format=file_format)
    return {"symbol": report.symbol, "timeframe": report.timeframe, "format": report.file_format,
            "rows_read": report.rows_read, "rows_stored": report.rows_stored, "first": _day(report.first),
            "last": _day(report.last), "bars_added": report.bars_added, "bars_replaced": report.bars_replaced,
            "bars_total": report.bars_total,
            "issues": [{"kind": i.kind, "description": said(i.description), "count": i.count,
                        "lines": list(i.lines[:5]), "stored": i.stored} for i in report.issues][:20]}


class DownloadCancelled(Exception):
    """Raised between two files of a download the user cancelled; what was stored before stays."""


class _Download:
    def __init__(self, ident: str, request: dict[str, Any]) -> None:
        self.id, self.request = ident, request
        self.state = "running"
        self.done, self.total = 0, 0
        self.report: dict[str, Any] | None = None
        self.error: str | None = None
        self.cancel = threading.Event()

    def check(self) -> None:
        """Raise DownloadCancelled once the download was cancelled."""
        if self.cancel.is_set():
            raise DownloadCancelled(self.id)

    def view(self) -> dict[str, Any]:
        return {"id": self.id, "request": self.request, "state": self.state, "done": self.done, "total": self.total,
                "report": self.report, "error": self.error}


class Downloads:
    """Dukascopy downloads of this process, run one or two at a time, with their progress (files done / total)."""

    def __init__(self, base_url: str = DEFAULT_FEED, workers: int = 1) -> None:
        self.base_url = base_url
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mas-web-download")
        self._items: dict[str, _Download] = {}
        self._lock = threading.Lock()

    def start(self, symbol: str, first: date, last: date, ticks: bool = False, *, profile: str | None = None,
              timeframe: str = "M1") -> str:
        """Queue a download of ``symbol`` for the UTC days ``first``..``last``: Dukascopy's M1 bars (or ticks), or
        with ``profile`` the bars of ``timeframe`` (or ticks) from that broker profile's terminal; its id."""
        if last < first:
            raise InputError("web_data_to_before_from", last=last, first=first)
        if profile is not None:
            from mas.live.profiles import get_profile

            get_profile(profile)  # ProfileError (a ValueError) naming the profiles there are
        ident = uuid.uuid4().hex
        item = _Download(ident, {"symbol": symbol.upper(), "from": str(first), "to": str(last), "ticks": ticks,
                                 "source": "profile" if profile else "dukascopy", "profile": profile,
                                 "timeframe": "TICKS" if ticks else ("M1" if profile is None else timeframe)})
        with self._lock:
            self._items[ident] = item
        if profile is None:
            self._pool.submit(self._run, item, symbol, first, last, ticks)
        else:
            self._pool.submit(self._run_profile, item, profile, symbol, first, last, ticks, timeframe)
        return ident

    def _run_profile(self, item: _Download, profile: str, symbol: str, first: date, last: date, ticks: bool,
                     timeframe: str) -> None:
        from mas.data.downloaders.terminal import download_from_terminal
        from mas.data.points import symbol_digits
        from mas.live.connect import LoginError, connect_terminal
        from mas.live.profiles import ProfileError, apply_profile

        item.total = 2
        try:
            item.check()
            params = apply_profile({"profile": profile})
            if not params.get("account"):
                raise InputError("web_data_profile_no_login", profile=profile)
            try:
                terminal = connect_terminal(params, int(params["account"]))
            except LoginError as exc:
                raise InputError("web_data_profile_login_failed", profile=profile, reason=text_of(exc)) from None
            item.done = 1
            try:
                item.check()  # cancelled while logging in: nothing copied
                report = download_from_terminal(terminal, symbol.upper(), first, last, timeframe=timeframe,
                                                ticks=ticks, digits=symbol_digits(symbol))
            finally:
                terminal.shutdown()
        except DownloadCancelled:
            item.state = "cancelled"
            return
        except (ProfileError, ValueError, LookupError, OSError) as exc:
            item.error, item.state = str(exc), "failed"
            return
        except Exception as exc:  # noqa: BLE001 - shown on the page
            log.warning("download failed", exc_info=True)
            item.error, item.state = f"{type(exc).__name__}: {exc}", "failed"
            return
        item.done = 2
        item.report = {"rows_stored": report.rows, "first": _day(report.first), "last": _day(report.last)}
        item.state = "done"

    def _run(self, item: _Download, symbol: str, first: date, last: date, ticks: bool) -> None:
        from mas.data.downloaders.dukascopy import download_dukascopy

        def progress(done: int, total: int) -> None:
            item.done, item.total = done, total
            item.check()  # cancelled: the download stops before its next file (days stored before stay whole)

        try:
            item.check()
            report = download_dukascopy(symbol, first, last, ticks=ticks, base_url=self.base_url, workers=4,
                                        progress=progress)
        except DownloadCancelled:
            item.state = "cancelled"
            return
        except (ValueError, LookupError, OSError) as exc:
            item.error, item.state = str(exc), "failed"
            return
        except Exception as exc:  # noqa: BLE001 - shown on the page
            log.warning("download failed", exc_info=True)
            item.error, item.state = f"{type(exc).__name__}: {exc}", "failed"
            return
        item.report = {"files": report.files, "downloaded": report.downloaded, "from_cache": report.from_cache,
                       "without_data": report.without_data, "rows_stored": report.rows_stored}
        item.state = "done"

    def view(self, ident: str) -> dict[str, Any]:
        """A download's state and progress; LookupError when unknown."""
        with self._lock:
            item = self._items.get(ident)
        if item is None:
            raise NotFoundError("web_data_no_download", ident=ident)
        return item.view()

    def cancel(self, ident: str) -> dict[str, Any]:
        """Cancel download ``ident``: it stops before its next file and ends "cancelled" (one that has ended
        already is left as it is); its view. LookupError when unknown."""
        with self._lock:
            item = self._items.get(ident)
        if item is None:
            raise NotFoundError("web_data_no_download", ident=ident)
        if item.state == "running":
            item.cancel.set()
        return item.view()

    def shutdown(self) -> None:
        """Stop taking downloads and cancel the ones under way (each stops before its next file)."""
        with self._lock:
            items = list(self._items.values())
        for item in items:
            item.cancel.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
