"""``mas copy``: the trade copier (:mod:`mas.live.copier`): ``start`` mirrors a master profile's deals on follower
profiles until Ctrl-C; ``status`` shows what each copier has copied."""

from __future__ import annotations

import json
import threading

import typer

from mas.cli.errors import error_text
from mas.cli.lang import say

__all__ = ["copy_app"]

copy_app = typer.Typer(help="Trade copier: mirror a master account's deals on follower accounts.",
                       no_args_is_help=True, add_completion=False)


@copy_app.command("start")
def start(
    master: str = typer.Option(..., help="Broker profile whose deals are copied (mas broker add)."),
    followers: str = typer.Option(..., help="Follower profiles, comma-separated; each may add :MULTIPLIER and/or "
                                            ":reverse, e.g. 'alice,bob:0.5,carol:2:reverse'."),
    multiplier: float = typer.Option(1.0, help="Follower lots per master lot (a follower's :MULTIPLIER wins)."),
    sizing: str = typer.Option("multiplier", help="multiplier (master lots x multiplier), fixed (--fixed-lots each "
                                                  "copy) or equity (x follower equity / master equity x multiplier)."),
    fixed_lots: float = typer.Option(0.0, help="Lots of every copy with --sizing fixed."),
    reverse: bool = typer.Option(False, "--reverse", help="Trade against the master: buy <-> sell, SL <-> TP."),
    map_: list[str] = typer.Option([], "--map", help="Symbol map MASTER=FOLLOWER (or PROFILE:MASTER=FOLLOWER), "
                                                     "repeatable, e.g. --map EURUSD=EURUSD.m; without one the "
                                                     "follower profile's suffix (mas symbols suffix) applies."),
    poll_ms: int = typer.Option(500, min=10, help="How often the master is read, in milliseconds."),
    catch_up: bool = typer.Option(True, "--catch-up/--no-catch-up",
                                  help="At a restart, copy the positions the master opened while the copier was "
                                       "stopped and still holds (default: copy them)."),
    copy_open: bool = typer.Option(False, "--copy-open", help="At a follower's first start, also copy the positions "
                                                               "the master holds already (default: only new ones)."),
    copy_sltp: bool = typer.Option(True, "--sltp/--no-sltp", help="Copy the master's SL/TP and their changes."),
    min_lot: str = typer.Option("raise", help="A copy below the symbol's minimum lot: raise it to the minimum, or "
                                              "skip it."),
    name: str = typer.Option("", help="The copier's name (its state file); default: the master profile."),
) -> None:
    """Mirror the master's deals on the followers until Ctrl-C (or SIGTERM); restartable, each copy made once."""
    from mas.live.copier import CopierError, CopierSettings, open_copier, parse_followers, parse_symbol_map
    from mas.live.copier_state import CopierRunningError, CopierStateError, run_lock
    from mas.live.runner import stop_on_signals

    try:
        settings = CopierSettings(master=master, followers=parse_followers(followers), name=name, sizing=sizing,
                                  multiplier=multiplier, fixed_lots=fixed_lots, reverse=reverse,
                                  symbol_map=parse_symbol_map(map_), poll_ms=poll_ms, catch_up=catch_up,
                                  copy_open=copy_open, copy_sltp=copy_sltp, min_lot_rule=min_lot)
    except (CopierError, CopierStateError) as exc:
        typer.echo(f"mas copy start: {error_text(exc)}", err=True)
        raise typer.Exit(2) from None
    stop = threading.Event()
    try:
        with run_lock(settings.name):
            copier = open_copier(settings, lambda line: typer.echo(line))
            try:
                reversed_ = say("out_copier_reversed")
                described = ", ".join(f"{f['profile']} x{f['multiplier']:g}{reversed_ if f['reverse'] else ''}"
                                      for f in settings.describe()["followers"])
                typer.echo(say("out_copier_started", name=settings.name, master=master, account=copier.master.account,
                               server=copier.master.server, followers=described, sizing=settings.sizing))
                with stop_on_signals(stop):
                    copier.run(stop)
            finally:
                copier.close()
    except (CopierError, CopierStateError, CopierRunningError, ValueError) as exc:
        typer.echo(f"mas copy start: {error_text(exc)}", err=True)
        raise typer.Exit(1) from None
    typer.echo(say("out_copier_stopped", name=settings.name))


@copy_app.command("status")
def status(
    name: str = typer.Argument("", help="A copier's name (default: every copier)."),
    as_json: bool = typer.Option(False, "--json", help="Print the state as JSON."),
) -> None:
    """What each copier copied: per follower, the mirrored positions, pending copies and recent events."""
    from mas.live.copier_state import CopierStateError, copier_names, is_running, load_state

    names = [name] if name else copier_names()
    if not names:
        typer.echo(say("out_no_copier_yet"))
        return
    failed = False
    documents = {}
    for each in names:
        try:
            state = load_state(each)
        except CopierStateError as exc:
            typer.echo(f"mas copy status: {error_text(exc)}", err=True)
            failed = True
            continue
        if state is None:
            known = ", ".join(copier_names()) or say("out_word_none")
            typer.echo(f"mas copy status: {say('out_no_copier_named', name=each, known=known)}", err=True)
            failed = True
            continue
        state["running"] = is_running(each)
        documents[each] = state
        if not as_json:
            for line in _status_lines(state):
                typer.echo(line)
    if as_json:
        typer.echo(json.dumps(documents, indent=1, sort_keys=True))
    if failed:
        raise typer.Exit(1)


def _status_lines(state: dict) -> list[str]:
    master = state["master"]
    settings = state.get("settings", {})
    running = say("copy_running" if state["running"] else "copy_stopped")
    lines = [say("copy_status_head", name=state["name"], state=running,
                 profile=master.get("profile"), account=master.get("account"), server=master.get("server"),
                 sizing=settings.get("sizing", "?"))]
    for follower_name, follower in sorted(state["followers"].items()):
        mirrors = follower["mirrors"]
        opened = sum(m["state"] == "open" for m in mirrors.values())
        lines.append(say("copy_status_follower_one" if opened == 1 else "copy_status_follower", name=follower_name,
                         account=follower.get("account"), server=follower.get("server"), cursor=follower["cursor"],
                         open=opened, pending=len(follower["actions"])))
        for key, mirror in sorted(mirrors.items(), key=lambda kv: int(kv[0])):
            tickets = ", ".join(f"#{t} {v:g}" for t, v in mirror["tickets"].items()) or "-"
            note = f" ({mirror['note']})" if mirror.get("note") else ""
            lines.append(say("copy_status_mirror", key=key, master_symbol=mirror["master_symbol"],
                             master_side=mirror["master_side"], master_volume=f"{mirror['master_volume']:g}",
                             state=mirror["state"], side=mirror["side"], symbol=mirror["symbol"], tickets=tickets,
                             note=note))
        for line in follower.get("history", [])[-5:]:
            lines.append(f"    {line}")
    return lines
