"""The MAS facade: the documented dict API over a terminal, and the callbacks.

``MAS`` translates each documented call into MetaTrader5 terminal calls and dispatches
what the terminal reports to ``receive_*`` callbacks. ``backtest_toggle`` only chooses the
terminal: the simulated one (a replay over historical data) or the live broker. The same
code path serves both.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from mas import params as p
from mas.i18n import message, normalise_lang, retcode_text
from mas.i18n.comments import localize
from mas.results import BacktestResult
from mas.terminal import constants as c
from mas.terminal.types import TradeRequest

log = logging.getLogger("mas")

_BAR_COLUMNS = ["time", "open", "high", "low", "close", "tick_volume", "spread", "real_volume"]
_ENTRY_NAMES = {c.DEAL_ENTRY_IN: "in", c.DEAL_ENTRY_OUT: "out", c.DEAL_ENTRY_INOUT: "inout",
                c.DEAL_ENTRY_OUT_BY: "out_by"}
_STATUS_ACTIONS = {c.TRADE_ACTION_MODIFY: "modify", c.TRADE_ACTION_REMOVE: "cancel"}
# receive_order_execution spells the stop-out out in full; trade records say "so"
_REASON_NAMES = {**c.DEAL_REASON_NAME, c.DEAL_REASON_SO: "stop_out"}


def _as_dicts(rows: Any, shape: Callable[[Any], dict] | None = None) -> list[dict]:
    """MT5 records as dicts: ``shape(row)`` (the API's shape, ``mas.api_records``), else ``row._asdict()``."""
    if not rows:
        return []
    return [shape(row) for row in rows] if shape is not None else [row._asdict() for row in rows]


class MAS:
    """Base class of MAS client programs: subclass it (or the ``mas`` module) and override
    the ``receive_*`` callbacks."""

    backtest_toggle: bool = True
    """The mode a strategy written for both sends its orders in (``"backtest_toggle":
    self.backtest_toggle``): True, the simulated account, unless ``mas live`` (or the program)
    sets it to False; ``mas backtest`` sets it to True."""

    # Class-level defaults keep the API usable even when a subclass forgets super().__init__().
    _lang = "en"
    _live: Any = None
    _live_login: dict | None = None
    _sim: Any = None
    _replaying = False
    _warming_up = False  # a live strategy replaying recent bars before it trades: orders are refused
    _result: BacktestResult | None = None
    _result_so_far: Callable[[], BacktestResult] | None = None  # the running replay's result up to its current bar
    _last_error: tuple[int, str] = (c.RES_S_OK, "")

    def __init__(self) -> None:
        self._lang = "en"
        self._live = None
        self._live_login = None
        self._sim = None
        self._replaying = False
        self._result = None
        self._last_error = (c.RES_S_OK, "")

    # ------------------------------------------------------------------ callbacks (no-ops)
    def receive_bars(self, symbol: str, data: dict, is_end: bool) -> None:
        """A completed bar: ``data`` has time, open, high, low, close, volume, timeframe."""

    def receive_ticks(self, symbol: str, data: dict, is_end: bool) -> None:
        """A tick: ``data`` has time, bid, ask, last, volume."""

    def receive_order_status(self, order_id: str, status_data: dict) -> None:
        """An order's new state: status, retcode (MT5 trade return codes), message, request."""

    def receive_order_execution(self, order_id: str, execution_data: dict) -> None:
        """A fill: price, volume, symbol, time, type, plus position_id, deal, profit, ..."""

    # ------------------------------------------------------------------ language and errors
    def set_lang(self, lang: str) -> None:
        """Switch every user-facing message to 'en', 'zh-tw' or 'zh-cn'."""
        self._lang = normalise_lang(lang)

    def _say(self, key: str, **values: Any) -> str:
        return message(self._lang, key, **values)

    def _error(self, text: str, code: int = c.RES_E_FAIL, level: int = logging.WARNING) -> None:
        self._last_error = (code, text)
        log.log(level, text)

    def last_error(self) -> tuple[int, str]:
        """(code, message) of the last failure, like the MetaTrader5 module's last_error()."""
        return self._last_error

    # ------------------------------------------------------------------ terminals
    def _terminal(self, params: dict | None = None) -> Any:
        """The terminal a call goes to: the replay while one runs, else as ``backtest_toggle``
        says, else the live broker when connected, else the last backtest's account."""
        toggle = p.backtest_toggle(params or {}, "this call")
        if self._replaying or toggle is True:
            return self._sim
        if toggle is False:
            return self._live
        return self._live if self._live is not None else self._sim

    def _catalog(self) -> Any:
        """A terminal that can answer symbol questions: the active one, else the built-in specs."""
        term = self._terminal()
        if term is None:
            from mas.backtest.session import idle_terminal

            term = idle_terminal()
        return term

    # ------------------------------------------------------------------ login and session
    def login(self, params: dict) -> bool:
        """Connect the live terminal and log in; False (never raises) with the reason in last_error().

        ``terminal``: "mt5" (default, the MetaTrader5 module; ``path`` = terminal executable),
        "mt5linux://host:port" or "sim://host:port"; ``profile``: a broker profile of
        ``$MAS_HOME/brokers.toml`` that fills in the rest (password from the call,
        ``MAS_PASSWORD_<PROFILE>`` or the OS keyring)."""
        from mas.live.connect import LoginError, connect_terminal

        params = dict(params or {})
        if params.get("profile") not in (None, ""):
            from mas.live.profiles import ProfileError, apply_profile

            try:
                params = apply_profile(params)
            except ProfileError as exc:
                self._error(f"login failed: {exc}", c.RES_E_INVALID_PARAMS)
                return False
        for field in ("account", "password", "server"):
            if params.get(field) in (None, ""):
                self._error(self._say("login_missing", field=field), c.RES_E_INVALID_PARAMS)
                return False
        try:
            account = int(str(params["account"]).strip())
        except ValueError:
            self._error(self._say("login_bad_account", account=params["account"]), c.RES_E_INVALID_PARAMS)
            return False
        try:
            terminal = connect_terminal(params, account)
        except LoginError as exc:
            if not exc.no_terminal:
                key = "login_rejected"
            elif exc.code == c.RES_E_INTERNAL_FAIL_CONNECT:
                key = "login_unreachable"  # installed, but nothing answers there: installing more would not help
            else:
                key = "login_no_terminal"
            self._error(self._say(key, reason=str(exc), account=account, server=params["server"]), exc.code)
            return False
        if self._live is not None:
            self.shutdown_mt5()
        self._live = terminal
        self._live_login = {"account": account, "server": params["server"], "timeout": params.get("timeout", 6000),
                            "path": params.get("path"), "terminal": str(params.get("terminal") or "mt5"),
                            "profile": params.get("profile")}
        from mas.live.fills import start_deal_poller

        start_deal_poller(self, float(params.get("poll_ms", 250)) / 1000)
        log.info(self._say("login_ok", account=account, server=params["server"]))
        return True

    def initialize_mt5(self) -> bool:
        """Initialize the logged-in live terminal (``login`` already does); False without a login, the
        reason in last_error()."""
        if self._live is None:
            self._error(self._say("no_broker", call="initialize_mt5"))
            return False
        return bool(self._live.initialize())

    def check_connection(self) -> bool:
        """Connected now: the simulated terminal during a replay, else the live broker."""
        if self._replaying:
            return True
        if self._live is None:
            return False
        info = self._live.terminal_info()
        return bool(info and info.connected)

    def reconnect_mt5(self) -> bool:
        """Drop and re-establish the live terminal's connection; True when it is back, False without an
        earlier login."""
        if self._live is None or self._live_login is None:
            self._error(self._say("no_broker", call="reconnect_mt5"))
            return False
        self._live.shutdown()
        return bool(self._live.initialize())

    def shutdown_mt5(self) -> None:
        """Release the live terminal: stop its deal poller and close the connection (nothing to do without one)."""
        from mas.live.fills import stop_deal_poller

        stop_deal_poller(self)
        if self._live is not None:
            self._live.shutdown()
        self._live = None

    def switch_account(self, params: dict) -> bool:
        """Shut the live terminal down and log in to another account (or ``profile``); live feeds
        carry on with the new one."""
        self.shutdown_mt5()
        return self.login(params)

    def get_version(self) -> dict:
        """``{"version": int, "build": int, "release_date": str}`` of the active terminal (the simulated one
        during a backtest, else the live broker's); ``{}`` on failure."""
        term = self._terminal()
        if term is None:
            self._error(self._say("no_broker", call="get_version"))
            return {}
        version = term.version()
        if not version:
            return {}
        return {"version": int(version[0]), "build": int(version[1]), "release_date": str(version[2])}

    def get_symbols(self, params: dict | None = None) -> list[dict]:
        """The symbols as dicts (name, description, trade_mode, digits, point, spread, trade_contract_size,
        volume_min, volume_max, volume_step, currency_base, currency_profit); ``group`` filters with MT5
        wildcards (``"*USD*"``). Without a terminal: the built-in symbol specs."""
        group = (params or {}).get("group")
        infos = self._catalog().symbols_get(group) if group else self._catalog().symbols_get()
        keys = ("name", "description", "trade_mode", "digits", "point", "spread", "trade_contract_size",
                "volume_min", "volume_max", "volume_step", "currency_base", "currency_profit")  # the original's order
        return [{k: getattr(info, k) for k in keys} for info in infos or ()]

    def get_symbols_total(self) -> int:
        """How many symbols the active terminal (else the built-in specs) knows; 0 on failure."""
        return int(self._catalog().symbols_total() or 0)

    # ------------------------------------------------------------------ market data
    def subscribe_bars(self, params: dict) -> None:
        """Backtest (``backtest_toggle`` True): replay the bars of the range into receive_bars and return
        when done. Live (False, the default): start a feed that pushes each new completed bar."""
        params = dict(params or {})
        p.check_keys(params, "subscribe_bars")  # before the toggle: a misspelt "backtest" must not start a live feed
        if p.backtest_toggle(params, "subscribe_bars", default=False):
            self._refuse_nested("subscribe_bars")
            from mas.backtest.session import run_bar_backtest

            self._result = None
            run_bar_backtest(self, params)
            return None
        if self._live is None:
            self._error(self._say("live_feed_unavailable", call="subscribe_bars"))
            return None
        from mas.live.feeds import start_bar_feed

        start_bar_feed(self, params)
        return None

    def subscribe_ticks(self, params: dict) -> None:
        """Backtest (``backtest_toggle`` True): replay the ticks of the range into receive_ticks and
        return when done. Live (False, the default): start a feed that pushes each new tick."""
        params = dict(params or {})
        p.check_keys(params, "subscribe_ticks")  # before the toggle: a misspelt "backtest" must not start a live feed
        if p.backtest_toggle(params, "subscribe_ticks", default=False):
            self._refuse_nested("subscribe_ticks")
            from mas.backtest.session import run_tick_backtest

            self._result = None
            run_tick_backtest(self, params)
            return None
        if self._live is None:
            self._error(self._say("live_feed_unavailable", call="subscribe_ticks"))
            return None
        from mas.live.feeds import start_tick_feed

        start_tick_feed(self, params)
        return None

    def _refuse_nested(self, call: str) -> None:
        """A backtest started from inside this client's own replay would replace the running replay's
        account: refused (another client instance runs its own, isolated backtest)."""
        if self._replaying:
            raise RuntimeError(self._say("nested_backtest", call=call))

    def unsubscribe_bars(self, params: dict) -> None:
        """Stop the live bar feed of ``symbol`` and ``timeframe``."""
        from mas.live.feeds import stop_feed

        stop_feed(self, "bars", p.symbol_name(params), str(params.get("timeframe", "")).upper())

    def unsubscribe_ticks(self, params: dict) -> None:
        """Stop the live tick feed of ``symbol``."""
        from mas.live.feeds import stop_feed

        stop_feed(self, "ticks", p.symbol_name(params), "")

    def stop_all_subscriptions(self) -> None:
        """Stop every live bar and tick feed of this client."""
        from mas.live.feeds import stop_all_feeds

        stop_all_feeds(self)

    def subscribe_market_book(self, params: dict) -> bool:
        """Subscribe to ``symbol``'s depth of market; True when the terminal accepted."""
        term = self._terminal(params)
        return bool(term is not None and term.market_book_add(p.symbol_name(params)))

    def get_market_book(self, params: dict) -> list[dict]:
        """``symbol``'s depth of market (subscribe first) as ``{"type": 1 ask / 2 bid, "price", "volume",
        "volume_dbl"}`` rows sorted by price; ``[]`` when not subscribed."""
        term = self._terminal(params)
        if term is None:
            return []
        book = term.market_book_get(p.symbol_name(params)) or ()
        rows = [{"type": int(b.type), "price": float(b.price), "volume": int(b.volume),
                 "volume_dbl": float(b.volume_dbl)} for b in book]
        return sorted(rows, key=lambda r: r["price"])

    def unsubscribe_market_book(self, params: dict) -> bool:
        """Release the depth-of-market subscription of ``symbol``; True when released."""
        term = self._terminal(params)
        return bool(term is not None and term.market_book_release(p.symbol_name(params)))

    def get_bars_from_pos(self, params: dict) -> pd.DataFrame:
        """``count`` bars ending ``start_pos`` bars before the newest known one, newest last.
        During a replay the newest known bar is the replay's current bar: never a future one."""
        from mas.data.timeframes import TIMEFRAMES, timeframe_name

        try:
            symbol = p.symbol_name(params)
            tf = timeframe_name(params.get("timeframe", ""))
            count = p.whole(params, "count", 100, minimum=1)
            start_pos = p.whole(params, "start_pos", 0, minimum=0)
        except ValueError as exc:
            self._error(f"get_bars_from_pos: {exc}", c.RES_E_INVALID_PARAMS)
            return pd.DataFrame(columns=_BAR_COLUMNS)
        term = self._terminal(params)
        if term is not None:
            rates = term.copy_rates_from_pos(symbol, TIMEFRAMES[tf], start_pos, count)
        else:
            from mas.data.store import MissingDataError, load_bars

            try:
                rates = load_bars(symbol, tf).rates
            except MissingDataError as exc:
                self._error(str(exc), c.RES_E_NOT_FOUND)
                rates = None
            if rates is not None:
                end = len(rates) - start_pos
                rates = rates[max(0, end - count): max(0, end)]
        if rates is None:
            return pd.DataFrame(columns=_BAR_COLUMNS)
        frame = pd.DataFrame(rates)
        frame["time"] = pd.to_datetime(frame["time"], unit="s")
        return frame[_BAR_COLUMNS].reset_index(drop=True)

    # ------------------------------------------------------------------ trading
    def send_order(self, params: dict) -> str | None:
        """Send an order; the order id as str, or None when it is rejected (reason pushed to
        receive_order_status and last_error()). A malformed request raises ValueError naming the field.

        Fields of ``params``:

        - ``backtest_toggle`` (required): True, the simulated account; False, the live broker.
        - ``symbol``: e.g. ``"EURUSD"``.
        - ``order_type``: ``buy``, ``sell`` (market); ``buy_limit``, ``sell_limit``, ``buy_stop``,
          ``sell_stop``, ``buy_stop_limit``, ``sell_stop_limit`` (pending).
        - ``volume``: lots.
        - ``price``: the pending order's price (ignored for market orders).
        - ``sl``, ``tp``: stop loss and take profit prices (optional).
        - ``stoplimit``: the limit price a stop-limit order places when its stop ``price`` is reached.
        - ``deviation``: accepted slippage in points (default 10).
        - ``magic``: expert id (default 123456).
        - ``comment``: default "MAS Order".
        - ``type_time``: MT5 ``ORDER_TIME_*`` (default GTC; SPECIFIED when ``expiration`` is given).
        - ``expiration``: datetime or "YYYY-MM-DD[ HH:MM:SS]" when a pending order expires.
        - ``type_filling``: MT5 ``ORDER_FILLING_*`` (default FOK).
        - ``position``: ticket of the position to close or modify.
        - ``position_by``: the opposite position, for a close-by in a hedging account.
        - ``order_id``: the id an earlier order returned; a ``sell`` carrying a ``buy``'s ``order_id``
          closes the position that buy opened (and vice versa). Without it an opposite order opens a new
          position (hedging) or reduces or reverses the net one (netting).
        - ``client_order_id`` (live, an extension): your own id; a resend with the same id after a crash
          returns the existing order instead of sending a second one.
        """
        params = dict(params or {})
        toggle = p.backtest_toggle(params, "send_order")
        request = p.order_trade_request(params, self._position_of)
        if self._warming_up:
            log.debug("send_order during the warm-up on recent bars: refused, nothing sent")
            return None
        if not toggle and self._replaying:
            text = self._say("live_in_backtest")
            self._error(text, c.RES_E_FAIL, logging.ERROR)
            self._push_status("", c.TRADE_RETCODE_REJECT, text, request, c.ORDER_STATE_REJECTED)
            return None
        term = self._sim if toggle else self._live
        if term is None:
            if toggle:
                from mas.backtest.session import idle_terminal

                term = idle_terminal()
            else:
                text = self._say("no_broker", call="send_order")
                self._error(text, c.RES_E_FAIL)
                self._push_status("", c.TRADE_RETCODE_CONNECTION, text, request, c.ORDER_STATE_REJECTED)
                return None
        if toggle:
            result = term.order_send(request)
        else:
            from mas.live.fills import wake_deal_poller
            from mas.live.orders import send_live

            result = send_live(self, term, p.request_fields(request), params)
            wake_deal_poller(self)
        if result is None:
            code, text = term.last_error()
            text = localize(text, self._lang)
            self._error(f"send_order: {text}", code)
            self._push_status("", c.TRADE_RETCODE_ERROR, text, request, c.ORDER_STATE_REJECTED)
            return None
        if result.retcode in (c.TRADE_RETCODE_DONE, c.TRADE_RETCODE_PLACED, c.TRADE_RETCODE_DONE_PARTIAL):
            if not toggle:  # the simulated terminal reports its own order updates
                self._push_status(str(result.order), result.retcode, result.comment, request, c.ORDER_STATE_PLACED)
                from mas.live.fills import deliver_own_fill

                deliver_own_fill(self, result.deal)  # its fill reaches receive_order_execution before the return
            return str(result.order)
        text = self._say("order_result", order_id="-", retcode_text=retcode_text(self._lang, result.retcode),
                         retcode=result.retcode,
                         detail=f": {localize(result.comment, self._lang)}" if result.comment else "")
        self._error(text, c.RES_E_FAIL)
        self._push_status(str(result.order or ""), result.retcode, text, request, c.ORDER_STATE_REJECTED)
        return None

    def _order_request(self, params: dict) -> dict:
        """The MT5 trade request for a MAS ``send_order`` dict (validates the fields)."""
        return p.order_request(params, self._position_of)

    def _position_of(self, ticket: int, params: dict) -> int:
        """The position an ``order_id`` refers to: the position its order opened (MAS convention);
        a ticket that is already a position id is used as is."""
        term = self._sim if self._replaying else self._terminal(params)
        if term is None:
            return ticket
        if term is self._sim:  # the simulated terminal's shortcut
            if term.has_position(ticket):
                return ticket
        elif term.positions_get(ticket=ticket):
            return ticket
        orders = term.history_orders_get(ticket=ticket)
        if orders and orders[0].position_id:
            return int(orders[0].position_id)
        return ticket

    def modify_order(self, params: dict) -> bool:
        """Change a pending order's price, sl, tp, stoplimit, expiration or comment."""
        params = dict(params or {})
        p.check_keys(params, "modify_order")
        order_id = p.ticket(params, "order_id")
        request = {"action": c.TRADE_ACTION_MODIFY, "order": order_id,
                   "price": p.number(params, "price", positive=True),
                   "sl": p.optional_price(params, "sl"), "tp": p.optional_price(params, "tp"),
                   "stoplimit": p.optional_price(params, "stoplimit"),
                   "comment": str(params.get("comment", "Modified by MAS"))}
        if params.get("expiration") not in (None, ""):
            request["expiration"] = p.parse_time(params["expiration"], "expiration")
            request["type_time"] = c.ORDER_TIME_SPECIFIED
        return self._simple_request(params, request, str(order_id))

    def cancel_order(self, params: dict) -> bool:
        """Cancel a pending order (``order_id``); True when the terminal removed it."""
        params = dict(params or {})
        p.check_keys(params, "cancel_order")
        order_id = p.ticket(params, "order_id")
        request = {"action": c.TRADE_ACTION_REMOVE, "order": order_id,
                   "comment": str(params.get("comment", "Cancel by MAS"))}
        return self._simple_request(params, request, str(order_id))

    def modify_position_sltp(self, params: dict) -> bool:
        """Set a position's SL and/or TP (the one not given keeps its current value)."""
        params = dict(params or {})
        p.check_keys(params, "modify_position_sltp")
        position_id = p.ticket(params, "position_id")
        if params.get("sl") is None and params.get("tp") is None:
            raise ValueError("sl/tp: modify_position_sltp needs sl, tp or both")
        term = self._terminal(params)
        current = term.positions_get(ticket=position_id) if term is not None else None
        if not current:
            text = f"modify_position_sltp: position {position_id} is not open"
            self._error(text, c.RES_E_NOT_FOUND)
            self._push_status(str(position_id), c.TRADE_RETCODE_POSITION_CLOSED, text, {}, c.ORDER_STATE_REJECTED)
            return False
        pos = current[0]
        request = {"action": c.TRADE_ACTION_SLTP, "position": position_id, "symbol": pos.symbol,
                   "sl": p.optional_price(params, "sl") if params.get("sl") is not None else pos.sl,
                   "tp": p.optional_price(params, "tp") if params.get("tp") is not None else pos.tp}
        return self._simple_request(params, request, str(position_id))

    def _simple_request(self, params: dict, request: dict, order_id: str) -> bool:
        if self._replaying and p.backtest_toggle(params, "order request") is False:
            text = self._say("live_in_backtest")
            self._error(text, c.RES_E_FAIL, logging.ERROR)
            self._push_status(order_id, c.TRADE_RETCODE_REJECT, text, request, c.ORDER_STATE_REJECTED)
            return False
        term = self._terminal(params)
        if term is None:
            self._error(self._say("no_broker", call="order request"))
            return False
        result = term.order_send(request)
        if result is not None and result.retcode == c.TRADE_RETCODE_DONE:
            if term is self._live:
                self._push_status(order_id, result.retcode, result.comment, request, c.ORDER_STATE_PLACED)
            return True
        retcode = result.retcode if result is not None else c.TRADE_RETCODE_ERROR
        detail = result.comment if result is not None else term.last_error()[1]
        text = self._say("order_result", order_id=order_id, retcode_text=retcode_text(self._lang, retcode),
                         retcode=retcode, detail=f": {localize(detail, self._lang)}" if detail else "")
        self._error(text)
        self._push_status(order_id, retcode, text, request, c.ORDER_STATE_REJECTED)
        return False

    def order_check(self, params: dict) -> dict:
        """Check an order (``send_order``'s fields) without sending it: retcode (0 when it would be
        accepted), balance, equity, profit, margin, margin_free, margin_level and comment after it;
        ``{}`` on failure (reason in last_error())."""
        params = dict(params or {})
        term = self._terminal(params)
        try:
            request = self._order_request({**params, "backtest_toggle": True})
        except ValueError as exc:
            self._error(f"order_check: {exc}", c.RES_E_INVALID_PARAMS)
            return {}
        if term is None:
            self._error(self._say("no_broker", call="order_check"))
            return {}
        result = term.order_check(request)
        if result is None:
            return {}
        out = result._asdict()
        out.pop("request", None)
        return out

    def calc_order_margin(self, params: dict) -> float:
        """Margin in the account currency for ``action`` ("buy"/"sell") of ``volume`` lots of ``symbol`` at
        ``price``; -1.0 on failure (reason in last_error())."""
        return self._calc(params, "margin")

    def calc_order_profit(self, params: dict) -> float:
        """Profit in the account currency of ``action`` ("buy"/"sell") of ``volume`` lots of ``symbol``
        opened at ``price_open`` and closed at ``price_close``; -1.0 on failure (reason in last_error())."""
        return self._calc(params, "profit")

    def _calc(self, params: dict, what: str) -> float:
        params = dict(params or {})
        action = str(params.get("action", "")).lower()
        try:
            if action not in ("buy", "sell"):
                raise ValueError(f"action: expected 'buy' or 'sell', got {params.get('action')!r}")
            symbol = p.symbol_name(params)
            volume = p.number(params, "volume", positive=True)
            mt5_action = c.ORDER_TYPE_BUY if action == "buy" else c.ORDER_TYPE_SELL
            term = self._terminal(params) or self._catalog()
            if what == "margin":
                value = term.order_calc_margin(mt5_action, symbol, volume, p.number(params, "price", positive=True))
            else:
                value = term.order_calc_profit(mt5_action, symbol, volume,
                                               p.number(params, "price_open", positive=True),
                                               p.number(params, "price_close", positive=True))
        except ValueError as exc:
            self._error(f"calc_order_{what}: {exc}", c.RES_E_INVALID_PARAMS)
            return -1.0
        if value is None:
            self._error(f"calc_order_{what}: {localize(term.last_error()[1], self._lang)}", c.RES_E_FAIL)
            return -1.0
        return float(value)

    # ------------------------------------------------------------------ account
    def get_account_info(self) -> dict:
        """The account as a dict (login, trade_mode, leverage, margin_mode, balance, credit, profit, equity,
        margin, margin_free, margin_level, margin_so_call, margin_so_so, currency, server, company, ...): the
        replay's account during a backtest, else the live broker's, else the last backtest's;
        ``{"error": str}`` on failure."""
        term = self._terminal()
        if term is None:
            return {"error": self._say("no_broker", call="get_account_info")}
        info = term.account_info()
        if info is None:
            return {"error": term.last_error()[1]}
        return info._asdict()

    def get_positions(self, params: dict | None = None) -> list[dict]:
        """Open positions; times as datetime, ``order_id`` = the order that opened each one."""
        from mas.api_records import position_dict

        term = self._terminal(params)
        return _as_dicts(term.positions_get(**_filters(params)), position_dict) if term is not None else []

    def get_pending_orders(self, params: dict | None = None) -> list[dict]:
        """Active pending orders; times as datetime (``time_expiration`` / ``time_done`` None while unset)."""
        from mas.api_records import order_dict

        term = self._terminal(params)
        rows = term.orders_get(**_filters(params)) if term is not None else None
        return _as_dicts(rows, lambda row: order_dict(row, with_state=False))

    def get_orders_total(self) -> int:
        """How many pending orders are active."""
        term = self._terminal()
        return int(term.orders_total() or 0) if term is not None else 0

    def _history_args(self, params: dict | None) -> dict:
        params = dict(params or {})
        start = p.parse_time(params.get("from", "2000-01-01"), "from")
        end = p.parse_time(params["to"], "to", end_of_day=True) if params.get("to") else datetime(2100, 1, 1)
        args: dict[str, Any] = {"date_from": start, "date_to": end}
        if params.get("ticket") not in (None, ""):
            args["ticket"] = p.ticket(params, "ticket")
        if params.get("position") not in (None, ""):
            args["position"] = p.ticket(params, "position")
        if params.get("symbol"):
            args["group"] = p.symbol_name(params)
        return args

    def get_history_orders(self, params: dict | None = None) -> list[dict]:
        """Ended orders (filled, canceled, expired, rejected) with ``state``; times as datetime."""
        from mas.api_records import order_dict

        term = self._terminal(params)
        rows = term.history_orders_get(**self._history_args(params)) if term is not None else None
        return _as_dicts(rows, lambda row: order_dict(row, with_state=True))

    def get_history_orders_total(self, params: dict | None = None) -> int:
        """How many ended orders ``get_history_orders`` returns for the same ``from``/``to`` (and filters)."""
        return len(self.get_history_orders(params))

    def get_order_history(self, params: dict | None = None) -> list[dict]:
        """Deals (MT5 history deals) with the documented fields."""
        from mas.api_records import deal_dict

        term = self._terminal(params)
        return _as_dicts(term.history_deals_get(**self._history_args(params)), deal_dict) if term is not None else []

    # ------------------------------------------------------------------ backtest helpers
    @staticmethod
    def get_start_date(to_date: Any, timeframe: str, kbar_num: int) -> str:
        """``to_date`` minus ceil(kbar_num / 5) whole weeks (5 trading days a week); D1 only."""
        if str(timeframe).upper() != "D1":
            raise ValueError(f"timeframe: get_start_date supports only 'D1', got {timeframe!r}")
        if isinstance(kbar_num, bool) or not isinstance(kbar_num, int) or kbar_num < 0:
            raise ValueError(f"kbar_num: expected a whole number >= 0, got {kbar_num!r}")
        end = p.parse_time(to_date, "to_date")
        return (end - timedelta(weeks=math.ceil(kbar_num / 5))).strftime("%Y-%m-%d")

    # ------------------------------------------------------------------ reports
    @property
    def backtest_result(self) -> BacktestResult | None:
        """The last backtest's trades, equity curve and settings (None before the first run)."""
        return self._result

    def _report_source(self) -> BacktestResult | None:
        """The last backtest's result; during a replay (a report asked for at ``is_end``), the running
        replay's result up to its current bar; else the live account's history."""
        if self._result is not None:
            return self._result
        if self._replaying and self._result_so_far is not None:
            return self._result_so_far()
        if self._live is not None:
            from mas.live.history import result_from_live_history

            return result_from_live_history(self._live)
        return None

    def generate_data_report(self, params: dict | None = None) -> dict:
        """``{"status": True, "data": {...}}``: general_data, performance_metrics, win_loss_ratio, the yearly
        returns, drawdowns and P&L, and data_source (the trades as JSON) of the last backtest (the running
        one when asked at ``is_end``), else of the live account's history; ``{"status": False, "error": str}``
        when there is nothing to report."""
        from mas.reports.data_report import build_data_report

        result = self._report_source()
        if result is None:
            return {"status": False, "error": self._say("no_report_data")}
        return build_data_report(result)

    def generate_kpi_report(self, params: dict | None = None) -> dict:
        """Write the HTML KPI tear sheet of the same trades as ``generate_data_report``:
        ``{"status": True, "path": str}`` or ``{"status": False, "error": str}``. ``params``: ``report_dir``
        (default ``$MAS_REPORT_DIR``, else ./mas_reports), ``self_contained`` (True: plotly.js inside the page)."""
        from mas.reports.kpi import write_kpi_report

        return self._write_report(params, write_kpi_report)

    def generate_trade_chart(self, params: dict | None = None) -> dict:
        """Write the interactive trade chart (candles with entry/exit markers, equity curve, cumulative P&L);
        the same answer and ``params`` as ``generate_kpi_report``."""
        from mas.reports.chart import write_trade_chart

        return self._write_report(params, write_trade_chart)

    def _write_report(self, params: dict | None, writer: Callable[..., Any]) -> dict:
        """``params``: ``report_dir`` (default ``$MAS_REPORT_DIR``, else ./mas_reports) and
        ``self_contained`` (True: plotly.js inside the page, for a file sent on its own; default: one
        shared plotly file in the report folder)."""
        from mas.reports.output import resolve_report_dir

        result = self._report_source()
        if result is None:
            return {"status": False, "error": self._say("no_report_data")}
        self_contained = (params or {}).get("self_contained", False)
        if self_contained is not True and self_contained is not False:
            return {"status": False, "error": f"self_contained: expected True or False, got {self_contained!r}"}
        try:
            path = writer(result, resolve_report_dir(params), type(self).__name__, self_contained=self_contained)
        except (OSError, ValueError) as exc:
            return {"status": False, "error": f"could not write the report: {exc}"}
        return {"status": True, "path": str(path)}

    # ------------------------------------------------------------------ dispatch
    def _push_status(self, order_id: str, retcode: int, text: str, request: dict | TradeRequest, state: int) -> None:
        fields = p.request_fields(request) if isinstance(request, TradeRequest) else dict(request)
        status = {"status": int(retcode), "retcode": int(retcode), "message": text, "request": fields,
                  "state": int(state)}
        action = _STATUS_ACTIONS.get(fields.get("action"))  # the original marks modify and cancel answers
        if action is not None:
            status["action"] = action
        self.receive_order_status(order_id, status)

    def _push_execution(self, deal: Any, order_type: int) -> None:
        """Translate one MT5 deal into ``receive_order_execution``."""
        data = {
            "price": float(deal.price), "volume": float(deal.volume), "symbol": deal.symbol,
            "time": datetime(1970, 1, 1) + timedelta(seconds=int(deal.time)),
            "type": "buy" if deal.type == c.DEAL_TYPE_BUY else "sell",
            "order_type": c.ORDER_TYPE_NAME.get(int(order_type), str(order_type)),
            "position_id": int(deal.position_id), "deal": int(deal.ticket),
            "entry": _ENTRY_NAMES.get(int(deal.entry), str(deal.entry)),
            "reason": _REASON_NAMES.get(int(deal.reason), str(deal.reason)),
            "profit": float(deal.profit), "commission": float(deal.commission), "swap": float(deal.swap),
        }
        self.receive_order_execution(str(deal.order), data)


def _filters(params: dict | None) -> dict:
    params = dict(params or {})
    out: dict[str, Any] = {}
    if params.get("symbol"):
        out["symbol"] = p.symbol_name(params)
    if params.get("group"):
        out["group"] = str(params["group"])
    if params.get("ticket") not in (None, ""):
        out["ticket"] = p.ticket(params, "ticket")
    return out
