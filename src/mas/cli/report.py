"""``mas report``: render the KPI report and the trade chart again from a result saved by ``mas backtest --json``."""

from __future__ import annotations

from pathlib import Path

import typer

from mas.cli.backtest import console, print_summary
from mas.cli.errors import fail
from mas.cli.lang import say
from mas.i18n import current_lang, localize

__all__ = ["report"]


def report(
    result_json: Path = typer.Argument(..., help="A result saved by 'mas backtest --json'."),
    report_dir: Path = typer.Option(None, "--report-dir",
                                    help="Where the HTML reports go (default: $MAS_REPORT_DIR, else ./mas_reports)."),
    self_contained: bool = typer.Option(False, "--self-contained", help="Each page with plotly.js inside it "
                                        "(about 4.8 MB more each) instead of the folder's shared copy."),
) -> None:
    """Render the KPI report and the trade chart again from a saved result."""
    from mas.app.documents import load_result, saved_result_reports
    from mas.reports.metrics import compute_metrics

    try:
        result, notes = load_result(result_json)
        for note in notes:
            head = say("out_note_head")
            console.print(f"[yellow]{head.strip()}[/yellow]{' ' if head.endswith(' ') else ''}"
                          f"{localize(note, current_lang())}", highlight=False)
        print_summary(result, compute_metrics(result), result.settings.get("strategy_file"))
        for path in saved_result_reports(result, report_dir, result_json.stem, self_contained):
            console.print(say("out_report", path=path), highlight=False)
    except (ValueError, OSError) as exc:
        fail(exc)
