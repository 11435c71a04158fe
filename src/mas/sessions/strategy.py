"""The strategy as a session sees it: its callbacks, its language and where its errors are recorded.

:class:`~mas.sessions.state.ClientState` builds one :class:`StrategyEvents` per session (with the facade's
class, to tell which callbacks the strategy overrides); the session pushes bars, ticks, order statuses,
executions and errors through it and never touches the strategy object otherwise (nor imports the
facade). A replay asks for the strategy's own ``receive_bars`` once (:meth:`StrategyEvents.bar_callback`)
and calls it directly per bar; a callback the strategy does not override is never called (nor its
dict built).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mas.i18n.errors import localize
from mas.sessions.events import execution_dict, status_dict
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.sessions.state import ClientState

Callback = Callable[[str, dict, bool], object]


class StrategyEvents:
    """Delivers events to one strategy. ``weak``: hold the strategy and its state by weak proxies (a
    backtest session's: its simulated terminal's listener holds this, and a strong reference would make
    a cycle that keeps a dropped strategy's whole replay alive until a full garbage collection); a live
    session holds them strongly, so its feed threads keep the strategy alive while they run."""

    def __init__(self, strategy: Any, state: ClientState, base: type, *, weak: bool) -> None:
        self.strategy_name = type(strategy).__name__
        self._strategy = weakref.proxy(strategy) if weak else strategy
        self._state = weakref.proxy(state) if weak else state
        cls = type(strategy)
        self._overrides = {name for name in ("receive_bars", "receive_ticks", "receive_order_status",
                                             "receive_order_execution")
                           if getattr(cls, name) is not getattr(base, name)}
        self.wants_order_status = "receive_order_status" in self._overrides
        """The strategy overrides ``receive_order_status`` (else statuses need not be built)."""
        self.wants_executions = "receive_order_execution" in self._overrides
        """The strategy overrides ``receive_order_execution``."""

    # ------------------------------------------------------------------ callbacks
    def bar_callback(self) -> Callback | None:
        """The strategy's ``receive_bars`` (None when it keeps the no-op): what a replay calls per bar."""
        return self._strategy.receive_bars if "receive_bars" in self._overrides else None

    def tick_callback(self) -> Callback | None:
        """The strategy's ``receive_ticks`` (None when it keeps the no-op)."""
        return self._strategy.receive_ticks if "receive_ticks" in self._overrides else None

    def bar(self, symbol: str, data: dict, is_end: bool) -> None:
        """Push one bar (the strategy's ``receive_bars`` as it is now: a live feed looks it up at each push)."""
        self._strategy.receive_bars(symbol, data, is_end)

    def tick(self, symbol: str, data: dict, is_end: bool) -> None:
        """Push one tick."""
        self._strategy.receive_ticks(symbol, data, is_end)

    def order_status(self, order_id: str, retcode: int, text: str, request: Any, state: int,
                     extra: dict | None = None) -> None:
        """Push an order's new state (``request``: a ``TradeRequest`` or a dict of its fields); ``extra`` keys
        (a group's account of a child order) are added to the dict."""
        status = status_dict(retcode, text, request, state)
        if extra:
            status.update(extra)
        self._strategy.receive_order_status(order_id, status)

    def execution(self, deal: Any, order_type: int, extra: dict | None = None) -> None:
        """Push one fill (an MT5 deal; ``order_type``: the type of its order), with the ``extra`` keys."""
        data = execution_dict(deal, order_type)
        if extra:
            data.update(extra)
        self._strategy.receive_order_execution(str(deal.order), data)

    # ------------------------------------------------------------------ language and errors
    @property
    def lang(self) -> str:
        """The language of the strategy's messages."""
        return self._state.lang

    def say(self, key: str, **values: Any) -> str:
        """The message ``key`` in the strategy's language."""
        return self._state.say(key, **values)

    def localize(self, text: str) -> str:
        """A terminal's comment, or one of our texts (a risk guard's refusal...), in the strategy's language."""
        return localize(text, self._state.lang)

    def error(self, text: str, code: int = c.RES_E_FAIL, level: int | None = None) -> None:
        """Record ``text`` as the strategy's ``last_error()`` and log it (a warning unless ``level`` says)."""
        self._state.error(text, code, level)
