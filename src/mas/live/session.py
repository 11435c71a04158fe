"""The live session: one strategy's connection to a broker's terminal and everything that runs on it.

It owns the logged-in terminal and its login details, the bar and tick feeds (:mod:`.feeds`), the deal
poller that pushes fills and unfilled ended orders (:mod:`.fills`), the callback lock and error count
(:mod:`.dispatch`) and the warm-up flag; it sends orders through the journal and the risk guards
(:mod:`.orders`) and pushes the statuses of what it sends. The facade reaches it through
``mas.client.state_of(strategy).live``; it reaches the strategy only through its
:class:`~mas.sessions.strategy.StrategyEvents`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mas import params as p
from mas.live import feeds
from mas.live.dispatch import Dispatcher
from mas.live.fills import DealPoller
from mas.live.history import result_from_live_history
from mas.live.orders import send_live
from mas.sessions.base import Session
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.results import BacktestResult
    from mas.sessions.strategy import StrategyEvents
    from mas.terminal.types import TradeRequest


class LiveSession(Session):
    """A strategy's live trading: the broker's terminal (None until a login and after a shutdown), its
    feeds, its deal poller, its callback lock. It lives as long as the strategy: a new login replaces the
    terminal and keeps the feeds, the callback lock and the count of callbacks that raised."""

    def __init__(self, events: StrategyEvents) -> None:
        super().__init__(events)
        self.login_info: dict | None = None
        """What the last login used (account, server, timeout, path, terminal, profile): no password."""
        self.warming_up = False
        self.dispatcher = Dispatcher()
        """The callback lock (one callback at a time) and the count of callbacks that raised."""
        self.feeds: dict[tuple, feeds.Feed] = {}
        """The running feeds by (kind, symbol, timeframe)."""
        self.deal_poller: DealPoller | None = None

    # ------------------------------------------------------------------ connection
    def connect(self, terminal: Any, login_info: dict, poll_s: float) -> None:
        """Take ``terminal`` (logged in) as this session's, shutting an earlier one down; start pushing fills."""
        if self.terminal is not None:
            self.shutdown()
        self.terminal = terminal
        self.login_info = login_info
        self.start_deal_poller(poll_s)

    def initialize(self) -> bool:
        """``initialize_mt5``: initialize the logged-in terminal; False without a login."""
        if self.terminal is None:
            self.events.error(self.events.say("no_broker", call="initialize_mt5"))
            return False
        return bool(self.terminal.initialize())

    def connected(self) -> bool:
        """The terminal says it is connected to the broker."""
        if self.terminal is None:
            return False
        info = self.terminal.terminal_info()
        return bool(info and info.connected)

    def reconnect(self) -> bool:
        """Drop and re-establish the terminal's connection; False without an earlier login."""
        if self.terminal is None or self.login_info is None:
            self.events.error(self.events.say("no_broker", call="reconnect_mt5"))
            return False
        self.terminal.shutdown()
        return bool(self.terminal.initialize())

    def shutdown(self) -> None:
        """Stop the deal poller and close the terminal (the feeds idle until the next login)."""
        self.stop_deal_poller()
        if self.terminal is not None:
            self.terminal.shutdown()
        self.terminal = None

    @property
    def callback_errors(self) -> int:
        """How many live callbacks raised since this session was made."""
        return self.dispatcher.errors

    # ------------------------------------------------------------------ feeds
    def subscribe_bars(self, params: dict) -> None:
        """Start a feed that pushes each new completed bar (an error without a login)."""
        if self.terminal is None:
            self.events.error(self.events.say("live_feed_unavailable", call="subscribe_bars"))
            return
        feeds.start_bar_feed(self, params)

    def subscribe_ticks(self, params: dict) -> None:
        """Start a feed that pushes each new tick (an error without a login)."""
        if self.terminal is None:
            self.events.error(self.events.say("live_feed_unavailable", call="subscribe_ticks"))
            return
        feeds.start_tick_feed(self, params)

    def stop_feed(self, kind: str, symbol: str, timeframe: str) -> None:
        """Stop the ``kind`` ("bars" / "ticks") feeds of ``symbol`` (one timeframe, or all when empty)."""
        feeds.stop_feed(self, kind, symbol, timeframe)

    def stop_all_feeds(self) -> None:
        """Stop every feed."""
        feeds.stop_all_feeds(self)

    def warm_up(self, symbol: str, timeframe: str, count: int) -> int | None:
        """Replay the terminal's last ``count`` completed bars into ``receive_bars``, every order refused
        meanwhile; the last replayed bar's time (epoch seconds), None when there was none."""
        return feeds.warm_up(self, symbol, timeframe, count)

    # ------------------------------------------------------------------ fills
    def start_deal_poller(self, interval_s: float = 0.25) -> DealPoller | None:
        """Start pushing the account's deals (stopping a poller already running); None when the terminal
        keeps no journal or the poller could not start (the reason is the last error)."""
        self.stop_deal_poller()
        terminal = self.terminal
        if terminal is None or getattr(type(terminal), "journal", None) is None:
            return None
        try:
            poller = DealPoller(self, terminal, interval_s)
        except Exception as exc:  # e.g. an unwritable journal: trading still works, fills are not pushed
            self.events.error(f"fills will not be pushed: the deal poller could not start ({exc})")
            return None
        self.deal_poller = poller
        return poller

    def stop_deal_poller(self) -> None:
        """Stop the deal poller (nothing to do without one)."""
        poller, self.deal_poller = self.deal_poller, None
        if poller is not None:
            poller.stop()

    def deliver_own_fill(self, deal_ticket: int | None) -> None:
        """Push the fill of an order this program just sent (and any deal before it not pushed yet) now,
        before ``send_order`` returns; each deal still reaches the callbacks once."""
        poller = self.deal_poller
        if poller is None:
            return
        if deal_ticket:
            poller.deliver_through(int(deal_ticket))
        else:
            poller.wake()  # a pending order: its fill (or end) comes from the server later

    # ------------------------------------------------------------------ orders
    def send_order(self, request: TradeRequest, params: dict, toggle: bool | None) -> str | None:
        """Send to the broker: journaled, idempotent by ``client_order_id``, checked by the risk guards."""
        terminal = self.terminal
        if terminal is None:
            self.refuse("", c.TRADE_RETCODE_CONNECTION, self.events.say("no_broker", call="send_order"), request)
            return None
        result = send_live(terminal, p.request_fields(request), params)
        poller = self.deal_poller
        if poller is not None:
            poller.wake()
        return self.answer_order(terminal, result, request)

    def placed(self, result: Any, request: TradeRequest) -> None:
        """Tell the strategy the order was placed, then push its fill before ``send_order`` returns."""
        self.events.order_status(str(result.order), result.retcode, result.comment, request, c.ORDER_STATE_PLACED)
        self.deliver_own_fill(result.deal)

    def request(self, request: dict, order_id: str, toggle: bool | None) -> bool:
        """Modify / cancel / SL-TP on the broker's account; its acceptance is pushed as a status."""
        return self.send_request(request, order_id, tell_placed=True)

    def report_source(self) -> BacktestResult | None:
        """The account's history (deals, open positions) as trades and a balance curve."""
        return result_from_live_history(self.terminal) if self.terminal is not None else None
