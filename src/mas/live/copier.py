"""The trade copier: a master account's deals mirrored on follower accounts, across brokers, once each.

A :class:`Copier` polls the master's live terminal (a broker profile, :mod:`mas.live.connect`) for new deals
and open positions, and mirrors each master position on every follower (each a broker profile, possibly on
another server) through the follower's own live terminal: every follower order goes through the order journal
(:mod:`mas.live.journal`, :func:`mas.live.orders.submit`) with the follower profile's risk guards. Per master
deal and follower:

- an opening deal (``DEAL_ENTRY_IN``) opens the follower's mirror, or adds to it (a netting master's increase);
- a closing deal (``DEAL_ENTRY_OUT`` / ``OUT_BY``) closes the same share of the follower's mirror (a partial
  close of 40% of the master's volume closes 40% of the follower's, rounded to its volume step), and the
  whole mirror when the master position is closed;
- a reversal (``DEAL_ENTRY_INOUT``, netting) closes the mirror and opens the reversed one;
- a change of the master position's SL/TP is set on the follower's position(s).

Volumes: the master deal's volume times the follower's multiplier (``sizing="multiplier"``), the follower's
fixed lots (``"fixed"``) or times follower equity / master equity (``"equity"``, times the multiplier), rounded
down to the follower symbol's volume step by :func:`mas.groups.allocation.allocate` (one account), a result
under the minimum lot raised to it or skipped (``min_lot_rule``). ``reverse`` mirrors a buy as a sell and puts
the master's SL as the follower's TP and the TP as the SL (the same price levels). Symbols: the explicit map
(``EURUSD=EURUSD.m``, optionally per follower) first, else the master's symbol without any broker suffix of
``$MAS_HOME/symbols.toml``; the follower's live terminal then adds the follower profile's own suffix
(:mod:`mas.live.symbol_names`), so ``EURUSD.m`` at the master's broker is ``EURUSDpro`` at a follower's whose
profile has the suffix ``pro``. A name the follower's server spells in another case is found by ``symbols_get``.

Exactly once: each follower order's ``client_order_id`` is ``copy:<master server>:<master login>:<master
deal>@<follower>/<piece>``; the plan (which pieces, which volumes) is written to the state file
(:mod:`mas.live.copier_state`) before the first is sent, so a copier killed at any point and restarted sends
each piece once: the journal answers a piece already sent with its order. A follower that rejects, or cannot
be reached, never holds up the others; one that cannot be reached keeps its place and catches up in order.

Catch-up: positions the master opened while the copier was stopped and still holds are copied at the next
start (``catch_up=True``, the default: a follower expects to hold what the master holds; ones opened and
closed in the meantime are never copied); with ``catch_up=False`` they are left out (and so are their closes).
A follower's very first start begins at the master's latest deal: positions the master held before are not
copied unless ``copy_open=True``.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from mas.data.symbol_file import SymbolFile, base_symbol, load_symbol_file
from mas.groups.allocation import AccountSnapshot, AllocationError, allocate
from mas.i18n.errors import Text, localize, message, text_of
from mas.live import copier_state as cs
from mas.live import journal as j
from mas.live.orders import ACCEPTED, submit
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.live.terminal import LiveTerminal

SIZINGS = ("multiplier", "fixed", "equity")
"""How a follower's volume is sized from the master deal's."""
_FAR_PAST, _FAR_FUTURE = 0, 4102444800  # epoch seconds: 1970 .. 2100
_WINDOW_S = 3 * 86400
"""How far before the last handled deal's time the master's history is read (server clocks run ahead of UTC)."""
_EPS = 1e-9
_TRANSIENT = frozenset({c.TRADE_RETCODE_REQUOTE, c.TRADE_RETCODE_TIMEOUT, c.TRADE_RETCODE_MARKET_CLOSED,
                        c.TRADE_RETCODE_PRICE_CHANGED, c.TRADE_RETCODE_PRICE_OFF, c.TRADE_RETCODE_TOO_MANY_REQUESTS,
                        c.TRADE_RETCODE_LOCKED, c.TRADE_RETCODE_FROZEN, c.TRADE_RETCODE_CONNECTION})
"""Answers after which a piece is sent again at the next poll (until ``retry_s`` passed)."""
_HISTORY = 50
"""How many recent events each follower's state keeps for ``mas copy status``."""


class CopierError(ValueError):
    """Bad copier settings, or a copier that cannot start (the message names what and how to fix it)."""


# ---------------------------------------------------------------------- settings
@dataclass(frozen=True)
class FollowerSpec:
    """One follower: a broker profile, with its own multiplier and direction (None: the copier's)."""

    profile: str
    multiplier: float | None = None
    reverse: bool | None = None


def parse_followers(text: str) -> tuple[FollowerSpec, ...]:
    """``"a,b:0.5,c:2:reverse"``: profiles, each optionally ``:MULTIPLIER`` and/or ``:reverse``."""
    specs: list[FollowerSpec] = []
    for item in (part.strip() for part in str(text).split(",")):
        if not item:
            continue
        name, *options = [x.strip() for x in item.split(":")]
        multiplier: float | None = None
        reverse: bool | None = None
        for option in options:
            if option.lower() in ("reverse", "r"):
                reverse = True
            elif option.lower() in ("same", "forward"):
                reverse = False
            else:
                multiplier = _positive(option, Text("copier_follower_multiplier", name=name))
        specs.append(FollowerSpec(name, multiplier, reverse))
    if not specs:
        raise CopierError(Text("copier_no_followers_option"))
    names = [s.profile for s in specs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise CopierError(Text("copier_followers_twice", names=", ".join(twice)))
    return tuple(specs)


def parse_symbol_map(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["EURUSD=EURUSD.m", "bob:XAUUSD=GOLD"]`` as ``{"*:EURUSD": "EURUSD.m", "bob:XAUUSD": "GOLD"}``: the
    master's symbol (any case) to the follower's, for every follower or for one profile."""
    out: dict[str, str] = {}
    for item in items:
        left, eq, right = str(item).partition("=")
        profile, colon, master = left.rpartition(":")
        if not eq or not master.strip() or not right.strip() or (colon and not profile.strip()):
            raise CopierError(Text("copier_map_invalid", item=item))
        out[f"{profile.strip() or '*'}:{master.strip().upper()}"] = right.strip()
    return out


def _positive(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CopierError(Text("copier_positive", what=what, value=value)) from None
    if not math.isfinite(number) or number <= 0:
        raise CopierError(Text("copier_positive", what=what, value=value))
    return number


@dataclass(frozen=True)
class CopierSettings:
    """What a copier copies, from whom, to whom and how (see the module)."""

    master: str
    followers: tuple[FollowerSpec, ...]
    name: str = ""
    sizing: str = "multiplier"
    multiplier: float = 1.0
    fixed_lots: float = 0.0
    reverse: bool = False
    symbol_map: dict[str, str] = field(default_factory=dict)
    poll_ms: int = 500
    catch_up: bool = True
    copy_open: bool = False
    copy_sltp: bool = True
    min_lot_rule: str = "raise"
    deviation: int = 20
    retry_s: float = 60.0
    """How long a piece answered with a passing condition (market closed, requote, ...) is tried again."""
    login_retry_s: float = 10.0
    """How often a follower that cannot log in is tried again."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", cs.check_name(self.name or self.master))
        if self.sizing not in SIZINGS:
            raise CopierError(Text("copier_sizing_unknown", sizing=self.sizing, valid=", ".join(SIZINGS)))
        _positive(self.multiplier, "--multiplier")
        if self.sizing == "fixed":
            _positive(self.fixed_lots, Text("copier_fixed_lots"))
        if self.min_lot_rule not in ("raise", "skip"):
            raise CopierError(Text("copier_min_lot", value=self.min_lot_rule))
        if self.poll_ms < 10:
            raise CopierError(Text("copier_poll_ms", value=self.poll_ms))
        if not self.followers:
            raise CopierError(Text("copier_no_followers"))
        if any(f.profile == self.master for f in self.followers):
            raise CopierError(Text("copier_master_follows", master=self.master))

    def multiplier_of(self, follower: FollowerSpec) -> float:
        """The follower's multiplier (its own, else the copier's)."""
        return self.multiplier if follower.multiplier is None else follower.multiplier

    def reverse_of(self, follower: FollowerSpec) -> bool:
        """Whether the follower trades against the master (its own setting, else the copier's)."""
        return self.reverse if follower.reverse is None else follower.reverse

    def describe(self) -> dict[str, Any]:
        """The settings as the state file and ``mas copy status`` show them."""
        out = asdict(self)
        out["followers"] = [{"profile": f.profile, "multiplier": self.multiplier_of(f), "reverse": self.reverse_of(f)}
                            for f in self.followers]
        return out


# ---------------------------------------------------------------------- helpers
def _side_name(kind: int) -> str:
    return "buy" if kind == c.ORDER_TYPE_BUY else "sell"


def _side(name: str) -> int:
    return c.ORDER_TYPE_BUY if name == "buy" else c.ORDER_TYPE_SELL


def _filling(info: Any) -> int:
    mode = int(getattr(info, "filling_mode", 0) or 0)
    if mode & c.SYMBOL_FILLING_FOK:
        return c.ORDER_FILLING_FOK
    if mode & c.SYMBOL_FILLING_IOC:
        return c.ORDER_FILLING_IOC
    return c.ORDER_FILLING_RETURN


def _round_close(total: float, share: float, step: float) -> float:
    """``share`` (0..1) of ``total`` lots, to the nearest volume ``step``, at most ``total``."""
    exact_step = Fraction(repr(float(step)))
    steps = round(Fraction(repr(float(total))) * Fraction(repr(float(share))) / exact_step)
    return float(min(steps * exact_step, Fraction(repr(float(total)))))


def copy_key(master: dict[str, Any], source: str, follower: str, piece: int) -> str:
    """The ``client_order_id`` of piece ``piece`` of the copy of ``source`` (a master deal, or ``pos<ticket>``
    for a position copied at the first start) to ``follower``."""
    return f"copy:{master['server']}:{master['account']}:{source}@{follower}/{piece}"


def connect_profile(profile: str) -> LiveTerminal:
    """A logged-in live terminal of broker profile ``profile`` (its risk guards included)."""
    from mas.live.connect import connect_terminal
    from mas.live.profiles import apply_profile

    params = apply_profile({"profile": profile})
    return connect_terminal(params, int(params.get("account", 0)))


# ---------------------------------------------------------------------- the copier
class Copier:
    """Mirrors the master's deals on the followers (see the module). ``terminals`` are logged in already;
    :meth:`start` reads (or makes) the state, :meth:`poll` does one round, :meth:`run` polls until stopped.
    ``lang`` is the language of the lines given to ``echo`` and of the notes and history written to the state
    (None: the process's, :func:`mas.i18n.current_lang`: ``mas --lang`` / ``MAS_LANG``)."""

    def __init__(self, settings: CopierSettings, master: LiveTerminal, followers: dict[str, LiveTerminal | None],
                 echo: Callable[[str], None] = print, symbols: SymbolFile | None = None,
                 reconnect: Callable[[str], LiveTerminal] | None = None, lang: str | None = None) -> None:
        from mas.i18n import current_lang

        self.lang = lang or current_lang()
        self.settings = settings
        self.master = master
        self.followers = dict(followers)
        self.echo = echo
        self.symbols = symbols if symbols is not None else load_symbol_file()
        self.reconnect = reconnect
        self.state: dict[str, Any] = {}
        self._specs = {f.profile: f for f in settings.followers}
        self._down_until: dict[str, int] = {}  # master deals up to this ticket happened while the copier was stopped
        self._resolved: dict[tuple[str, str], str] = {}
        self._next_login: dict[str, float] = {}
        self._warned: set[str] = set()  # followers whose profile logs in to another account than their copies'

    # ------------------------------------------------------------------ start
    def start(self) -> None:
        """Read the state (CopierStateError when it is damaged; CopierError when it belongs to another
        master), add followers new to it at the master's latest deal, and write it back."""
        identity = {"profile": self.settings.master, "account": self.master.account, "server": self.master.server}
        state = cs.load_state(self.settings.name)
        if state is None:
            state = cs.new_state(self.settings.name, identity)
        elif (state["master"].get("account"), state["master"].get("server")) != (identity["account"],
                                                                                    identity["server"]):
            raise CopierError(Text("copier_other_master", name=self.settings.name,
                                   account=state["master"].get("account"), server=state["master"].get("server"),
                                   new_account=identity["account"], new_server=identity["server"]))
        state["master"] = identity
        state["settings"] = self.settings.describe()
        deals = self._deals(_FAR_PAST)
        if deals is None:
            raise CopierError(Text("copier_deals_unread", error=self.master.last_error()[1]))
        latest = max((int(d.ticket) for d in deals), default=0)
        latest_time = max((int(d.time) for d in deals), default=0)
        positions = self._positions() if self.settings.copy_open else {}
        if positions is None:
            raise CopierError(Text("copier_positions_unread", error=self.master.last_error()[1]))
        self.state = state
        for spec in self.settings.followers:
            known = state["followers"].get(spec.profile)
            if known is None:
                terminal = self.followers.get(spec.profile)
                state["followers"][spec.profile] = {
                    "account": getattr(terminal, "account", 0), "server": getattr(terminal, "server", ""),
                    "cursor": latest, "cursor_time": latest_time, "seq": 0, "mirrors": {}, "actions": {},
                    "history": []}
                for ticket, position in sorted(positions.items()):
                    self._plan_existing(state["followers"][spec.profile], spec.profile, ticket, position)
            else:
                self._down_until[spec.profile] = latest
        self.state = state
        cs.save_state(self.settings.name, state)

    # ------------------------------------------------------------------ one round
    def poll(self) -> int:
        """Read the master once and bring every follower up to it; how many follower orders were sent."""
        since = min((f["cursor_time"] for n, f in self.state["followers"].items() if n in self._specs), default=0)
        deals = self._deals(max(0, since - _WINDOW_S))
        if deals is None:
            return 0
        positions = self._positions()  # after the deals: every deal read is in the positions read, or closed since
        if positions is None:
            return 0
        sent = 0
        for spec in self.settings.followers:
            try:
                sent += self._serve(spec.profile, deals, positions)
            except Exception as exc:  # noqa: BLE001 - one follower's failure must not stop the others
                self._say(spec.profile, "copier_ev_error", kind=type(exc).__name__, error=text_of(exc))
        return sent

    def run(self, stop: threading.Event) -> None:
        """:meth:`poll` every ``poll_ms`` until ``stop`` is set. A round that fails (the state file cannot be
        written, say) is reported and the next one tries again: nothing is sent that the state does not plan."""
        while not stop.is_set():
            try:
                self.poll()
            except Exception as exc:  # noqa: BLE001 - reported; the copier keeps running
                self.echo(self._text("copier_ev_round_error", name=self.settings.name, kind=type(exc).__name__,
                                     error=text_of(exc)))
            stop.wait(self.settings.poll_ms / 1000)

    def close(self) -> None:
        """Log out of the master and every follower."""
        for terminal in [self.master, *self.followers.values()]:
            if terminal is not None:
                try:
                    terminal.shutdown()
                except Exception:  # noqa: BLE001 - already broken
                    pass

    # ------------------------------------------------------------------ master
    def _deals(self, since: int) -> list[Any] | None:
        deals = self.master.history_deals_get(since, _FAR_FUTURE)
        if deals is None:
            return None
        trades = (d for d in deals if int(d.type) in (c.DEAL_TYPE_BUY, c.DEAL_TYPE_SELL))
        return sorted(trades, key=lambda d: int(d.ticket))

    def _positions(self) -> dict[int, Any] | None:
        positions = self.master.positions_get()  # by identifier: what a deal's position_id names
        return None if positions is None else {int(getattr(p, "identifier", 0) or p.ticket): p for p in positions}

    # ------------------------------------------------------------------ one follower
    def _terminal(self, name: str) -> LiveTerminal | None:
        terminal = self.followers.get(name)
        if terminal is None and self.reconnect is not None and time.monotonic() >= self._next_login.get(name, 0.0):
            try:
                terminal = self.followers[name] = self.reconnect(name)
                self._say(name, "copier_ev_logged_in", account=terminal.account, server=terminal.server)
            except Exception as exc:  # noqa: BLE001 - LoginError, ProfileError: tried again later
                self._next_login[name] = time.monotonic() + self.settings.login_retry_s
                self._say(name, "copier_ev_login_retry", error=text_of(exc),
                          seconds=f"{self.settings.login_retry_s:g}")
        return terminal

    def _serve(self, name: str, deals: list[Any], positions: dict[int, Any]) -> int:
        follower = self.state["followers"][name]
        terminal = self._terminal(name)
        if terminal is None:
            return 0
        if not follower.get("account"):  # not logged in at its first start
            follower["account"], follower["server"] = terminal.account, terminal.server
        elif (follower["account"], follower["server"]) != (terminal.account, terminal.server):
            if name in self._warned:
                return 0
            self._warned.add(name)
            self._say(name, "copier_ev_other_account", name=name, account=terminal.account, server=terminal.server,
                      old_account=follower["account"], old_server=follower["server"])
            return 0
        sent = 0
        for key in sorted(follower["actions"], key=lambda k: follower["actions"][k]["seq"]):
            done, count = self._finish(name, terminal, key)
            sent += count
            if not done:
                return sent  # in order: later deals wait until this one is settled
        for deal in deals:
            if int(deal.ticket) <= follower["cursor"]:
                continue
            key = self._plan_deal(follower, name, deal, positions)
            if key is not None:
                done, count = self._finish(name, terminal, key)
                sent += count
                if not done:
                    return sent
        if self.settings.copy_sltp:
            sent += self._sync_stops(name, terminal, follower, positions)
        return sent

    # ------------------------------------------------------------------ planning
    def _follower_symbol(self, name: str, terminal: LiveTerminal, master_symbol: str) -> str | None:
        key = (name, master_symbol)
        if key in self._resolved:
            return self._resolved[key]
        upper, base = master_symbol.upper(), base_symbol(master_symbol, self.symbols).upper()
        smap = self.settings.symbol_map
        wanted = next((smap[k] for k in (f"{name}:{upper}", f"{name}:{base}", f"*:{upper}", f"*:{base}") if k in smap),
                      None) or base_symbol(master_symbol, self.symbols)  # the follower's terminal adds its suffix
        found: str | None = wanted if terminal.symbol_info(wanted) is not None else None
        if found is None:
            offered = terminal.symbols_get() or ()
            found = next((s.name for s in offered if str(s.name).upper() == wanted.upper()), None)
        if found is not None:
            self._resolved[key] = found
        return found

    def _size(self, name: str, terminal: LiveTerminal, symbol: str, volume: float,
              master_symbol: str = "") -> tuple[float, str]:
        """The follower's volume for ``volume`` master lots, and a note when it is not simply that.

        ``equity`` sizing compares the two equities in one currency: of different account currencies, each equity
        is counted in ticks of the symbol (equity / ``trade_tick_value``, the money one tick makes on one lot in
        that account's currency), so the copy makes the follower gain or lose the same share of its equity per tick
        as the master's deal does to the master."""
        spec, info = terminal.symbol_info(symbol), terminal.account_info()
        if spec is None or info is None:
            return 0.0, self._text("copier_note_symbol_unread" if spec is None else "copier_note_account_unread")
        settings = self.settings
        multiplier = settings.multiplier_of(self._specs[name])
        if settings.sizing == "equity":
            master_info = self.master.account_info()
            if master_info is None or float(master_info.equity) <= 0:
                return 0.0, self._text("copier_note_master_equity")
            multiplier *= float(info.equity) / float(master_info.equity)
            mine, theirs = str(getattr(info, "currency", "") or ""), str(getattr(master_info, "currency", "") or "")
            if mine and theirs and mine != theirs:
                master_spec = self.master.symbol_info(master_symbol or symbol)
                follower_tick = float(getattr(spec, "trade_tick_value", 0.0) or 0.0)
                master_tick = float(getattr(master_spec, "trade_tick_value", 0.0) or 0.0) if master_spec else 0.0
                if follower_tick <= 0 or master_tick <= 0:
                    return 0.0, self._text("copier_note_tick_value", follower=mine, master=theirs)
                multiplier *= master_tick / follower_tick
        try:
            snapshot = AccountSnapshot(name, float(info.balance), float(info.equity), float(info.margin_free),
                                       float(spec.volume_min), float(spec.volume_max), float(spec.volume_step),
                                       multiplier=multiplier, fixed_lots=settings.fixed_lots)
            share = allocate("fixed" if settings.sizing == "fixed" else "multiplier", volume, [snapshot],
                             min_lot_rule=settings.min_lot_rule).shares[0]
        except AllocationError as exc:
            return 0.0, localize(exc, self.lang)
        return share.volume, localize(share.note, self.lang)

    def _stops(self, name: str, position: Any) -> tuple[float, float]:
        sl, tp = float(getattr(position, "sl", 0.0) or 0.0), float(getattr(position, "tp", 0.0) or 0.0)
        return (tp, sl) if self.settings.reverse_of(self._specs[name]) else (sl, tp)

    def _open_piece(self, name: str, source: str, index: int, master_symbol: str, master_side: int,
                    volume: float, position: Any) -> tuple[dict[str, Any] | None, str]:
        terminal = self.followers[name]
        assert terminal is not None
        symbol = self._follower_symbol(name, terminal, master_symbol)
        if symbol is None:
            return None, self._text("copier_note_not_offered", symbol=master_symbol, server=terminal.server, name=name)
        lots, note = self._size(name, terminal, symbol, volume, master_symbol)
        if lots <= 0:
            return None, self._text("copier_note_no_volume", volume=f"{volume:g}",
                                    note=note or self._text("copier_note_below_minimum"))
        reverse = self.settings.reverse_of(self._specs[name])
        side = (c.ORDER_TYPE_SELL if master_side == c.ORDER_TYPE_BUY else c.ORDER_TYPE_BUY) if reverse else master_side
        sl, tp = self._stops(name, position) if position is not None and self.settings.copy_sltp else (0.0, 0.0)
        return {"kind": "open", "client_order_id": copy_key(self.state_master, source, name, index), "symbol": symbol,
                "side": _side_name(side), "volume": lots, "sl": sl, "tp": tp, "state": "planned",
                "message": note}, note

    @property
    def state_master(self) -> dict[str, Any]:
        """The master's identity as the state file records it."""
        return self.state.get("master") or {"account": self.master.account, "server": self.master.server}

    def _close_pieces(self, name: str, source: str, first: int, mirror: dict[str, Any], share: float | None
                      ) -> list[dict[str, Any]]:
        """Pieces closing ``share`` of the mirror (None: all of it), oldest follower position first."""
        terminal = self.followers[name]
        assert terminal is not None
        tickets = [(int(t), float(v)) for t, v in mirror["tickets"].items()]
        left = None
        if share is not None:
            info = terminal.symbol_info(mirror["symbol"])
            step = float(getattr(info, "volume_step", 0.01) or 0.01)
            left = _round_close(sum(v for _, v in tickets), share, step)
            if left <= _EPS:
                return []
        pieces = []
        closing = "sell" if mirror["side"] == "buy" else "buy"
        for ticket, volume in sorted(tickets):
            amount = volume if left is None else min(volume, left)
            pieces.append({"kind": "close", "client_order_id": copy_key(self.state_master, source, name,
                                                                        first + len(pieces)),
                           "symbol": mirror["symbol"], "side": closing, "position": ticket, "volume": amount,
                           "all": left is None or amount >= volume - _EPS, "state": "planned", "message": ""})
            if left is not None:
                left = round(left - amount, 8)
                if left <= _EPS:
                    break
        return pieces

    def _new_mirror(self, symbol: str, side: int) -> dict[str, Any]:
        return {"master_symbol": symbol, "master_side": _side_name(side), "master_volume": 0.0, "symbol": "",
                "side": "", "tickets": {}, "sl": 0.0, "tp": 0.0, "state": "skipped", "note": ""}

    def _plan_existing(self, follower: dict[str, Any], name: str, ticket: int, position: Any) -> None:
        """A position the master held before this follower's first start (``copy_open``)."""
        mirror = self._new_mirror(str(position.symbol), int(position.type))
        mirror["master_volume"] = float(position.volume)
        follower["mirrors"][str(ticket)] = mirror
        if self.followers.get(name) is None:
            mirror["note"] = self._text("copier_note_not_logged_in")
            return
        piece, note = self._open_piece(name, f"pos{ticket}", 0, str(position.symbol), int(position.type),
                                       float(position.volume), position)
        self._store_action(follower, f"pos{ticket}", str(ticket), [piece] if piece else [], note, mirror)

    def _store_action(self, follower: dict[str, Any], key: str, mirror_key: str, pieces: list[dict[str, Any]],
                      note: str, mirror: dict[str, Any]) -> str | None:
        if not pieces:
            mirror["note"] = note or mirror.get("note", "")
            if note:
                _remember(follower, self._text("copier_hist_not_copied", key=key, note=note))
            return None
        if any(p["kind"] == "open" for p in pieces) and mirror["state"] in ("skipped", "failed", "closed"):
            mirror["state"] = "opening"
        follower["seq"] += 1
        follower["actions"][key] = {"seq": follower["seq"], "mirror": mirror_key, "pieces": pieces, "note": note}
        return key

    def _plan_deal(self, follower: dict[str, Any], name: str, deal: Any, positions: dict[int, Any]) -> str | None:
        """Write the plan of ``deal`` for ``name`` (and move its cursor past it); the action's key, or None when
        there is nothing to send."""
        ticket, position_id = int(deal.ticket), int(deal.position_id)
        entry, volume, source = int(deal.entry), float(deal.volume), f"d{ticket}"
        mirrors = follower["mirrors"]
        mirror = mirrors.get(str(position_id))
        position = positions.get(position_id)
        pieces: list[dict[str, Any]] = []
        note = ""
        if entry == c.DEAL_ENTRY_IN:
            if mirror is None:
                mirror = mirrors[str(position_id)] = self._new_mirror(str(deal.symbol), int(deal.type))
                if position is None:
                    note = self._text("copier_note_closed_first")
                elif ticket <= self._down_until.get(name, 0) and not self.settings.catch_up:
                    note = self._text("copier_note_while_stopped")
                else:
                    piece, note = self._open_piece(name, source, 0, str(deal.symbol), int(deal.type), volume, position)
                    pieces = [piece] if piece else []
            elif mirror["state"] in ("open", "opening"):
                piece, note = self._open_piece(name, source, 0, str(deal.symbol), int(deal.type), volume, position)
                pieces = [piece] if piece else []
            mirror["master_volume"] = round(mirror["master_volume"] + volume, 8)
        elif entry in (c.DEAL_ENTRY_OUT, c.DEAL_ENTRY_OUT_BY, c.DEAL_ENTRY_INOUT) and mirror is not None:
            before = float(mirror["master_volume"])
            after = round(before - volume, 8)
            if entry == c.DEAL_ENTRY_INOUT:  # a netting master reversed: close the mirror, open the other way
                pieces = self._close_pieces(name, source, 0, mirror, None) if mirror["tickets"] else []
                mirror["master_side"], mirror["master_volume"] = _side_name(int(deal.type)), round(-after, 8)
                if mirror["state"] in ("open", "opening") and -after > _EPS:
                    piece, note = self._open_piece(name, source, len(pieces), str(deal.symbol), int(deal.type),
                                                   -after, position)
                    pieces += [piece] if piece else []
            else:
                mirror["master_volume"] = max(after, 0.0)
                if mirror["tickets"]:
                    share = None if after <= _EPS or before <= _EPS else volume / before
                    pieces = self._close_pieces(name, source, 0, mirror, share)
                if after <= _EPS and not pieces:
                    mirror["state"] = "closed" if mirror["state"] in ("open", "opening") else mirror["state"]
        follower["cursor"], follower["cursor_time"] = ticket, max(int(deal.time), follower["cursor_time"])
        key = self._store_action(follower, source, str(position_id), pieces, note, mirror)
        self._prune(follower, positions)
        cs.save_state(self.settings.name, self.state)
        if note and key is None and entry == c.DEAL_ENTRY_IN:
            self._say(name, "copier_ev_deal_not_copied", ticket=ticket, symbol=deal.symbol,
                      side=_side_name(int(deal.type)), volume=f"{volume:g}", note=note)
        return key

    def _prune(self, follower: dict[str, Any], positions: dict[int, Any]) -> None:
        """Forget mirrors that are over: the master's position is closed and nothing of it is open or pending."""
        pending = {a["mirror"] for a in follower["actions"].values()}
        for key in [k for k, m in follower["mirrors"].items()
                    if int(k) not in positions and not m["tickets"] and k not in pending
                    and m["master_volume"] <= _EPS]:
            del follower["mirrors"][key]

    # ------------------------------------------------------------------ sending
    def _finish(self, name: str, terminal: LiveTerminal, key: str) -> tuple[bool, int]:
        """Send the action's pieces still planned; (whether every piece is settled, how many orders were sent)."""
        follower = self.state["followers"][name]
        action = follower["actions"][key]
        mirror = follower["mirrors"].setdefault(action["mirror"], self._new_mirror("", c.ORDER_TYPE_BUY))
        sent = 0
        for piece in action["pieces"]:
            if piece["state"] != "planned":
                continue
            settled = self._send_piece(name, terminal, piece, mirror)
            sent += 1
            cs.save_state(self.settings.name, self.state)
            if not settled:
                return False, sent
        if mirror["state"] == "opening":
            mirror["state"] = "open" if mirror["tickets"] else "failed"
        elif not mirror["tickets"] and mirror["master_volume"] <= _EPS:
            mirror["state"] = "closed"
        del follower["actions"][key]
        if mirror["state"] == "closed" and all(a["mirror"] != action["mirror"] for a in follower["actions"].values()):
            follower["mirrors"].pop(action["mirror"], None)  # over: the master's position and its copy are closed
        cs.save_state(self.settings.name, self.state)
        return True, sent

    def _send_piece(self, name: str, terminal: LiveTerminal, piece: dict[str, Any], mirror: dict[str, Any]) -> bool:
        """Send one piece (once, by its client_order_id); False when it must be tried again later."""
        cid = piece["client_order_id"]
        entry = terminal.journal.find(terminal.account, terminal.server, cid)
        sent_before = entry is not None and entry.state not in j.RESENDABLE
        request: dict[str, Any] = {"action": c.TRADE_ACTION_DEAL, "symbol": piece["symbol"],
                                   "type": _side(piece["side"]), "volume": float(piece["volume"]),
                                   "deviation": self.settings.deviation, "magic": 0, "type_time": c.ORDER_TIME_GTC,
                                   "comment": f"copy {self.master.account}"}
        if piece["kind"] == "open":
            request.update(sl=float(piece["sl"]), tp=float(piece["tp"]))
        else:
            request["position"] = int(piece["position"])
        if not sent_before:
            if piece["kind"] == "close":
                live = terminal.positions_get(ticket=int(piece["position"]))
                if live is None:
                    return self._later(name, piece, self._text("copier_msg_positions_unread",
                                                               error=terminal.last_error()[1]), give_up=False)
                if not live:
                    piece["state"], piece["message"] = "gone", self._text("copier_msg_already_closed")
                    mirror["tickets"].pop(str(piece["position"]), None)
                    self._say(name, "copier_ev_already_closed", position=piece["position"])
                    return True
                if piece.get("all") or float(live[0].volume) < request["volume"]:
                    request["volume"] = piece["volume"] = float(live[0].volume)
            info = terminal.symbol_info(piece["symbol"])
            tick = terminal.symbol_info_tick(piece["symbol"])
            if info is None or tick is None:
                return self._later(name, piece, self._text("copier_msg_no_price", symbol=piece["symbol"],
                                                           error=terminal.last_error()[1]), give_up=terminal.connected)
            request["price"] = float(tick.ask if request["type"] == c.ORDER_TYPE_BUY else tick.bid)
            request["type_filling"] = _filling(info)
        guards = getattr(terminal, "guards", None)
        result = submit(terminal, request, cid, guards=guards if guards is not None and guards.active else None)
        if result is None:  # no answer (disconnected, or the journal's earlier outcome is still unknown): wait
            return self._later(name, piece, terminal.last_error()[1], give_up=terminal.connected)
        if result.retcode in ACCEPTED:
            piece["state"], piece["message"] = "done", self._text("copier_msg_order", order=result.order)
            self._settled(name, terminal, piece, mirror, result)
            return True
        if result.retcode in _TRANSIENT:
            return self._later(name, piece, f"{result.retcode}: {localize(result.comment, self.lang)}")
        piece["state"], piece["message"] = "rejected", f"{result.retcode}: {localize(result.comment, self.lang)}"
        mirror["note"] = self._text("copier_note_rejected", kind=piece["kind"], message=piece["message"])
        self._say(name, "copier_ev_rejected", kind=piece["kind"], side=piece["side"], volume=f"{piece['volume']:g}",
                  symbol=piece["symbol"], message=piece["message"])
        return True

    def _later(self, name: str, piece: dict[str, Any], why: str, give_up: bool = True) -> bool:
        """A piece that could not be settled now: tried again at the next poll, until ``retry_s`` passed while the
        follower's broker answered (an unreachable follower is waited for: its copies are made, in order, when it
        is back)."""
        first = piece.setdefault("first_try", time.time())
        piece["message"] = why
        if not give_up or time.time() - first < self.settings.retry_s:
            return False
        piece["state"] = "rejected"
        self._say(name, "copier_ev_given_up", kind=piece["kind"], side=piece["side"], volume=f"{piece['volume']:g}",
                  symbol=piece["symbol"], seconds=f"{self.settings.retry_s:g}", why=why)
        return True

    def _settled(self, name: str, terminal: LiveTerminal, piece: dict[str, Any], mirror: dict[str, Any],
                 result: Any) -> None:
        volume = float(result.volume or piece["volume"])
        if piece["kind"] == "open":
            ticket = _position_ticket(terminal, result)
            mirror["tickets"][str(ticket)] = round(mirror["tickets"].get(str(ticket), 0.0) + volume, 8)
            mirror.update(symbol=piece["symbol"], side=piece["side"], sl=piece["sl"], tp=piece["tp"])
            piece["position"] = ticket
            self._say(name, "copier_ev_opened", side=piece["side"], volume=f"{volume:g}", symbol=piece["symbol"],
                      ticket=ticket, cid=piece["client_order_id"])
        else:
            key = str(piece["position"])
            left = round(mirror["tickets"].get(key, 0.0) - volume, 8)
            if piece.get("all") or left <= _EPS:
                mirror["tickets"].pop(key, None)
            else:
                mirror["tickets"][key] = left
            self._say(name, "copier_ev_closed", volume=f"{volume:g}", key=key, cid=piece["client_order_id"])
        _remember(self.state["followers"][name], f"{piece['client_order_id']}: {piece['kind']} {piece['side']} "
                                                 f"{volume:g} {piece['symbol']}: {piece['message']}")

    def _sync_stops(self, name: str, terminal: LiveTerminal, follower: dict[str, Any],
                    positions: dict[int, Any]) -> int:
        sent = 0
        for key, mirror in follower["mirrors"].items():
            position = positions.get(int(key))
            if mirror["state"] != "open" or position is None:
                continue
            want = list(self._stops(name, position))
            if [mirror["sl"], mirror["tp"]] == want or mirror.get("stops_refused") == want:
                continue
            problems = []
            for ticket in mirror["tickets"]:
                live = terminal.positions_get(ticket=int(ticket))
                if not live or [float(live[0].sl), float(live[0].tp)] == want:
                    continue
                result = submit(terminal, {"action": c.TRADE_ACTION_SLTP, "position": int(ticket),
                                           "symbol": mirror["symbol"], "sl": want[0], "tp": want[1]})
                sent += 1
                if result is None or result.retcode not in ACCEPTED:
                    problems.append(terminal.last_error()[1] if result is None else
                                    f"{result.retcode}: {localize(result.comment, self.lang)}")
            if problems:
                mirror["stops_refused"] = want
                self._say(name, "copier_ev_stops_failed", sl=f"{want[0]:g}", tp=f"{want[1]:g}", key=key,
                          problems="; ".join(problems))
            else:
                mirror["sl"], mirror["tp"] = want
                self._say(name, "copier_ev_stops_set", key=key, sl=f"{want[0]:g}", tp=f"{want[1]:g}")
            cs.save_state(self.settings.name, self.state)
        return sent

    def _text(self, key: str, /, **values: Any) -> str:
        """The catalog text ``key`` in the copier's language (English: as ever)."""
        return message(self.lang, key, **values)

    def _say(self, name: str, key: str, /, **values: Any) -> None:
        self.echo(self._text("copier_ev_line", name=self.settings.name, follower=name,
                             text=self._text(key, **values)))


def _remember(follower: dict[str, Any], line: str) -> None:
    history = follower.setdefault("history", [])
    history.append(f"{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} {line}")
    del history[:-_HISTORY]


def _position_ticket(terminal: LiveTerminal, result: Any) -> int:
    """The follower position a filled opening order made (or added to)."""
    order = int(result.order or 0)
    if order:
        for deal in terminal.history_deals_get(ticket=order) or ():
            if int(deal.entry) in (c.DEAL_ENTRY_IN, c.DEAL_ENTRY_INOUT):
                return int(deal.position_id)
    return order


# ---------------------------------------------------------------------- a copier process
def open_copier(settings: CopierSettings, echo: Callable[[str], None] = print, lang: str | None = None) -> Copier:
    """Log in to the master (CopierError when it cannot) and to each follower (one that cannot is reported and
    tried again while the copier runs), read the symbols file and the state. The caller holds the run lock.
    ``lang``: the language of what it reports (None: the process's, see :class:`Copier`)."""
    from mas.i18n import current_lang
    from mas.live.connect import LoginError

    lang = lang or current_lang()
    from mas.live.profiles import ProfileError, load_profiles

    profiles = load_profiles()
    missing = [n for n in (settings.master, *(f.profile for f in settings.followers)) if n not in profiles]
    if missing:
        raise CopierError(Text("copier_no_profile", names=", ".join(missing),
                               known=", ".join(sorted(profiles)) or Text("copier_none")))
    symbols = load_symbol_file()  # a damaged symbols.toml stops the start: which symbol is meant would be unknown
    try:
        master = connect_profile(settings.master)
    except (LoginError, ProfileError) as exc:
        raise CopierError(Text("copier_master_login", master=settings.master, error=text_of(exc))) from None
    followers: dict[str, LiveTerminal | None] = {}
    for spec in settings.followers:
        try:
            followers[spec.profile] = connect_profile(spec.profile)
        except (LoginError, ProfileError) as exc:
            followers[spec.profile] = None
            echo(message(lang, "copier_ev_line", name=settings.name, follower=spec.profile,
                         text=message(lang, "copier_ev_login_later", error=text_of(exc))))
    copier = Copier(settings, master, followers, echo, symbols, reconnect=connect_profile, lang=lang)
    try:
        copier.start()
    except BaseException:
        copier.close()
        raise
    return copier


