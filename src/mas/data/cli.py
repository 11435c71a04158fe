"""``mas data``: import bar files into the store and list what is stored."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mas.data.importers import ImportReport, import_file
from mas.data.store import BUNDLED, data_root, list_datasets

app = typer.Typer(
    help="Historical bars: import MetaTrader 5 exports into the local store and list what is stored.",
    no_args_is_help=True,
)

_EXPECTED_ERRORS = (ValueError, LookupError, OSError)


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="An MT5 history export (Symbols > Bars > Export Bars)."),
    symbol: str = typer.Option(..., "--symbol", "-s", help="Symbol to store the bars under, e.g. EURUSD."),
    timeframe: str = typer.Option(..., "--timeframe", "-t", help="Timeframe of the export: M1 ... MN1."),
    tz_offset: float = typer.Option(
        0.0, "--tz-offset", help="Broker server time offset from UTC in hours (e.g. 2 for GMT+2)."
    ),
) -> None:
    """Import an MT5 history export (tab-separated CSV) into the store."""
    try:
        report = import_file(file, symbol, timeframe, tz_offset_hours=tz_offset)
    except _EXPECTED_ERRORS as error:
        _fail(error)
    _print_report(report, Console(soft_wrap=True, highlight=False))


@app.command("list")
def list_command() -> None:
    """List the stored bar files: the user's store and the bundled sample."""
    try:
        datasets = list_datasets()
    except _EXPECTED_ERRORS as error:
        _fail(error)
    console = Console()
    root = data_root()
    table = Table(title=f"Stored bars (times in UTC; user store: {escape(str(root))})", box=box.SIMPLE_HEAD)
    for column in ("Symbol", "TF", "Bars"):
        table.add_column(column, justify="right" if column == "Bars" else "left", no_wrap=True)
    for column in ("First", "Last", "Side", "Spread", "Source"):
        table.add_column(column, overflow="fold")
    for info in datasets:
        source = "bundled sample" if info.source == BUNDLED else _relative(info.path, root)
        table.add_row(
            info.symbol,
            info.timeframe,
            str(info.bars),
            _format(info.first),
            _format(info.last),
            info.price_side,
            "yes" if info.has_spread else "no",
            escape(source),
        )
    console.print(table)


def _print_report(report: ImportReport, console: Console) -> None:
    console.print(f"Imported [bold]{escape(str(report.path))}[/bold] as {report.symbol} {report.timeframe}")
    console.print(f"  rows read:    {report.rows_read}")
    console.print(
        f"  rows stored:  {report.rows_stored}  ({_format(report.first)} .. {_format(report.last)} UTC)"
    )
    console.print(
        f"  store:        {escape(str(report.store_path))}: {report.bars_added} new, "
        f"{report.bars_replaced} changed, {report.bars_total} bars in total"
    )
    if not report.issues:
        console.print("  issues:       none")
        return
    console.print("  issues:")
    for issue in report.issues:
        lines = ", ".join(map(str, issue.lines)) + (", ..." if issue.count > len(issue.lines) else "")
        console.print(f"    {issue.count} {issue.description}; line(s) {lines}", markup=False)


def _fail(error: Exception) -> None:
    Console(stderr=True, soft_wrap=True, highlight=False).print(f"[red]error:[/red] {escape(str(error))}")
    raise typer.Exit(code=2)


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _format(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else "-"
