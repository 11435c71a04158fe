"""``mas live``: trade a strategy on a broker profile's account until Ctrl-C (the work is :mod:`mas.app.live`;
this module parses the options, prints, and shows a strategy file's errors with that file's frames)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from mas.cli.errors import error_text, fail_in_user_code, user_code_report
from mas.cli.lang import say
from mas.cli.options import parse_param

__all__ = ["live"]


def live(
    strategy: str = typer.Argument(..., help="A built-in (ma, rsi, macd, kd, bband), a .py file with a MAS subclass, "
                                             "a spec .json file or a quoted text strategy."),
    profile: str = typer.Option(..., help="Broker profile to trade on (mas broker add); its risk guards apply."),
    symbol: str = typer.Option("EURUSD", help="Symbol whose live bars feed the strategy."),
    timeframe: str = typer.Option("H1", help="Bar timeframe, M1 ... MN1."),
    interval_ms: int = typer.Option(1000, min=10, help="How often the live feed polls the terminal."),
    status_every: float = typer.Option(10.0, min=0.05, help="Seconds between status lines."),
    warmup_bars: int = typer.Option(500, min=0, help="Recent bars replayed first so indicators are ready (orders "
                                                     "sent during the warm-up are refused, never sent)."),
    param: list[str] = typer.Option([], "--param", help="Strategy parameter name=value (repeatable)."),
    full_traceback: bool = typer.Option(False, "--traceback", help="On an error loading a strategy file, show "
                                                                   "Python's full traceback (default: your file's "
                                                                   "frames)."),
) -> None:
    """Trade a strategy live on a broker profile's account until Ctrl-C (or SIGTERM).

    The strategy runs with backtest_toggle = False: your own strategies must send their orders with
    "backtest_toggle": self.backtest_toggle. Open positions stay open when it stops."""
    from mas.app.live import LiveRunError, start_live
    from mas.app.strategies import load_strategy
    from mas.i18n import current_lang
    from mas.live.runner import stop_on_signals

    try:
        from mas.data.timeframes import timeframe_name

        timeframe_name(timeframe.upper())
        instance = load_strategy(strategy, dict(parse_param(x) for x in param))
        if current_lang() != "en":  # mas --lang / MAS_LANG: the strategy's statuses and errors in that language
            instance.set_lang(current_lang())
    except Exception as exc:  # noqa: BLE001 - the user's file may raise anything; it is reported, not traced back
        fail_in_user_code(exc, strategy, full_traceback)
        if not isinstance(exc, (ValueError, LookupError, TypeError, OSError, typer.BadParameter)):
            raise
        typer.echo(f"mas live: {error_text(exc)}", err=True)
        raise typer.Exit(2) from None
    try:
        run = start_live(instance, profile, symbol=symbol, timeframe=timeframe, interval_ms=interval_ms,
                         status_every=status_every, warmup_bars=warmup_bars, source=strategy)
    except ValueError as exc:  # like a failed login: exit 1, before anything connects
        typer.echo(f"mas live: {error_text(exc)}", err=True)
        raise typer.Exit(1) from None
    for note in run.notes:
        typer.echo(say("out_note_head") + error_text(note), err=True)
    with stop_on_signals(run.stop_event), _user_frames_in_logs(strategy, full_traceback), _login_failures_said_once():
        try:
            run.run(typer.echo)
        except LiveRunError as exc:
            typer.echo(f"mas live: {error_text(exc)}", err=True)
            raise typer.Exit(1) from None
        except ValueError as exc:  # a bad symbol or timeframe
            typer.echo(f"mas live: {error_text(exc)}", err=True)
            raise typer.Exit(2) from None


@contextmanager
def _user_frames_in_logs(target: str, full: bool) -> Iterator[None]:
    """While live: a strategy file's callback errors are logged with that file's frames only (all with ``full``)."""
    path = Path(target)
    if full or path.suffix != ".py" or not path.is_file():
        yield
        return

    class UserFrames(logging.Formatter):
        def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
            return user_code_report(ei[1], [path]) or super().formatException(ei)

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(UserFrames("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("mas.live")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _login_failure_starts() -> list[str]:
    """How the client's login failures begin, in every language."""
    from mas.i18n.messages import MESSAGES

    starts = [text.split("{", 1)[0] for key, texts in MESSAGES.items()
              if key.startswith("login_") and key != "login_ok" for text in texts.values()]
    return [start for start in starts if start]


@contextmanager
def _login_failures_said_once() -> Iterator[None]:
    """The client logs a failed login as a warning; mas live prints it in its own error, so not twice."""
    starts = _login_failure_starts()

    def said_by_the_cli(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(tuple(starts))

    logger = logging.getLogger("mas")
    logger.addFilter(said_by_the_cli)
    try:
        yield
    finally:
        logger.removeFilter(said_by_the_cli)
