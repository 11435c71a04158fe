"""``mas broker group status NAME``: every member's account and the group's sums, read live (nothing is sent)."""

from __future__ import annotations

import json

import typer

__all__ = ["group_status"]


def group_status(
    name: str = typer.Argument(..., help="Group name."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON (what get_group_summary returns)."),
) -> None:
    """Log in to each member and print balance, equity, margin, free margin, floating and today's realised P&L,
    positions, pending orders and the exposure per symbol, per account and summed. Sends nothing."""
    from mas.app.live import group_status as read_status
    from mas.cli.errors import error_text
    from mas.groups.store import GroupError

    try:
        report = read_status(name)
    except GroupError as exc:
        typer.echo(f"mas broker group status: {error_text(exc)}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for line in report.lines():
            typer.echo(line)
    if report.problems:
        raise typer.Exit(1)
