"""``mas data``: import bar files into the store and list what is stored."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
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
    _print_report(report, Console())


@app.command("list")
def list_command() -> None:
    """List the stored bar files: the user's store and the bundled sample."""
    try:
        datasets = list_datasets()
    except _EXPECTED_ERRORS as error:
        _fail(error)
    console = Console()
    table = Table(title=f"Stored bars ({data_root()} and the bundled sample)")
    for column in ("Symbol", "TF", "First (UTC)", "Last (UTC)", "Bars", "Prices", "Spread", "Source"):
        table.add_column(column, justify="right" if column == "Bars" else "left")
    for info in datasets:
        table.add_row(
            info.symbol,
            info.timeframe,
            _format(info.first),
            _format(info.last),
            str(info.bars),
            info.price_side,
            "yes" if info.has_spread else "no",
            "bundled sample" if info.source == BUNDLED else str(info.path),
        )
    console.print(table)


def _print_report(report: ImportReport, console: Console) -> None:
    console.print(f"Imported [bold]{report.path}[/bold] as {report.symbol} {report.timeframe}")
    console.print(f"  rows read:    {report.rows_read}")
    console.print(
        f"  rows stored:  {report.rows_stored}  ({_format(report.first)} .. {_format(report.last)} UTC)"
    )
    console.print(
        f"  store:        {report.store_path}: {report.bars_added} new, {report.bars_replaced} changed, "
        f"{report.bars_total} bars in total"
    )
    if not report.issues:
        console.print("  issues:       none")
        return
    console.print("  issues:")
    for issue in report.issues:
        lines = ", ".join(map(str, issue.lines)) + (", ..." if issue.count > len(issue.lines) else "")
        console.print(f"    {issue.count} {issue.description}; line(s) {lines}", highlight=False)


def _fail(error: Exception) -> None:
    Console(stderr=True).print(f"[red]error:[/red] {error}", highlight=False)
    raise typer.Exit(code=2)


def _format(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else "-"
