"""The five built-in strategies of the original MAS SDK, as ``receive_bars`` subclasses of ``MAS``.

Each is long-only and trades the symbol its bars come from, one position per symbol. Signals
are computed on bar closes with the streaming indicators of :mod:`mas.strategy.indicators`; in a
backtest the resulting market order fills at the next bar's open. Orders follow the MAS docs'
convention: a ``buy`` opens the position and returns its order id, a ``sell`` carrying that
``order_id`` closes it. ``backtest_toggle`` (default True) picks the mode of every order, so the
same object trades live when it is set to False.

Indicator state is kept per symbol, so a multi-symbol replay works; all timeframes of one symbol
feed the same indicators, so subscribe one timeframe per symbol. On the last bar of a backtest
(``is_end``) indicators are updated but no order is sent, as it could never fill. Two lines
whose difference is within floating-point noise (1e-10 of their magnitude) are treated as equal
when deciding a cross (see ``_tie``).
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from mas import MAS
from mas.i18n.errors import InputError
from mas.strategy.indicators import KD, MACD, RSI, SMA, BollingerBands, check_number, check_period
from mas.terminal import constants as c

__all__ = [
    "BUILTIN_STRATEGIES",
    "BollingerStrategy",
    "BuiltinStrategy",
    "KDStrategy",
    "MACDStrategy",
    "MACrossStrategy",
    "RSIStrategy",
]

ENTER, EXIT, HOLD = 1, -1, 0
_ACCEPTED = frozenset({c.TRADE_RETCODE_PLACED, c.TRADE_RETCODE_DONE, c.TRADE_RETCODE_DONE_PARTIAL})
_TIE = 1e-10
_DEAD_STATES = frozenset({c.ORDER_STATE_CANCELED, c.ORDER_STATE_REJECTED, c.ORDER_STATE_EXPIRED})


def _tie(diff: float, scale: float) -> float:
    """``diff`` (a difference of two indicator lines), or 0.0 when it is only rounding noise.

    Averages of quoted prices are often exactly equal (SMA(5) == SMA(20) happens a few times a
    year on H1 data); floating-point noise of ~1e-15 must not decide whether they crossed, nor
    make two converging lines (MACD in a flat market) cross on every bar. Differences within
    1e-10 of ``scale`` (the lines' magnitude) count as a tie.
    """
    return 0.0 if abs(diff) <= _TIE * abs(scale) else diff


def _cross(prev: float | None, cur: float) -> int:
    """ENTER when ``cur`` crosses above zero from ``prev`` (<= 0), EXIT when it crosses below."""
    if prev is None:
        return HOLD
    if prev <= 0.0 < cur:
        return ENTER
    if prev >= 0.0 > cur:
        return EXIT
    return HOLD


class _State:
    """One symbol's indicators and the previous value of the crossing difference."""

    __slots__ = ("a", "b", "prev")

    def __init__(self, a: Any, b: Any = None) -> None:
        self.a = a
        self.b = b
        self.prev: float | None = None


class BuiltinStrategy(MAS, ABC):
    """Base of the built-ins: per-symbol state, one long position per symbol, MAS order calls.

    Subclasses define ``name``, keyword-only parameters in ``__init__`` (their defaults are
    :meth:`default_params`), ``_new_state`` and ``_signal`` (ENTER, EXIT or HOLD for a bar).
    """

    name: ClassVar[str] = ""

    def __init__(self, *, volume: float = 0.1, backtest_toggle: bool = True) -> None:
        super().__init__()
        self.volume = check_number(volume, "volume", low=0.0, strict=True)
        if not isinstance(backtest_toggle, bool):
            raise InputError("builtin_toggle_bool", value=backtest_toggle)
        self.backtest_toggle = backtest_toggle
        self._bi_states: dict[str, _State] = {}
        self._bi_long: dict[str, str] = {}  # symbol -> order id of the buy that opened the position

    @classmethod
    def default_params(cls) -> dict[str, Any]:
        """The strategy's parameters and their defaults (``backtest_toggle`` is a mode, not one)."""
        sig = inspect.signature(cls.__init__)
        return {
            name: p.default
            for name, p in sig.parameters.items()
            if p.kind is p.KEYWORD_ONLY and name != "backtest_toggle"
        }

    def params(self) -> dict[str, Any]:
        """The parameters this instance runs with."""
        return {name: getattr(self, name) for name in self.default_params()}

    @property
    def open_order_ids(self) -> dict[str, str]:
        """Symbol -> order id of the buy whose position the strategy holds (a copy)."""
        return dict(self._bi_long)

    @abstractmethod
    def _new_state(self) -> _State:
        """Fresh indicator state for one symbol."""

    @abstractmethod
    def _signal(self, state: _State, data: dict[str, Any]) -> int:
        """Update ``state`` with the bar ``data``: ENTER (go long), EXIT (close the long) or HOLD."""

    def receive_bars(self, symbol: str, data: dict[str, Any], is_end: bool) -> None:
        state = self._bi_states.get(symbol)
        if state is None:
            state = self._bi_states[symbol] = self._new_state()
        signal = self._signal(state, data)
        if signal == HOLD or is_end:
            return
        if signal == ENTER:
            if symbol not in self._bi_long:
                self._enter(symbol)
        elif symbol in self._bi_long:
            self._exit(symbol)

    def receive_order_status(self, order_id: str, status_data: dict[str, Any]) -> None:
        """Forget an entry whose order died after it was accepted (rejected at the fill, cancelled)."""
        super().receive_order_status(order_id, status_data)
        if order_id not in self._bi_long.values():
            return
        state = status_data.get("state")  # MT5 ORDER_STATE_*, when the terminal reports it
        if state is not None:
            dead = state in _DEAD_STATES
        else:
            dead = status_data.get("retcode", status_data.get("status")) not in _ACCEPTED
        if dead:
            for symbol, oid in list(self._bi_long.items()):
                if oid == order_id:
                    del self._bi_long[symbol]

    def _enter(self, symbol: str) -> None:
        order_id = self.send_order(
            {
                "symbol": symbol,
                "order_type": "buy",
                "volume": self.volume,
                "backtest_toggle": self.backtest_toggle,
            }
        )
        if order_id is not None:
            self._bi_long[symbol] = order_id

    def _exit(self, symbol: str) -> None:
        result = self.send_order(
            {
                "symbol": symbol,
                "order_type": "sell",
                "volume": self.volume,
                "order_id": self._bi_long[symbol],
                "backtest_toggle": self.backtest_toggle,
            }
        )
        if result is not None:  # a rejected close keeps the position: retried on the next exit signal
            del self._bi_long[symbol]


def _check_levels(oversold: object, overbought: object) -> tuple[float, float]:
    low = check_number(oversold, "oversold", low=0.0, high=100.0)
    high = check_number(overbought, "overbought", low=0.0, high=100.0)
    if low >= high:
        raise InputError("oversold_below_overbought", high=high, value=oversold)
    return low, high


class MACrossStrategy(BuiltinStrategy):
    """Buy when SMA(fast) crosses above SMA(slow); exit when it crosses below."""

    name = "ma"

    def __init__(self, *, fast: int = 5, slow: int = 20, volume: float = 0.1, backtest_toggle: bool = True) -> None:
        super().__init__(volume=volume, backtest_toggle=backtest_toggle)
        self.fast = check_period(fast, "fast")
        self.slow = check_period(slow, "slow", minimum=2)
        if self.fast >= self.slow:
            raise InputError("fast_below_slow", slow=self.slow, value=fast)

    def _new_state(self) -> _State:
        return _State(SMA(self.fast), SMA(self.slow))

    def _signal(self, state: _State, data: dict[str, Any]) -> int:
        close = data["close"]
        fast = state.a.update(close)
        slow = state.b.update(close)
        if slow is None:
            return HOLD
        diff = _tie(fast - slow, slow)
        signal = _cross(state.prev, diff)
        state.prev = diff
        return signal


class RSIStrategy(BuiltinStrategy):
    """Buy while RSI(period) < oversold; exit when RSI > overbought."""

    name = "rsi"

    def __init__(
        self,
        *,
        period: int = 14,
        oversold: float = 30.0,
        overbought: float = 70.0,
        volume: float = 0.1,
        backtest_toggle: bool = True,
    ) -> None:
        super().__init__(volume=volume, backtest_toggle=backtest_toggle)
        self.period = check_period(period, "period")
        self.oversold, self.overbought = _check_levels(oversold, overbought)

    def _new_state(self) -> _State:
        return _State(RSI(self.period))

    def _signal(self, state: _State, data: dict[str, Any]) -> int:
        value = state.a.update(data["close"])
        if value is None:
            return HOLD
        if value < self.oversold:
            return ENTER
        if value > self.overbought:
            return EXIT
        return HOLD


class MACDStrategy(BuiltinStrategy):
    """Buy when the MACD line crosses above its signal line; exit when it crosses below."""

    name = "macd"

    def __init__(
        self,
        *,
        fast: int = 12,
        slow: int = 26,
        signal: int = 9,
        volume: float = 0.1,
        backtest_toggle: bool = True,
    ) -> None:
        super().__init__(volume=volume, backtest_toggle=backtest_toggle)
        self.fast = check_period(fast, "fast")
        self.slow = check_period(slow, "slow", minimum=2)
        self.signal = check_period(signal, "signal")
        if self.fast >= self.slow:
            raise InputError("fast_below_slow", slow=self.slow, value=fast)

    def _new_state(self) -> _State:
        return _State(MACD(self.fast, self.slow, self.signal))

    def _signal(self, state: _State, data: dict[str, Any]) -> int:
        value = state.a.update(data["close"])
        if value is None:
            return HOLD
        hist = _tie(value.hist, data["close"])
        signal = _cross(state.prev, hist)
        state.prev = hist
        return signal


class KDStrategy(BuiltinStrategy):
    """Buy when K crosses above D with K < oversold; exit when K crosses below D with K > overbought."""

    name = "kd"

    def __init__(
        self,
        *,
        period: int = 9,
        k_smooth: int = 3,
        d_smooth: int = 3,
        oversold: float = 20.0,
        overbought: float = 80.0,
        volume: float = 0.1,
        backtest_toggle: bool = True,
    ) -> None:
        super().__init__(volume=volume, backtest_toggle=backtest_toggle)
        self.period = check_period(period, "period")
        self.k_smooth = check_period(k_smooth, "k_smooth")
        self.d_smooth = check_period(d_smooth, "d_smooth")
        self.oversold, self.overbought = _check_levels(oversold, overbought)

    def _new_state(self) -> _State:
        return _State(KD(self.period, self.k_smooth, self.d_smooth))

    def _signal(self, state: _State, data: dict[str, Any]) -> int:
        value = state.a.update(data["high"], data["low"], data["close"])
        if value is None:
            return HOLD
        diff = _tie(value.k - value.d, 100.0)
        signal = _cross(state.prev, diff)
        state.prev = diff
        if signal == ENTER and value.k < self.oversold:
            return ENTER
        if signal == EXIT and value.k > self.overbought:
            return EXIT
        return HOLD


class BollingerStrategy(BuiltinStrategy):
    """Buy when the close is at or below the lower band; exit at or above the upper band."""

    name = "bband"

    def __init__(
        self, *, period: int = 20, nbdev: float = 2.0, volume: float = 0.1, backtest_toggle: bool = True
    ) -> None:
        super().__init__(volume=volume, backtest_toggle=backtest_toggle)
        self.period = check_period(period, "period", minimum=2)
        self.nbdev = check_number(nbdev, "nbdev", low=0.0, strict=True)

    def _new_state(self) -> _State:
        return _State(BollingerBands(self.period, self.nbdev))

    def _signal(self, state: _State, data: dict[str, Any]) -> int:
        close = data["close"]
        bands = state.a.update(close)
        if bands is None:
            return HOLD
        if close <= bands.lower:
            return ENTER
        if close >= bands.upper:
            return EXIT
        return HOLD


BUILTIN_STRATEGIES: dict[str, type[BuiltinStrategy]] = {
    cls.name: cls for cls in (MACrossStrategy, RSIStrategy, MACDStrategy, KDStrategy, BollingerStrategy)
}
