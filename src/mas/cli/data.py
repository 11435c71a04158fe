"""``mas data``: import, download, list and check historical bars and ticks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from mas.cli.lang import say
from mas.data.downloaders.dukascopy import DEFAULT_BASE_URL, DownloadReport, download_dukascopy
from mas.data.folders import BUNDLED_SOURCE
from mas.data.importers import FORMATS, ImportReport, import_file
from mas.data.quality import (
    DEFAULT_MIN_GAP_SECONDS,
    QualityReport,
    check_stored,
    find_gaps,
    remove_interrupted_writes,
)
from mas.data.rates_file import read_rates_times
from mas.data.store import BUNDLED, data_root, list_datasets
from mas.data.tick_store import TICKS, list_tick_datasets
from mas.i18n.errors import InputError, NotFoundError, Text

app = typer.Typer(
    help="Historical bars and ticks: import files, download from Dukascopy, list and check the store.",
    no_args_is_help=True,
)

_EXPECTED_ERRORS = (ValueError, LookupError, OSError)
_SOURCES = ("dukascopy", "mt5")
_GAPS_SHOWN = 10


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="A file of bars or ticks (MT5 export, HistData, Dukascopy .bi5, CSV)."),
    symbol: str = typer.Option(..., "--symbol", "-s", help="Symbol to store the data under, e.g. EURUSD."),
    timeframe: str = typer.Option(
        None, "--timeframe", "-t", help="Timeframe of a bar file: M1 ... MN1 (M1 files and tick files: optional)."
    ),
    file_format: str = typer.Option(
        None, "--format", "-f", help=f"{'|'.join(FORMATS)}; detected from the file when left out."
    ),
    tz_offset: float = typer.Option(
        None,
        "--tz-offset",
        help="The file's offset from UTC in hours, subtracted from its stamps (e.g. 2 for a GMT+2 broker). "
        "Default: 0, except HistData: -5 (fixed EST).",
    ),
    columns: str = typer.Option(
        None, "--columns", help="CSV column mapping, e.g. time=Date,open=Open,high=High,low=Low,close=Close."
    ),
    time_format: str = typer.Option(
        None, "--time-format", help="CSV time format, e.g. '%d.%m.%Y %H:%M:%S', or unix / unix_ms (default ISO)."
    ),
    delimiter: str = typer.Option(None, "--delimiter", help="CSV delimiter (default: sniffed from the first line)."),
    price_side: str = typer.Option("bid", "--price-side", help="CSV bars: bid or ask prices."),
    digits: int = typer.Option(None, "--digits", help="Price decimals (default: the symbol's, else 5)."),
    day: str = typer.Option(None, "--date", help="Dukascopy file outside its folder tree: its day, YYYY-MM-DD."),
    force: bool = typer.Option(
        False, "--force", help="Store bars even when their times are not on the --timeframe grid."
    ),
) -> None:
    """Import a file of bars or ticks into the store (idempotent; the later import wins)."""
    try:
        report = import_file(
            file,
            symbol,
            timeframe,
            tz_offset,
            file_format=file_format,
            columns=columns,
            time_format=time_format,
            delimiter=delimiter,
            digits=digits,
            day=_parse_day(day, "--date") if day else None,
            price_side=price_side,
            force=force,
        )
    except _EXPECTED_ERRORS as error:
        _fail(error)
    _print_import_report(report, Console(soft_wrap=True, highlight=False))


@app.command("download")
def download_command(
    symbol: str = typer.Argument(..., help="Symbol as the source names it, e.g. EURUSD."),
    source: str = typer.Option("dukascopy", "--source",
                               help="Where to download from: dukascopy, or mt5 (a terminal named by --profile)."),
    date_from: str = typer.Option(..., "--from", help="First day (UTC), YYYY-MM-DD."),
    date_to: str = typer.Option(..., "--to", help="Last day (UTC, whole day included), YYYY-MM-DD."),
    timeframe: str = typer.Option("M1", "--timeframe", "-t", help="Bars to download: M1 (the source's candles)."),
    ticks: bool = typer.Option(False, "--ticks", help="Download ticks (stored with the M1 bars built from them)."),
    base_url: str = typer.Option(DEFAULT_BASE_URL, "--base-url", help="Root of the datafeed tree."),
    workers: int = typer.Option(8, "--workers", help="Parallel downloads."),
    retries: int = typer.Option(4, "--retries", help="Retries per file, with exponential backoff."),
    digits: int = typer.Option(None, "--digits", help="Price decimals of the source (default: the symbol's)."),
    profile: str = typer.Option(None, "--profile",
                                help="--source mt5: the broker profile to log in with (mas broker add); the "
                                     "password comes from MAS_PASSWORD_<PROFILE> or the OS keyring."),
    tz_offset: float = typer.Option(0.0, "--tz-offset",
                                    help="--source mt5: the broker server's offset from UTC in hours."),
) -> None:
    """Download M1 bars or ticks into the store (cached, resumable; days without data are skipped)."""
    console = Console(soft_wrap=True, highlight=False)
    try:
        if source.lower() not in _SOURCES:
            raise InputError("source_unsupported", value=source, valid=", ".join(_SOURCES))
        if source.lower() == "mt5":
            _download_from_mt5(symbol, profile, _parse_day(date_from, "--from"), _parse_day(date_to, "--to"),
                               timeframe, ticks, tz_offset, digits, console)
            return
        if not ticks and timeframe.strip().upper() != "M1":
            raise InputError("dukascopy_m1_only", value=timeframe)
        first, last = _parse_day(date_from, "--from"), _parse_day(date_to, "--to")
        with Progress(
            TextColumn(f"{escape(symbol.upper())} {'ticks' if ticks else 'M1'}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task("download", total=None)
            report = download_dukascopy(
                symbol,
                first,
                last,
                ticks=ticks,
                base_url=base_url,
                workers=workers,
                retries=retries,
                digits=digits,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    except _EXPECTED_ERRORS as error:
        _fail(error)
    _print_download_report(report, console)


def _download_from_mt5(symbol: str, profile: str | None, first: date, last: date, timeframe: str, ticks: bool,
                       tz_offset: float, digits: int | None, console: Console) -> None:
    """Log in with a broker profile and copy the history from its terminal."""
    from mas.data.downloaders.terminal import download_from_terminal
    from mas.data.points import symbol_digits
    from mas.live.connect import LoginError, connect_terminal
    from mas.live.profiles import apply_profile

    if not profile:
        raise InputError("mt5_needs_profile")
    params = apply_profile({"profile": profile})
    if not params.get("account"):
        raise InputError("profile_no_login", profile=profile)
    try:
        terminal = connect_terminal(params, int(params["account"]))
    except LoginError as exc:
        raise InputError("mt5_login_failed", profile=profile, reason=exc) from None
    try:
        report = download_from_terminal(terminal, symbol.upper(), first, last, timeframe=timeframe, ticks=ticks,
                                        tz_offset_hours=tz_offset,
                                        digits=digits if digits is not None else symbol_digits(symbol))
    finally:
        terminal.shutdown()
    what = say("word_ticks") if ticks else report.timeframe
    if report.rows == 0:
        console.print(say("data_none_from_terminal", symbol=escape(symbol.upper()), what=what, first=first, last=last))
        return
    console.print(say("data_copied_from_terminal", symbol=escape(report.symbol), rows=report.rows, what=what,
                      first=report.first, last=report.last, path=escape(str(report.bars.path if report.bars else ""))))


@app.command("list")
def list_command(
    min_gap: float = typer.Option(
        DEFAULT_MIN_GAP_SECONDS / 60, "--min-gap", help="Shortest missing open-market time counted as a gap, minutes."
    ),
) -> None:
    """List the stored bars (user store and bundled sample) and ticks, with their gaps."""
    try:
        _check_min_gap(min_gap)
        datasets = list_datasets()
        tick_sets = list_tick_datasets()
        gaps = [len(find_gaps(read_rates_times(info.path), info.timeframe, round(min_gap * 60))) for info in datasets]
    except _EXPECTED_ERRORS as error:
        _fail(error)
    root = data_root()
    # fits 80 columns: dates never wrap, the source folds (Spr = spread column stored, Gaps at --min-gap)
    table = Table(title=say("data_list_title", root=escape(str(root))), box=box.SIMPLE_HEAD,
                  pad_edge=False, padding=(0, 1))
    headings = say("data_list_columns").split("|")
    for column, heading in zip(("Symbol", "TF", "Rows"), headings[:3], strict=True):
        table.add_column(heading, justify="right" if column == "Rows" else "left", no_wrap=True)
    for (column, width), heading in zip((("First", 10), ("Last", 10), ("Side", 4), ("Spr", 3), ("Gaps", 4),
                                         ("Source", 8)), headings[3:], strict=True):
        table.add_column(heading, overflow="fold", min_width=width, justify="right" if column == "Gaps" else "left")
    for info, gap_count in zip(datasets, gaps, strict=True):
        source = say("bundled_sample") if info.source == BUNDLED else _relative(info.path, root)
        table.add_row(
            info.symbol,
            info.timeframe,
            str(info.bars),
            _format(info.first),
            _format(info.last),
            info.price_side,
            say("word_yes") if info.has_spread else say("word_no"),
            str(gap_count),
            escape(source),
        )
    for tick_info in tick_sets:
        table.add_row(
            tick_info.symbol,
            TICKS,
            str(tick_info.ticks),
            _format(tick_info.first),
            _format(tick_info.last),
            "bid+ask",
            say("word_yes"),
            say("data_tick_days_missing", count=tick_info.missing_weekdays),
            escape(say("data_tick_source", path=_relative(tick_info.path, root), days=tick_info.days)),
        )
    Console().print(table)


@app.command("check")
def check_command(
    symbol: str = typer.Argument(..., help="Symbol to check, e.g. EURUSD."),
    timeframe: str = typer.Option(None, "--timeframe", "-t", help="Only this timeframe (default: every stored one)."),
    ticks: bool = typer.Option(False, "--ticks", help="Check the stored ticks instead of bars."),
    min_gap: float = typer.Option(
        DEFAULT_MIN_GAP_SECONDS / 60, "--min-gap", help="Shortest missing open-market time reported as a gap, minutes."
    ),
) -> None:
    """Report gaps, duplicate or unordered stamps, and zero or inverted candles in stored data.

    Also deletes the temp files that interrupted (killed) writes left in the symbol's folders."""
    console = Console(soft_wrap=True, highlight=False)
    try:
        _check_min_gap(min_gap)
        cleaned = remove_interrupted_writes(symbol)
        if cleaned:
            console.print(say("data_removed_temp", count=cleaned), markup=False)
        if not ticks:
            _check_bars_stored(symbol)
        reports = check_stored(symbol, timeframe, ticks=ticks, min_gap_seconds=round(min_gap * 60))
    except _EXPECTED_ERRORS as error:
        _fail(error)
    console.print(say("data_gaps_explained", minutes=min_gap), markup=False)
    for report in reports:
        _print_quality_report(report, console)


@app.command("remove")
def remove_command(
    symbol: str = typer.Argument(..., help="Symbol whose stored data to delete, e.g. EURUSD."),
    timeframe: str = typer.Option(None, "--timeframe", "-t", help="Only this timeframe's bars."),
    ticks: bool = typer.Option(False, "--ticks", help="The stored ticks (with --timeframe: both)."),
) -> None:
    """Delete stored bars and/or ticks of a symbol (everything of it when neither option is given)."""
    from mas.data.removal import remove_stored

    try:
        removal = remove_stored(symbol, timeframe, ticks=ticks)
    except _EXPECTED_ERRORS as error:
        _fail(error)
    console = Console(soft_wrap=True, highlight=False)
    for path in removal.bar_files:
        console.print(say("data_removed_bars", symbol=removal.symbol, timeframe=path.stem.upper(),
                          path=escape(str(path))))
    if removal.tick_days:
        console.print(say("data_removed_ticks", symbol=removal.symbol, days=removal.tick_days))


def _print_import_report(report: ImportReport, console: Console) -> None:
    console.print(say("data_imported", path=escape(str(report.path)), fmt=report.file_format, symbol=report.symbol,
                      timeframe=report.timeframe))
    console.print(say("data_rows_read", rows=report.rows_read))
    console.print(say("data_rows_stored", rows=report.rows_stored, first=_format(report.first),
                      last=_format(report.last)))
    if report.tick_update is not None:
        update = report.tick_update
        console.print(say("data_import_ticks", days=update.days, written=update.days_written, added=update.added,
                          replaced=update.replaced, total=update.total))
    label = say("label_m1_bars") if report.tick_update is not None else say("label_store")
    console.print(say("data_store_update", label=label, path=escape(str(report.store_path)), added=report.bars_added,
                      replaced=report.bars_replaced, total=report.bars_total))
    if not report.issues:
        console.print(say("data_issues_none"))
        return
    console.print(say("data_issues"))
    for issue in report.issues:
        lines = ", ".join(map(str, issue.lines)) + (", ..." if issue.count > len(issue.lines) else "")
        console.print(say("data_issue_line", count=issue.count, description=issue.description, lines=lines),
                      markup=False)


def _print_download_report(report: DownloadReport, console: Console) -> None:
    what = say("word_ticks") if report.ticks else say("word_m1_candles")
    console.print(say("data_downloaded", symbol=report.symbol, what=what, first=report.first_day,
                      last=report.last_day, files=report.files, fetched=report.downloaded, cached=report.from_cache,
                      empty=report.without_data))
    if report.rows_stored == 0:
        console.print(say("data_no_data_in_range"))
        return
    console.print(say("data_rows_stored", rows=report.rows_stored, first=_format(report.first),
                      last=_format(report.last)))
    if report.tick_update is not None:
        update = report.tick_update
        console.print(say("data_download_ticks", days=update.days, written=update.days_written))
    if report.bars_update is not None:
        update = report.bars_update
        console.print(say("data_store_update", label=say("label_m1_bars"), path=escape(str(update.path)),
                          added=update.added, replaced=update.replaced, total=update.total))
    for description, count in report.issue_counts.items():
        console.print(say("data_issue_count", count=count, description=description), markup=False)


def _print_quality_report(report: QualityReport, console: Console) -> None:
    source = say("bundled_sample") if report.source == BUNDLED_SOURCE else report.source
    console.print(say("data_check_head", symbol=report.symbol, timeframe=report.timeframe, source=escape(source),
                      rows=report.rows, first=_format(report.first), last=_format(report.last)))
    if not report.problems:
        console.print(say("data_check_clean_ticks" if report.timeframe == TICKS else "data_check_clean_bars"))
    for problem in report.problems:
        times = ", ".join(_format(moment) for moment in problem.first_times)
        more = ", ..." if problem.count > len(problem.first_times) else ""
        console.print(say("data_problem_line", count=problem.count, description=problem.description, times=times,
                          more=more), markup=False)
    if not report.gaps:
        console.print(say("data_gaps_none"))
        return
    hours = sum(gap.missing_open_seconds for gap in report.gaps) / 3600
    console.print(say("data_gaps_total", count=len(report.gaps), hours=hours))
    for gap in report.gaps[:_GAPS_SHOWN]:
        bars = say("data_gap_bars", bars=gap.missing_bars) if report.timeframe != TICKS else ""
        console.print(say("data_gap_line", start=_format(gap.start), end=_format(gap.end), bars=bars,
                          hours=gap.missing_open_seconds / 3600))
    if len(report.gaps) > _GAPS_SHOWN:
        console.print(say("data_gaps_more", count=len(report.gaps) - _GAPS_SHOWN))


def _check_min_gap(minutes: float) -> None:
    if not minutes > 0:
        raise InputError("min_gap_positive", value=minutes)


def _check_bars_stored(symbol: str) -> None:
    """LookupError naming what is stored (with a close match) when no bars of ``symbol`` are."""
    from mas.choices import suggest
    from mas.data.store import canonical_symbol

    name = canonical_symbol(symbol)
    stored: dict[str, list[str]] = {}
    for info in list_datasets():
        stored.setdefault(info.symbol, []).append(info.timeframe)
    if name in stored:
        return
    listed = "; ".join(f"{sym} ({', '.join(tfs)})" for sym, tfs in sorted(stored.items())) or Text("nothing_stored")
    raise NotFoundError("bars_not_stored", symbol=name, hint=suggest(name, sorted(stored)), stored=listed)


def _parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("day_invalid", option=option, value=text) from None


def _fail(error: Exception) -> None:
    from mas.cli.errors import error_head, error_text

    Console(stderr=True, soft_wrap=True, highlight=False).print(error_head() + escape(error_text(error)))
    raise typer.Exit(code=2)


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _format(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else "-"
