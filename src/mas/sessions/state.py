"""The facade's one private holder: the strategy's language, its last error, its backtest session and
its live session, and the choice between the two sessions that ``backtest_toggle`` makes."""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mas import params as p
from mas.i18n import message
from mas.sessions.strategy import StrategyEvents
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.backtest.session import BacktestSession
    from mas.live.session import LiveSession
    from mas.results import BacktestResult
    from mas.sessions.base import Session

log = logging.getLogger("mas")
_CREATE = threading.Lock()  # two threads asking for the live session at once get the same one


class ClientState:
    """Everything the facade keeps about one strategy (``mas.client.state_of(strategy)`` reaches it).

    The sessions are made on first use by the factories the facade gives (so this package never
    imports the backtest or live rooms); each gets a :class:`StrategyEvents` for the strategy."""

    __slots__ = ("lang", "last_error", "backtest", "live", "_strategy", "_base", "_make_backtest", "_make_live",
                 "__weakref__")

    def __init__(self, strategy: Any, base: type, make_backtest: Callable[[StrategyEvents], BacktestSession],
                 make_live: Callable[[StrategyEvents], LiveSession]) -> None:
        self.lang = "en"
        """The language of every user-facing message: 'en', 'zh-tw' or 'zh-cn'."""
        self.last_error: tuple[int, str] = (c.RES_S_OK, "")
        """(code, message) of the last failure."""
        self.backtest: BacktestSession | None = None
        """The backtest session (the replay running now, else the last one): None before the first use."""
        self.live: LiveSession | None = None
        """The live session (terminal, feeds, deal poller): None before the first login or live call."""
        self._strategy = weakref.ref(strategy)
        self._base = base
        self._make_backtest = make_backtest
        self._make_live = make_live

    # ------------------------------------------------------------------ language and errors
    def say(self, key: str, **values: Any) -> str:
        """The message ``key`` in the strategy's language."""
        return message(self.lang, key, **values)

    def error(self, text: str, code: int = c.RES_E_FAIL, level: int | None = None) -> None:
        """Record a failure as ``last_error()`` and log it (a warning unless ``level`` says otherwise)."""
        self.last_error = (code, text)
        log.log(logging.WARNING if level is None else level, text)

    # ------------------------------------------------------------------ sessions
    def backtest_session(self) -> BacktestSession:
        """The backtest session, made on first use."""
        session = self.backtest
        if session is None:
            with _CREATE:
                session = self.backtest
                if session is None:
                    session = self._make_backtest(self._events(weak=True))
                    session.broker = self.live
                    self.backtest = session
        return session

    def live_session(self) -> LiveSession:
        """The live session, made on first use (it keeps its callback lock and error count for good)."""
        session = self.live
        if session is None:
            with _CREATE:
                session = self.live
                if session is None:
                    session = self._make_live(self._events(weak=False))
                    self.live = session
                    if self.backtest is not None:
                        self.backtest.broker = session  # missing backtest data is fetched from the broker
        return session

    def use_live(self, session: LiveSession) -> None:
        """Make ``session`` the live session from now on (a group session at a group login); it must have been
        made with this state's live events (``self.live_session().events``)."""
        with _CREATE:
            self.live = session
            if self.backtest is not None:
                self.backtest.broker = session

    def _events(self, *, weak: bool) -> StrategyEvents:
        strategy = self._strategy()
        if strategy is None:
            raise RuntimeError("the strategy of this state no longer exists")
        return StrategyEvents(strategy, self, self._base, weak=weak)

    def mode(self, backtest: bool) -> Session:
        """The backtest session (True) or the live one (False): where ``subscribe_*`` goes."""
        return self.backtest_session() if backtest else self.live_session()

    def session(self, toggle: bool | None) -> Session:
        """The session a call goes to: the running replay (whatever the toggle says: a live request
        from inside it is refused there), else as ``toggle`` says, else the live one when logged in,
        else the last backtest's account."""
        backtest = self.backtest
        if backtest is not None and backtest.replaying:
            return backtest
        if toggle is None:
            live = self.live
            return live if live is not None and live.terminal is not None else self.backtest_session()
        return self.mode(toggle)

    def request_session(self, params: dict) -> tuple[Session, bool | None]:
        """The session a modify / cancel / SL-TP request goes to (as :meth:`session`) and the toggle it
        carries (a live one from inside a replay is refused by the replay's session)."""
        toggle = p.backtest_toggle(params, "order request" if self.replaying else "this call")
        return self.session(toggle), toggle

    def order_session(self, toggle: bool | None) -> Session | None:
        """The session ``send_order`` goes to (as :meth:`session`); None while a session feeds the strategy
        bars only to warm it up: every order is refused then, whatever the toggle (one call per order)."""
        backtest, live = self.backtest, self.live
        if (backtest is not None and backtest.warming_up) or (live is not None and live.warming_up):
            return None
        if backtest is not None and backtest.replaying:
            return backtest
        return self.mode(bool(toggle))

    def order_desk(self) -> Any:
        """What sends a ``send_order`` with ``backtest_toggle`` True now, when it is the backtest replay's order
        desk (``mas.sim.terminal.OrderDesk``, the same session :meth:`order_session` picks, with nothing else to
        decide: no warm-up); else None."""
        backtest, live = self.backtest, self.live
        if backtest is None or (live is not None and live.warming_up):
            return None
        return backtest.desk

    @property
    def replaying(self) -> bool:
        """A backtest replay runs now."""
        backtest = self.backtest
        return backtest is not None and backtest.replaying

    # ------------------------------------------------------------------ results
    @property
    def result(self) -> BacktestResult | None:
        """The last backtest's result (or the one adopted): ``backtest_result``."""
        backtest = self.backtest
        return backtest.result if backtest is not None else None

    def adopt_result(self, result: BacktestResult) -> None:
        """Make ``result``, computed outside a replay (the vectorized fast path, a replay trimmed after its
        warm-up), the strategy's ``backtest_result`` and the reports' source."""
        self.backtest_session().adopt_result(result)

    def report_source(self) -> BacktestResult | None:
        """What the reports read: the last backtest's result; during a replay (a report asked for at
        ``is_end``), the running replay's result up to its current bar; else the live account's history."""
        for session in (self.backtest, self.live):
            if session is not None:
                source = session.report_source()
                if source is not None:
                    return source
        return None
