"""What a backtest session and a live session have in common: the terminal the facade's calls go to,
and how an order's answer reaches the strategy.

The facade validates a call's parameters, asks :class:`ClientState` for the session (the only place
that looks at ``backtest_toggle``) and hands the call to it. A session knows its terminal and its own
rules: the backtest session's simulated terminal reports its order updates itself, the live session
pushes the statuses of the requests it sends and the fills its deal poller finds.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from mas import params as p
from mas.i18n import retcode_text
from mas.terminal import constants as c
from mas.terminal.types import TradeRequest

if TYPE_CHECKING:
    from mas.results import BacktestResult
    from mas.sessions.strategy import StrategyEvents
    from mas.terminal.protocol import Terminal

ACCEPTED = (c.TRADE_RETCODE_DONE, c.TRADE_RETCODE_PLACED, c.TRADE_RETCODE_DONE_PARTIAL)
"""The retcodes of an order the terminal took."""


class Session(ABC):
    """A mode's state and rules. Subclasses: ``mas.backtest.session.BacktestSession`` and
    ``mas.live.session.LiveSession``."""

    replaying = False
    """A backtest replay runs now (only a backtest session replays)."""
    warming_up = False
    """The strategy receives bars only to warm its indicators up: every order it sends is refused."""
    answers_calls = False
    """This class overrides :meth:`handles` (the facade asks it about each call only then)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.answers_calls = cls.handles is not Session.handles

    def __init__(self, events: StrategyEvents) -> None:
        self.events = events
        self.terminal: Terminal | None = None
        """The terminal the facade's calls go to (None: none yet, or shut down)."""

    # ------------------------------------------------------------------ what each mode answers
    @abstractmethod
    def connected(self) -> bool:
        """``check_connection``: the terminal answers now."""

    def catalog(self) -> Terminal | None:
        """A terminal that can answer symbol questions (None when there is none)."""
        return self.terminal

    @abstractmethod
    def subscribe_bars(self, params: dict) -> None:
        """Backtest: replay the bars of the range; live: start a bar feed."""

    @abstractmethod
    def subscribe_ticks(self, params: dict) -> None:
        """Backtest: replay the ticks of the range; live: start a tick feed."""

    @abstractmethod
    def send_order(self, request: TradeRequest, params: dict, toggle: bool | None) -> str | None:
        """Send a validated order (``params``: the caller's, for the mode's extensions); the order id, or
        None with the reason pushed to ``receive_order_status`` and recorded as the last error."""

    def send_params(self, params: dict, toggle: bool | None) -> str | None:
        """``send_order`` from the caller's dict: the request built from ``params``
        (``mas.params.order_trade_request``, an ``order_id`` turned into its position by :meth:`request_position`),
        then sent by :meth:`send_order`. A malformed field raises ValueError naming it."""
        return self.send_order(p.order_trade_request(params, self.request_position), params, toggle)

    @abstractmethod
    def request(self, request: dict, order_id: str, toggle: bool | None) -> bool:
        """Send a modify / cancel / SL-TP request about ``order_id``; True when the terminal did it."""

    def position_of(self, ticket: int) -> int:
        """The position an ``order_id`` refers to: the position its order opened (MAS convention); a ticket
        that is already a position id is used as is."""
        terminal = self.terminal
        if terminal is None or self.is_open_position(ticket):
            return ticket
        orders = terminal.history_orders_get(ticket=ticket)
        if orders and orders[0].position_id:
            return int(orders[0].position_id)
        return ticket

    def request_position(self, ticket: int, params: dict) -> int:
        """:meth:`position_of` as ``mas.params.order_trade_request`` asks it (with the order's ``params``)."""
        return self.position_of(ticket)

    def is_open_position(self, ticket: int) -> bool:
        """Whether ``ticket`` is an open position of this session's terminal (MT5 calls; a mode may know a
        shortcut)."""
        return self.terminal is not None and bool(self.terminal.positions_get(ticket=ticket))

    def report_source(self) -> BacktestResult | None:
        """What the reports read from this session (None: nothing)."""
        return None

    # ------------------------------------------------------------------ calls a session answers itself
    def handles(self, call: str, params: dict) -> bool:
        """Whether this session answers the documented call ``call`` (``"login"``, ``"send_order"``,
        ``"modify_order"``, ``"cancel_order"``, ``"modify_position_sltp"``, ...) with ``params`` itself, in place
        of the facade's one-terminal path: e.g. a login to an account group, or an order naming a group's parent
        order. The facade asks before it reads ``params`` as one terminal's request. False by default."""
        return False

    def handle(self, call: str, params: dict) -> Any:
        """The answer to a call :meth:`handles` claimed: what the documented call returns (a malformed field
        raises ValueError naming it, as the facade's own path does)."""
        raise NotImplementedError(f"{type(self).__name__} does not answer {call} itself")

    # ------------------------------------------------------------------ answers
    def refuse(self, order_id: str, retcode: int, text: str, request: Any, code: int = c.RES_E_FAIL,
               level: int | None = None) -> None:
        """A request that is not sent (or that failed): the reason becomes the last error and the
        strategy's ``receive_order_status`` gets a rejection."""
        self.events.error(text, code, level)
        self.events.order_status(order_id, retcode, text, request, c.ORDER_STATE_REJECTED)

    def refuse_live_in_backtest(self, order_id: str, request: Any) -> None:
        """A live request sent from inside a backtest replay: never sent anywhere."""
        self.refuse(order_id, c.TRADE_RETCODE_REJECT, self.events.say("live_in_backtest"), request, c.RES_E_FAIL,
                    logging.ERROR)

    def placed(self, result: Any, request: TradeRequest) -> None:
        """An order the terminal took (``send_order``): what this mode tells the strategy about it. Nothing by
        default: the simulated terminal reports its own order updates; the live session overrides this."""
        return None

    def answer_order(self, terminal: Any, result: Any, request: TradeRequest) -> str | None:
        """``send_order``'s answer to the terminal's ``result`` (None: the call failed)."""
        events = self.events
        if result is None:
            code, text = terminal.last_error()
            text = events.localize(text)
            events.error(f"send_order: {text}", code)
            events.order_status("", c.TRADE_RETCODE_ERROR, text, request, c.ORDER_STATE_REJECTED)
            return None
        if result.retcode in ACCEPTED:
            self.placed(result, request)
            return str(result.order)
        text = events.say("order_result", order_id="-", retcode_text=retcode_text(events.lang, result.retcode),
                          retcode=result.retcode,
                          detail=f": {events.localize(result.comment)}" if result.comment else "")
        self.refuse(str(result.order or ""), result.retcode, text, request)
        return None

    def send_request(self, request: dict, order_id: str, *, tell_placed: bool) -> bool:
        """Send a modify / cancel / SL-TP request to this session's terminal; ``tell_placed``: push the
        terminal's acceptance too (the simulated terminal reports its own order updates)."""
        events = self.events
        terminal = self.terminal
        if terminal is None:
            events.error(events.say("no_broker", call="order request"))
            return False
        result = terminal.order_send(request)
        if result is not None and result.retcode == c.TRADE_RETCODE_DONE:
            if tell_placed:
                events.order_status(order_id, result.retcode, result.comment, request, c.ORDER_STATE_PLACED)
            return True
        retcode = result.retcode if result is not None else c.TRADE_RETCODE_ERROR
        detail = result.comment if result is not None else terminal.last_error()[1]
        text = events.say("order_result", order_id=order_id, retcode_text=retcode_text(events.lang, retcode),
                          retcode=retcode, detail=f": {events.localize(detail)}" if detail else "")
        self.refuse(order_id, retcode, text, request)
        return False
