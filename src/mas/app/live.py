"""Trading a strategy live on a broker profile's account (what ``mas live`` does), for any front end.

:func:`start_live` checks what can be checked before anything connects (the timeframe, the strategy, the
profile) and returns a :class:`LiveRun`. The ``mas`` command drives it in its own thread with
:meth:`LiveRun.run` until Ctrl-C; a server starts it in a thread of its own with :meth:`LiveRun.start`
and ends it with :meth:`LiveRun.stop`. Either way the run logs in, warms the strategy's indicators up,
feeds it live bars, reports a status line every ``status_every`` seconds and, once stopped, shuts the
feeds, the fill poller and the terminal down (open positions and pending orders stay on the account).
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mas.client import MAS
from mas.i18n.errors import InputError, Text, text_of
from mas.live.runner import LiveRunError, run_live

__all__ = ["LiveRun", "LiveRunError", "check_profile", "group_status", "open_account", "sends_backtest_orders",
           "start_live"]

_KEPT_LINES = 200


@dataclass(eq=False)
class LiveRun:
    """One strategy set to trade live; it trades once, driven by :meth:`run` or :meth:`start`.

    ``notes`` are warnings found before the start (e.g. orders hard-coded to the backtest); ``lines`` keeps
    the most recent status lines the run has reported. Both are :class:`~mas.i18n.Text` (a ``str``: English;
    ``localize(line, lang)``: any language). ``lang`` is the language of the lines given to ``echo`` (None: the
    process's, :func:`mas.i18n.current_lang`: ``mas --lang`` / ``MAS_LANG``)."""

    strategy: MAS
    profile: str
    symbol: str
    timeframe: str
    interval_ms: int = 1000
    status_every: float = 10.0
    warmup_bars: int = 500
    notes: list[str] = field(default_factory=list)
    lines: deque[str] = field(default_factory=lambda: deque(maxlen=_KEPT_LINES))
    stop_event: threading.Event = field(default_factory=threading.Event)
    lang: str | None = None
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)
    _started: bool = field(default=False, init=False, repr=False)
    _error: Exception | None = field(default=None, init=False, repr=False)

    def run(self, echo: Callable[[str], None] | None = None) -> None:
        """Trade in this thread until :meth:`stop` (or ``stop_event``) is set, reporting each line to ``echo``.

        Raises :class:`LiveRunError` when it cannot start (login refused, symbol not offered) and ValueError
        for a symbol or timeframe the terminal refuses."""
        self._claim()
        self._trade(echo)

    def start(self, echo: Callable[[str], None] | None = None) -> None:
        """Trade in a thread of its own (see :meth:`run`); :meth:`wait` returns its end and re-raises its error."""
        self._claim()

        def trade() -> None:
            try:
                self._trade(echo)
            except Exception as exc:  # noqa: BLE001 - kept for wait(), which re-raises it
                self._error = exc

        self._thread = threading.Thread(target=trade, name=f"mas-live-{self.profile}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the run to stop; it shuts its feeds and the terminal down and returns (see :meth:`wait`)."""
        self.stop_event.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether a run started with :meth:`start` has ended (waiting up to ``timeout`` seconds); re-raises
        the error it ended with."""
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return False
        if self._error is not None:
            raise self._error
        return True

    @property
    def running(self) -> bool:
        """Whether a run started with :meth:`start` is still trading (or shutting down)."""
        return self._thread is not None and self._thread.is_alive()

    def _claim(self) -> None:
        if self._started:
            raise RuntimeError("this live run has already been started; start_live() prepares a new one")
        self._started = True

    def _trade(self, echo: Callable[[str], None] | None) -> None:
        from mas.i18n import current_lang, localize

        lang = self.lang or current_lang()

        def say(line: str) -> None:
            self.lines.append(line)
            if echo is not None:
                echo(localize(line, lang))

        run_live(self.strategy, self.profile, self.symbol, self.timeframe, self.interval_ms, self.status_every,
                 self.stop_event, say, self.warmup_bars)


def check_profile(profile: str) -> None:
    """ValueError, with the close name, unless the broker profile exists."""
    from mas.choices import suggest
    from mas.live.profiles import ProfileError, load_profiles, profiles_path

    try:
        profiles = load_profiles()
    except ProfileError as exc:
        raise InputError("live_profile_error", error=text_of(exc)) from None
    if profile not in profiles:
        raise InputError("live_profile_unknown", name=profile, path=profiles_path(),
                         hint=suggest(profile, sorted(profiles)))


def sends_backtest_orders(target: str | None) -> bool:
    """Whether a strategy file hard-codes ``"backtest_toggle": True`` (orders that stay in the backtest)."""
    path = Path(target) if target else None
    if path is None or path.suffix != ".py" or not path.is_file():
        return False  # built-ins, specs and text strategies send self.backtest_toggle
    source = path.read_text(encoding="utf-8", errors="replace")
    return re.search(r"""["']backtest_toggle["']\s*:\s*True\b""", source) is not None


def start_live(strategy: MAS | str, profile: str, *, symbol: str = "EURUSD", timeframe: str = "H1",
               strategy_params: dict[str, Any] | None = None, interval_ms: int = 1000, status_every: float = 10.0,
               warmup_bars: int = 500, source: str | None = None) -> LiveRun:
    """A :class:`LiveRun` of ``strategy`` (an instance, or a target :func:`mas.app.load_strategy` loads with
    ``strategy_params``) on the broker profile ``profile``, checked but not connected yet.

    ``source`` is the target an instance was loaded from (a strategy file is read for orders hard-coded to
    the backtest, noted in ``LiveRun.notes``). ValueError for a bad timeframe or a profile that does not
    exist; whatever a strategy file raises while it loads propagates."""
    from mas.data.timeframes import timeframe_name

    timeframe_name(timeframe.upper())
    if isinstance(strategy, str):
        from mas.app.strategies import load_strategy

        source = strategy
        strategy = load_strategy(strategy, dict(strategy_params or {}))
    check_profile(profile)
    notes = []
    if sends_backtest_orders(source):
        notes.append(Text("live_note_backtest_orders", strategy=type(strategy).__name__))
    return LiveRun(strategy, profile, symbol.upper(), timeframe.upper(), interval_ms, status_every, warmup_bars,
                   notes)


def open_account(profile: str) -> MAS:
    """A MAS client with no strategy, logged in (live) to broker profile ``profile``'s account, as a running strategy
    is: read the account with ``get_account_info`` / ``get_positions`` / ``get_pending_orders`` /
    ``get_order_history`` and send orders (``send_order`` with ``"backtest_toggle": False``) through the order
    journal and the profile's risk guards. End it with ``shutdown_mt5()``. ValueError when the profile does not
    exist, :class:`LiveRunError` naming why the login failed (the password never appears)."""
    check_profile(profile)
    client = MAS()
    if not client.login({"profile": profile}):
        raise LiveRunError(Text("web_live_login_failed", profile=profile, reason=client.last_error()[1]))
    return client


def allocate_group(name: str, volume: float, *, symbol: str = "EURUSD", stop_distance: float = 0.0) -> Any:
    """The dry run of account group ``name``: each member's account read, ``volume`` split, nothing sent
    (:func:`mas.groups.accounts.dry_run`). Raises :class:`mas.groups.store.GroupError` naming what is wrong."""
    from mas.groups.accounts import dry_run

    return dry_run(name, volume, symbol, stop_distance)


def account_groups() -> list[dict[str, Any]]:
    """Every account group of ``$MAS_HOME/groups.toml``: name, members and allocation method (no login)."""
    from mas.groups.store import load_groups

    return [{"name": g.name, "members": list(g.members), "allocation": g.allocation}
            for g in load_groups().values()]


def group_status(name: str) -> Any:
    """The consolidated report of account group ``name`` now: every member logged in to, read (balance, equity,
    margin, free margin, floating and today's realised P&L, exposure per symbol) and logged out, and the sums
    (:class:`mas.groups.report.GroupReport`: ``.as_dict()``, ``.lines()``). Sends nothing. A member that cannot
    log in or be read is named in the report's ``problems`` with the reason, and the others are still reported.
    Raises :class:`mas.groups.store.GroupError` for an unknown group or a member profile that does not exist."""
    from mas.groups.report import group_report
    from mas.groups.session import open_members

    group, terminals, problems = open_members(name)
    try:
        return group_report(group.name, terminals, problems=problems)
    finally:
        for terminal in terminals.values():
            terminal.shutdown()
