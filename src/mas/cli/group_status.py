"""``mas broker group status NAME``: every member's account and the group's sums, read live (nothing is sent)."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.cells import cell_len

from mas.i18n import current_lang, localize, message

__all__ = ["dry_run_lines", "group_status", "status_lines"]


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
        for line in status_lines(report, current_lang()):
            typer.echo(line)
    if report.problems:
        raise typer.Exit(1)


def _cells(values: list[str], widths: list[int], left: int = 1) -> str:
    """``values`` in columns of ``widths`` terminal cells (a Chinese character takes two), the first ``left``
    ones left-aligned, the others right-aligned, two spaces apart."""
    out = []
    for i, (value, width) in enumerate(zip(values, widths, strict=True)):
        pad = " " * max(0, width - cell_len(value))
        out.append(value + pad if i < left else pad + value)
    return "  ".join(out)


def status_lines(report: Any, lang: str) -> list[str]:
    """The group report (:class:`mas.groups.report.GroupReport`) as the command prints it: one row per member,
    the totals, the exposure per symbol, the members not read; the headings in ``lang`` (English: the report's
    own lines)."""
    if lang == "en":
        return report.lines()
    say = lambda key, **values: message(lang, key, **values)  # noqa: E731
    headings = say("grp_status_columns").split("|")  # account login balance ... pos ord day
    widths = [max([cell_len(a.profile) for a in report.accounts] + [cell_len(headings[0])]),
              *(max(cell_len(h), w) for h, w in zip(headings[1:10], (9, 12, 12, 10, 12, 10, 10, 3, 3), strict=True))]
    out = [say("grp_status_head", name=report.group), _cells(headings[:10], widths) + "  " + headings[10]]
    money = ("balance", "equity", "margin", "margin_free", "profit", "realised_today")
    for a in report.accounts:
        values = [a.profile, str(a.account), *(f"{getattr(a, k):.2f}" for k in money), str(a.positions),
                  str(a.pending_orders)]
        out.append(f"{_cells(values, widths)}  {a.day} {a.currency}")
    t = report.totals
    values = [say("grp_total"), "", *(f"{t[k]:.2f}" for k in money), str(t["positions"]), str(t["pending_orders"])]
    out.append(f"{_cells(values, widths)}  {t['currency']}")
    if report.exposure:
        out.append(say("grp_status_exposure_head"))
        for e in report.exposure:
            out.append("  " + say("grp_status_exposure", symbol=f"{e.symbol:<12}", long=f"{e.long_lots:g}",
                                  short=f"{e.short_lots:g}", net=f"{e.net_lots:g}", value=f"{e.value:.2f}"))
        width = widths[0]
        for a in report.accounts:
            for e in a.exposure:
                name = a.profile + " " * max(0, width - cell_len(a.profile))
                out.append("  " + say("grp_status_account_exposure", name=name, symbol=f"{e.symbol:<12}",
                                      net=f"{e.net_lots:g}", value=f"{e.value:.2f}"))
    for name, why in report.problems.items():
        out.append(say("grp_status_not_read", name=name, reason=localize(why, lang)))
    return out


def dry_run_lines(run: Any, lang: str) -> list[str]:
    """``mas broker group allocate``'s dry run (:class:`mas.groups.accounts.DryRun`) as printed: the request, each
    member's money and volume limits (``name=value``), the split; the words in ``lang`` (English: the run's own
    lines; the split's notes as the allocation wrote them)."""
    if lang == "en":
        return run.lines()
    group, split = run.group, run.split
    out = [message(lang, "grp_dry_run_head", name=group.name, symbol=run.symbol, volume=f"{split.requested:g}",
                   allocation=group.allocation, rule=group.min_lot_rule)]
    out += [f"  {s.name}: balance={s.balance:g} equity={s.equity:g} free_margin={s.free_margin:g} "
            f"step={s.volume_step:g} min={s.volume_min:g} max={s.volume_max:g} tick_value={s.tick_value:g}"
            for s in run.snapshots]
    headings = message(lang, "grp_split_columns").split("|")  # account target volume note
    total = message(lang, "grp_total")
    widths = [max([cell_len(s.name) for s in split.shares] + [7, cell_len(headings[0]), cell_len(total)]),
              max(12, cell_len(headings[1])), max(10, cell_len(headings[2]))]
    out.append(_cells(headings[:3], widths) + "  " + headings[3])
    for s in split.shares:
        out.append(f"{_cells([s.name, f'{s.target:.6f}', f'{s.volume:g}'], widths)}  {localize(s.note, lang)}".rstrip())
    out.append(f"{_cells([total, f'{split.requested:g}', f'{split.total:g}'], widths)}  method={split.method}")
    return out
