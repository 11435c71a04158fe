"""The MAS facade: the documented dict API over a terminal, and the callbacks.

``MAS`` validates each documented call's parameters and translates it into MetaTrader5 terminal
calls on the session that ``backtest_toggle`` picks: the backtest session (a replay over historical
data on the simulated terminal, :mod:`mas.backtest.session`) or the live session (the broker's
terminal, :mod:`mas.live.session`). Picking the session is its only branch on the mode; what the
sessions report reaches the ``receive_*`` callbacks through :mod:`mas.sessions`.

Everything the facade keeps about a strategy is one private holder, a
:class:`~mas.sessions.state.ClientState` in a name-mangled attribute, so a strategy's own
``self._result`` or ``self._live`` cannot clash with it; other modules reach it with
:func:`state_of`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from mas import params as p
from mas.i18n import InputError, normalise_lang
from mas.i18n.comments import localize
from mas.results import BacktestResult
from mas.sessions import ClientState, Session
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.backtest.session import BacktestSession
    from mas.live.session import LiveSession
    from mas.sessions import StrategyEvents

log = logging.getLogger("mas")

_BAR_COLUMNS = ["time", "open", "high", "low", "close", "tick_volume", "spread", "real_volume"]


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

    # The one private holder, made on first use: a subclass that forgets super().__init__() still works.
    __state: ClientState | None = None

    def __init__(self) -> None:
        self.__state = None

    def __new_state(self) -> ClientState:
        state = self.__state = ClientState(self, MAS, _new_backtest_session, _new_live_session)
        return state

    def __session(self, params: dict | None = None) -> Session:
        """The session a call goes to, as ``backtest_toggle`` (in ``params``) says: the one place the
        facade chooses between backtest and live (:meth:`ClientState.session`)."""
        state = self.__state or self.__new_state()
        return state.session(p.backtest_toggle(params or {}, "this call"))

    def __terminal(self, params: dict | None = None) -> Any:
        """The terminal a call goes to: the replay's while one runs, else as ``backtest_toggle`` says, else
        the live broker's when logged in, else the last backtest's account (None: none of them)."""
        return self.__session(params).terminal

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
        (self.__state or self.__new_state()).lang = normalise_lang(lang)

    def __say(self, key: str, **values: Any) -> str:
        return (self.__state or self.__new_state()).say(key, **values)

    def __error(self, text: str, code: int = c.RES_E_FAIL, level: int = logging.WARNING) -> None:
        (self.__state or self.__new_state()).error(text, code, level)

    def last_error(self) -> tuple[int, str]:
        """(code, message) of the last failure, like the MetaTrader5 module's last_error()."""
        return (self.__state or self.__new_state()).last_error

    def __catalog(self) -> Any:
        """A terminal that can answer symbol questions: the active one, else the built-in specs."""
        return self.__session().catalog()

    # ------------------------------------------------------------------ login and session
    def login(self, params: dict) -> bool:
        """Connect the live terminal and log in; False (never raises) with the reason in last_error().

        ``terminal``: "mt5" (default, the MetaTrader5 module; ``path`` = terminal executable),
        "mt5linux://host:port" or "sim://host:port"; ``profile``: a broker profile of
        ``$MAS_HOME/brokers.toml`` that fills in the rest (password from the call,
        ``MAS_PASSWORD_<PROFILE>`` or the OS keyring)."""
        from mas.live.connect import LoginError, connect_terminal

        params = dict(params or {})
        live = (self.__state or self.__new_state()).live_session()
        answered, answer = self.__answered_by_session("login", params, live)
        if answered:  # e.g. {"group": NAME}: the live session logs in to every account of the group
            return bool(answer)
        if params.get("profile") not in (None, ""):
            from mas.live.profiles import ProfileError, apply_profile

            try:
                params = apply_profile(params)
            except ProfileError as exc:
                self.__error(self.__say("login_failed", reason=exc), c.RES_E_INVALID_PARAMS)
                return False
        for field in ("account", "password", "server"):
            if params.get(field) in (None, ""):
                self.__error(self.__say("login_missing", field=field), c.RES_E_INVALID_PARAMS)
                return False
        try:
            account = int(str(params["account"]).strip())
        except ValueError:
            self.__error(self.__say("login_bad_account", account=params["account"]), c.RES_E_INVALID_PARAMS)
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
            self.__error(self.__say(key, reason=exc, account=account, server=params["server"]), exc.code)
            return False
        login_info = {"account": account, "server": params["server"], "timeout": params.get("timeout", 6000),
                      "path": params.get("path"), "terminal": str(params.get("terminal") or "mt5"),
                      "profile": params.get("profile")}
        live = (self.__state or self.__new_state()).live_session()
        if live.terminal is not None:
            self.shutdown_mt5()
        live.connect(terminal, login_info, float(params.get("poll_ms", 250)) / 1000)
        log.info(self.__say("login_ok", account=account, server=params["server"]))
        return True

    @staticmethod
    def __answered_by_session(call: str, params: dict, session: Session | None) -> tuple[bool, Any]:
        """(True, the answer) when ``session`` answers ``call`` itself (:meth:`Session.handles`, e.g. a group
        session's login or an order naming a group's parent), else (False, None): the facade's own path."""
        if session is not None and session.answers_calls and session.handles(call, params):
            return True, session.handle(call, params)
        return False, None

    def initialize_mt5(self) -> bool:
        """Initialize the logged-in live terminal (``login`` already does); False without a login, the
        reason in last_error()."""
        return (self.__state or self.__new_state()).live_session().initialize()

    def check_connection(self) -> bool:
        """Connected now: the simulated terminal during a replay, else the live broker."""
        return self.__session().connected()

    def reconnect_mt5(self) -> bool:
        """Drop and re-establish the live terminal's connection; True when it is back, False without an
        earlier login."""
        return (self.__state or self.__new_state()).live_session().reconnect()

    def shutdown_mt5(self) -> None:
        """Release the live terminal: stop its deal poller and close the connection (nothing to do without one)."""
        live = (self.__state or self.__new_state()).live
        if live is not None:
            live.shutdown()

    def switch_account(self, params: dict) -> bool:
        """Shut the live terminal down and log in to another account (or ``profile``); live feeds
        carry on with the new one."""
        self.shutdown_mt5()
        return self.login(params)

    def get_version(self) -> dict:
        """``{"version": int, "build": int, "release_date": str}`` of the active terminal (the simulated one
        during a backtest, else the live broker's); ``{}`` on failure."""
        term = self.__terminal()
        if term is None:
            self.__error(self.__say("no_broker", call="get_version"))
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
        infos = self.__catalog().symbols_get(group) if group else self.__catalog().symbols_get()
        keys = ("name", "description", "trade_mode", "digits", "point", "spread", "trade_contract_size",
                "volume_min", "volume_max", "volume_step", "currency_base", "currency_profit")  # the original's order
        return [{k: getattr(info, k) for k in keys} for info in infos or ()]

    def get_symbols_total(self) -> int:
        """How many symbols the active terminal (else the built-in specs) knows; 0 on failure."""
        return int(self.__catalog().symbols_total() or 0)

    # ------------------------------------------------------------------ market data
    def subscribe_bars(self, params: dict) -> None:
        """Backtest (``backtest_toggle`` True): replay the bars of the range into receive_bars and return
        when done. Live (False, the default): start a feed that pushes each new completed bar."""
        params = dict(params or {})
        p.check_keys(params, "subscribe_bars")  # before the toggle: a misspelt "backtest" must not start a live feed
        backtest = bool(p.backtest_toggle(params, "subscribe_bars", default=False))
        (self.__state or self.__new_state()).mode(backtest).subscribe_bars(params)

    def subscribe_ticks(self, params: dict) -> None:
        """Backtest (``backtest_toggle`` True): replay the ticks of the range into receive_ticks and
        return when done. Live (False, the default): start a feed that pushes each new tick."""
        params = dict(params or {})
        p.check_keys(params, "subscribe_ticks")  # before the toggle: a misspelt "backtest" must not start a live feed
        backtest = bool(p.backtest_toggle(params, "subscribe_ticks", default=False))
        (self.__state or self.__new_state()).mode(backtest).subscribe_ticks(params)

    def unsubscribe_bars(self, params: dict) -> None:
        """Stop the live bar feed of ``symbol`` and ``timeframe``."""
        symbol, timeframe = p.symbol_name(params), str(params.get("timeframe", "")).upper()
        live = (self.__state or self.__new_state()).live
        if live is not None:
            live.stop_feed("bars", symbol, timeframe)

    def unsubscribe_ticks(self, params: dict) -> None:
        """Stop the live tick feed of ``symbol``."""
        symbol = p.symbol_name(params)
        live = (self.__state or self.__new_state()).live
        if live is not None:
            live.stop_feed("ticks", symbol, "")

    def stop_all_subscriptions(self) -> None:
        """Stop every live bar and tick feed of this client."""
        live = (self.__state or self.__new_state()).live
        if live is not None:
            live.stop_all_feeds()

    def subscribe_market_book(self, params: dict) -> bool:
        """Subscribe to ``symbol``'s depth of market; True when the terminal accepted."""
        term = self.__terminal(params)
        return bool(term is not None and term.market_book_add(p.symbol_name(params)))

    def get_market_book(self, params: dict) -> list[dict]:
        """``symbol``'s depth of market (subscribe first) as ``{"type": 1 ask / 2 bid, "price", "volume",
        "volume_dbl"}`` rows sorted by price; ``[]`` when not subscribed."""
        term = self.__terminal(params)
        if term is None:
            return []
        book = term.market_book_get(p.symbol_name(params)) or ()
        rows = [{"type": int(b.type), "price": float(b.price), "volume": int(b.volume),
                 "volume_dbl": float(b.volume_dbl)} for b in book]
        return sorted(rows, key=lambda r: r["price"])

    def unsubscribe_market_book(self, params: dict) -> bool:
        """Release the depth-of-market subscription of ``symbol``; True when released."""
        term = self.__terminal(params)
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
            self.__error(self.__say("call_failed", call="get_bars_from_pos", reason=exc), c.RES_E_INVALID_PARAMS)
            return pd.DataFrame(columns=_BAR_COLUMNS)
        term = self.__terminal(params)
        if term is not None:
            rates = term.copy_rates_from_pos(symbol, TIMEFRAMES[tf], start_pos, count)
        else:
            from mas.data.store import MissingDataError, load_bars

            try:
                rates = load_bars(symbol, tf).rates
            except MissingDataError as exc:
                self.__error(self.__say("error_reason", reason=exc), c.RES_E_NOT_FOUND)
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
          position (hedging) or reduces or reverses the net one (netting). After ``login({"group": ...})``, the
          parent id a group order returned: every child is closed, wholly or (a smaller ``volume``) in part.
        - ``client_order_id`` (live, an extension): your own id; a resend with the same id after a crash
          returns the existing order instead of sending a second one.
        """
        state = self.__state
        if state is not None and type(params) is dict and params.get("backtest_toggle") is True:
            desk = state.order_desk()  # a replay's order desk: the request built and sent in one compiled call
            if desk is not None:
                return desk.send(params)
        params = dict(params or {})
        toggle = p.backtest_toggle(params, "send_order")
        state = state or self.__new_state()
        session = state.order_session(toggle)
        target = session or state.mode(bool(toggle))
        if target.answers_calls and target.handles("send_order", params):
            # e.g. a close naming a group's parent order: the session closes every child
            return target.handle("send_order", params)
        if session is None:
            p.order_trade_request(params, self.__position_of)  # a malformed order still raises
            log.debug("send_order during the warm-up on recent bars: refused, nothing sent")
            return None
        # the session the order goes to is the one that turns its order_id into a position (a replay's, the live one)
        return session.send_params(params, toggle)

    def __order_request(self, params: dict) -> dict:
        """The MT5 trade request for a MAS ``send_order`` dict (validates the fields)."""
        return p.order_request(params, self.__position_of)

    def __position_of(self, ticket: int, params: dict) -> int:
        """The position an ``order_id`` refers to: the position its order opened (MAS convention);
        a ticket that is already a position id is used as is."""
        return self.__session(params).position_of(ticket)

    def modify_order(self, params: dict) -> bool:
        """Change a pending order's price, sl, tp, stoplimit, expiration or comment."""
        params = dict(params or {})
        p.check_keys(params, "modify_order")
        answered, answer = self.__answered_by_session("modify_order", params, self.__request_session(params))
        if answered:  # e.g. a group's parent order: the session acts on every child
            return bool(answer)
        order_id = p.ticket(params, "order_id")
        request = {"action": c.TRADE_ACTION_MODIFY, "order": order_id,
                   "price": p.number(params, "price", positive=True),
                   "sl": p.optional_price(params, "sl"), "tp": p.optional_price(params, "tp"),
                   "stoplimit": p.optional_price(params, "stoplimit"),
                   "comment": str(params.get("comment", "Modified by MAS"))}
        if params.get("expiration") not in (None, ""):
            request["expiration"] = p.parse_time(params["expiration"], "expiration")
            request["type_time"] = c.ORDER_TIME_SPECIFIED
        return self.__simple_request(params, request, str(order_id))

    def cancel_order(self, params: dict) -> bool:
        """Cancel a pending order (``order_id``); True when the terminal removed it."""
        params = dict(params or {})
        p.check_keys(params, "cancel_order")
        answered, answer = self.__answered_by_session("cancel_order", params, self.__request_session(params))
        if answered:  # e.g. a group's parent order: the session acts on every child
            return bool(answer)
        order_id = p.ticket(params, "order_id")
        request = {"action": c.TRADE_ACTION_REMOVE, "order": order_id,
                   "comment": str(params.get("comment", "Cancel by MAS"))}
        return self.__simple_request(params, request, str(order_id))

    def modify_position_sltp(self, params: dict) -> bool:
        """Set a position's SL and/or TP (the one not given keeps its current value)."""
        params = dict(params or {})
        p.check_keys(params, "modify_position_sltp")
        answered, answer = self.__answered_by_session("modify_position_sltp", params, self.__request_session(params))
        if answered:  # e.g. a group's parent order: the session acts on every child
            return bool(answer)
        position_id = p.ticket(params, "position_id")
        if params.get("sl") is None and params.get("tp") is None:
            raise InputError("sltp_missing")
        session = self.__session(params)
        term = session.terminal
        current = term.positions_get(ticket=position_id) if term is not None else None
        if not current:
            text = f"modify_position_sltp: position {position_id} is not open"
            session.refuse(str(position_id), c.TRADE_RETCODE_POSITION_CLOSED, text, {}, c.RES_E_NOT_FOUND)
            return False
        pos = current[0]
        request = {"action": c.TRADE_ACTION_SLTP, "position": position_id, "symbol": pos.symbol,
                   "sl": p.optional_price(params, "sl") if params.get("sl") is not None else pos.sl,
                   "tp": p.optional_price(params, "tp") if params.get("tp") is not None else pos.tp}
        return self.__simple_request(params, request, str(position_id))

    def __request_session(self, params: dict) -> Session:
        """The session a modify / cancel / SL-TP request goes to (:meth:`ClientState.request_session`)."""
        return (self.__state or self.__new_state()).request_session(params)[0]

    def __simple_request(self, params: dict, request: dict, order_id: str) -> bool:
        """A modify / cancel / SL-TP request, sent by the chosen session (a live one from inside a replay is
        refused there)."""
        session, toggle = (self.__state or self.__new_state()).request_session(params)
        return session.request(request, order_id, toggle)

    def order_check(self, params: dict) -> dict:
        """Check an order (``send_order``'s fields) without sending it: retcode (0 when it would be
        accepted), balance, equity, profit, margin, margin_free, margin_level and comment after it;
        ``{}`` on failure (reason in last_error())."""
        params = dict(params or {})
        term = self.__terminal(params)
        try:
            request = self.__order_request({**params, "backtest_toggle": True})
        except ValueError as exc:
            self.__error(self.__say("call_failed", call="order_check", reason=exc), c.RES_E_INVALID_PARAMS)
            return {}
        if term is None:
            self.__error(self.__say("no_broker", call="order_check"))
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
        return self.__calc(params, "margin")

    def calc_order_profit(self, params: dict) -> float:
        """Profit in the account currency of ``action`` ("buy"/"sell") of ``volume`` lots of ``symbol``
        opened at ``price_open`` and closed at ``price_close``; -1.0 on failure (reason in last_error())."""
        return self.__calc(params, "profit")

    def __calc(self, params: dict, what: str) -> float:
        params = dict(params or {})
        action = str(params.get("action", "")).lower()
        try:
            if action not in ("buy", "sell"):
                raise InputError("action_buy_sell", value=params.get("action"))
            symbol = p.symbol_name(params)
            volume = p.number(params, "volume", positive=True)
            mt5_action = c.ORDER_TYPE_BUY if action == "buy" else c.ORDER_TYPE_SELL
            term = self.__terminal(params) or self.__catalog()
            if what == "margin":
                value = term.order_calc_margin(mt5_action, symbol, volume, p.number(params, "price", positive=True))
            else:
                value = term.order_calc_profit(mt5_action, symbol, volume,
                                               p.number(params, "price_open", positive=True),
                                               p.number(params, "price_close", positive=True))
        except ValueError as exc:
            self.__error(self.__say("call_failed", call=f"calc_order_{what}", reason=exc), c.RES_E_INVALID_PARAMS)
            return -1.0
        if value is None:
            lang = (self.__state or self.__new_state()).lang
            self.__error(f"calc_order_{what}: {localize(term.last_error()[1], lang)}", c.RES_E_FAIL)
            return -1.0
        return float(value)

    # ------------------------------------------------------------------ account
    def get_account_info(self) -> dict:
        """The account as a dict (login, trade_mode, leverage, margin_mode, balance, credit, profit, equity,
        margin, margin_free, margin_level, margin_so_call, margin_so_so, currency, server, company, ...): the
        replay's account during a backtest, else the live broker's, else the last backtest's;
        ``{"error": str}`` on failure."""
        term = self.__terminal()
        if term is None:
            return {"error": self.__say("no_broker", call="get_account_info")}
        info = term.account_info()
        if info is None:
            return {"error": term.last_error()[1]}
        return info._asdict()

    def get_group_summary(self, params: dict | None = None) -> dict:
        """Live, consolidated: each logged-in account and their sums (after ``login({"group": NAME})`` every
        member; after a plain login the one account). ``{"group", "accounts": [{"profile", "account", "server",
        "currency", "balance", "equity", "margin", "margin_free", "profit" (floating), "positions",
        "pending_orders", "realised_today", "day", "exposure": [{"symbol", "long_lots", "short_lots", "net_lots",
        "value"}]}], "totals": {the same sums, "accounts", "currency" ("mixed" when they differ)}, "exposure": [per
        symbol across the accounts], "problems": {member: why it could not be read}}``; ``{"error": str}`` without
        a live login. Definitions: ``docs/live.md`` ("Consolidated reporting")."""
        params = dict(params or {})
        live = (self.__state or self.__new_state()).live
        answered, answer = self.__answered_by_session("get_group_summary", params, live)
        if answered:
            return answer
        return {"error": self.__say("no_broker", call="get_group_summary")}

    def get_positions(self, params: dict | None = None) -> list[dict]:
        """Open positions; times as datetime, ``order_id`` = the order that opened each one."""
        from mas.api_records import position_dict

        term = self.__terminal(params)
        return _as_dicts(term.positions_get(**_filters(params)), position_dict) if term is not None else []

    def get_pending_orders(self, params: dict | None = None) -> list[dict]:
        """Active pending orders; times as datetime (``time_expiration`` / ``time_done`` None while unset)."""
        from mas.api_records import order_dict

        term = self.__terminal(params)
        rows = term.orders_get(**_filters(params)) if term is not None else None
        return _as_dicts(rows, lambda row: order_dict(row, with_state=False))

    def get_orders_total(self) -> int:
        """How many pending orders are active."""
        term = self.__terminal()
        return int(term.orders_total() or 0) if term is not None else 0

    def __history_args(self, params: dict | None) -> dict:
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

        term = self.__terminal(params)
        rows = term.history_orders_get(**self.__history_args(params)) if term is not None else None
        return _as_dicts(rows, lambda row: order_dict(row, with_state=True))

    def get_history_orders_total(self, params: dict | None = None) -> int:
        """How many ended orders ``get_history_orders`` returns for the same ``from``/``to`` (and filters)."""
        return len(self.get_history_orders(params))

    def get_order_history(self, params: dict | None = None) -> list[dict]:
        """Deals (MT5 history deals) with the documented fields."""
        from mas.api_records import deal_dict

        term = self.__terminal(params)
        return _as_dicts(term.history_deals_get(**self.__history_args(params)), deal_dict) if term is not None else []

    # ------------------------------------------------------------------ backtest helpers
    @staticmethod
    def get_start_date(to_date: Any, timeframe: str, kbar_num: int) -> str:
        """``to_date`` minus ceil(kbar_num / 5) whole weeks (5 trading days a week); D1 only."""
        if str(timeframe).upper() != "D1":
            raise InputError("start_date_d1_only", value=timeframe)
        if isinstance(kbar_num, bool) or not isinstance(kbar_num, int) or kbar_num < 0:
            raise InputError("kbar_num_whole", value=kbar_num)
        end = p.parse_time(to_date, "to_date")
        return (end - timedelta(weeks=math.ceil(kbar_num / 5))).strftime("%Y-%m-%d")

    # ------------------------------------------------------------------ reports
    def plot(self, name: str, value: float | None, symbol: str | None = None, panel: str = "price") -> bool:
        """Draw ``value`` of the series ``name`` (e.g. ``"sma_5"``) at the current bar of the backtest's trade
        chart: call it from ``receive_bars`` (or ``receive_ticks``: the M1 bar of the tick) once per bar.
        ``symbol``: whose chart (needed when the backtest replays several); ``panel``: ``"price"`` (over the
        candles) or ``"lower"`` (its own panel, for an oscillator); None is a gap. True when kept; False
        outside a backtest replay (live trading draws no chart). ValueError for a bad argument."""
        state = self.__state or self.__new_state()
        session = state.backtest
        return session.plot(name, value, symbol, panel) if session is not None else False

    @property
    def backtest_result(self) -> BacktestResult | None:
        """The last backtest's trades, equity curve and settings (None before the first run)."""
        return (self.__state or self.__new_state()).result

    def __report_source(self) -> BacktestResult | None:
        """The last backtest's result; during a replay (a report asked for at ``is_end``), the running
        replay's result up to its current bar; else the live account's history."""
        return (self.__state or self.__new_state()).report_source()

    def generate_data_report(self, params: dict | None = None) -> dict:
        """``{"status": True, "data": {...}}``: general_data, performance_metrics, win_loss_ratio, the yearly
        returns, drawdowns and P&L, and data_source (the trades as JSON) of the last backtest (the running
        one when asked at ``is_end``), else of the live account's history; ``{"status": False, "error": str}``
        when there is nothing to report."""
        from mas.reports.data_report import build_data_report

        result = self.__report_source()
        if result is None:
            return {"status": False, "error": self.__say("no_report_data")}
        return build_data_report(result)

    def generate_kpi_report(self, params: dict | None = None) -> dict:
        """Write the HTML KPI tear sheet of the same trades as ``generate_data_report``:
        ``{"status": True, "path": str}`` or ``{"status": False, "error": str}``. ``params``: ``report_dir``
        (default ``$MAS_REPORT_DIR``, else ./mas_reports), ``self_contained`` (True: plotly.js inside the page)."""
        from mas.reports.kpi import write_kpi_report

        return self.__write_report(params, write_kpi_report)

    def generate_trade_chart(self, params: dict | None = None) -> dict:
        """Write the interactive trade chart (candles with entry/exit markers, equity curve, cumulative P&L);
        the same answer and ``params`` as ``generate_kpi_report``."""
        from mas.reports.chart import write_trade_chart

        return self.__write_report(params, write_trade_chart)

    def __write_report(self, params: dict | None, writer: Callable[..., Any]) -> dict:
        """``params``: ``report_dir`` (default ``$MAS_REPORT_DIR``, else ./mas_reports) and
        ``self_contained`` (True: plotly.js inside the page, for a file sent on its own; default: one
        shared plotly file in the report folder)."""
        from mas.reports.output import resolve_report_dir

        result = self.__report_source()
        if result is None:
            return {"status": False, "error": self.__say("no_report_data")}
        self_contained = (params or {}).get("self_contained", False)
        if self_contained is not True and self_contained is not False:
            return {"status": False, "error": f"self_contained: expected True or False, got {self_contained!r}"}
        try:
            path = writer(result, resolve_report_dir(params), type(self).__name__, self_contained=self_contained)
        except (OSError, ValueError) as exc:
            return {"status": False, "error": f"could not write the report: {exc}"}
        return {"status": True, "path": str(path)}


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


def state_of(client: MAS) -> ClientState:
    """The facade's private state of ``client`` (made on first use): how other modules reach its sessions,
    language, last error and result, never through the client's own attributes."""
    return client._MAS__state or client._MAS__new_state()


def _new_backtest_session(events: StrategyEvents) -> BacktestSession:
    from mas.backtest.session import BacktestSession

    return BacktestSession(events)


def _new_live_session(events: StrategyEvents) -> LiveSession:
    """The live session: one account's after a plain login, every account's of a group after
    ``login({"group": NAME})`` (the session answers that login itself: :meth:`Session.handles`)."""
    from mas.groups.session import GroupSession

    return GroupSession(events)
