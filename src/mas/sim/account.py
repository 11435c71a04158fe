"""Margin-account arithmetic: MT5's margin, profit and swap formulas, account settings.

All functions return amounts in the symbol's own currencies (margin currency for margin,
profit currency for profit and swaps); the terminal converts them into the account
currency with the rates of the moment (:class:`mas.sim.symbols.CurrencyConverter`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from mas.i18n.comments import Comment
from mas.i18n.errors import InputError
from mas.sim.symbols import SymbolSpec
from mas.terminal import constants as c

MARGIN_MODES: Final = {"hedging": c.ACCOUNT_MARGIN_MODE_RETAIL_HEDGING, "netting": c.ACCOUNT_MARGIN_MODE_RETAIL_NETTING}


@dataclass(frozen=True)
class AccountSettings:
    """The simulated account: currency, leverage, margin mode and stop-out levels (percent)."""

    capital: float = 10_000.0
    currency: str = "USD"
    leverage: int = 100
    margin_mode: str = "hedging"
    margin_call_level: float = 50.0
    stop_out_level: float = 30.0
    login: int = 10_000_001
    name: str = "MAS simulated account"
    server: str = "MAS-Backtest"
    company: str = "MAS simulated terminal"

    def __post_init__(self) -> None:
        if not (isinstance(self.capital, (int, float)) and math.isfinite(self.capital) and self.capital > 0):
            raise InputError("capital_positive", value=self.capital)
        if not (isinstance(self.leverage, int) and self.leverage >= 1):
            raise InputError("leverage_whole", value=self.leverage)
        if self.margin_mode not in MARGIN_MODES:
            raise InputError("margin_mode_invalid", value=self.margin_mode)
        if not (isinstance(self.currency, str) and len(self.currency) == 3 and self.currency.isalpha()):
            raise InputError("currency_code", value=self.currency)
        if not 0 <= self.stop_out_level <= self.margin_call_level:
            raise InputError("stop_out_range")

    @property
    def hedging(self) -> bool:
        """Whether the account is a hedging one (else netting)."""
        return self.margin_mode == "hedging"


def margin_in_margin_currency(spec: SymbolSpec, volume: float, price: float, leverage: int) -> float:
    """Initial margin of ``volume`` lots at ``price``, in the symbol's margin currency.

    MT5's formulas by calculation mode: Forex ``lots * contract / leverage``; Forex no
    leverage ``lots * contract``; CFD ``lots * contract * price``; CFD leverage
    ``lots * contract * price / leverage``; each times the margin rate.
    """
    mode = spec.calc_mode
    lots_contract = volume * spec.contract_size
    if mode == c.SYMBOL_CALC_MODE_FOREX:
        value = lots_contract / leverage
    elif mode == c.SYMBOL_CALC_MODE_FOREX_NO_LEVERAGE:
        value = lots_contract
    elif mode in (c.SYMBOL_CALC_MODE_CFD, c.SYMBOL_CALC_MODE_CFDINDEX, c.SYMBOL_CALC_MODE_EXCH_STOCKS):
        value = lots_contract * price
    elif mode == c.SYMBOL_CALC_MODE_CFDLEVERAGE:
        value = lots_contract * price / leverage
    else:
        raise InputError("calc_mode_unsupported", symbol=spec.name, mode=mode)
    return value * spec.margin_rate


def profit_in_profit_currency(
    spec: SymbolSpec, is_buy: bool, volume: float, price_open: float, price_close: float
) -> float:
    """P&L of ``volume`` lots from ``price_open`` to ``price_close`` in the profit currency:
    ``(close - open) * contract * lots`` for a buy, the negative for a sell."""
    diff = price_close - price_open if is_buy else price_open - price_close
    return diff * spec.contract_size * volume


def swap_in_profit_currency(spec: SymbolSpec, is_buy: bool, volume: float, nights: int) -> float:
    """Swap for ``nights`` rollovers in points mode: ``points * point * contract * lots``."""
    points = spec.swap_long if is_buy else spec.swap_short
    return points * spec.point * spec.contract_size * volume * nights


_INFINITY: Final = math.inf
_POWERS_OF_TEN: Final = [10.0 ** k for k in range(16)]  # exact as doubles


def fast_round(x: float, digits: int) -> float:
    """``round(x, digits)`` bit for bit (``0 <= digits <= 15``), without its decimal conversion in the
    usual case: ``x * 10**digits`` is rounded to the nearest whole number directly, and that number
    over ``10**digits`` is the double nearest the rounded decimal, as ``round`` returns. A product
    within reach of a half, where its own rounding error could pick the wrong side, and a product
    too large or not finite go through ``round`` itself. A zero (money without commission or swap) is itself."""
    if x == 0.0:
        return x
    if not 0 <= digits <= 15:
        return round(x, digits)
    scale = _POWERS_OF_TEN[digits]
    y = x * scale
    if not -1e15 < y < 1e15:
        return round(x, digits)
    whole = math.floor(y)
    frac = y - whole  # exact
    if abs(frac - 0.5) <= 1e-9 * (1.0 + abs(y)):  # a half, or nearly: round's exact arithmetic decides
        return round(x, digits)
    nearest = float(whole + 1) if frac > 0.5 else float(whole)
    if nearest == 0.0:
        return math.copysign(0.0, x)  # round keeps the sign of a zero result
    return nearest / scale


def volume_error(spec: SymbolSpec, volume: float) -> str | None:
    """Why ``volume`` is not tradable for ``spec`` (min, max, step), or None when it is."""
    if not 0 < volume < _INFINITY:  # also NaN
        return Comment("volume_not_positive", volume=volume)
    if volume < spec.volume_min - 1e-9:
        return Comment("volume_below_min", volume=volume, minimum=spec.volume_min, symbol=spec.name)
    if volume > spec.volume_max + 1e-9:
        return Comment("volume_above_max", volume=volume, maximum=spec.volume_max, symbol=spec.name)
    steps = volume / spec.volume_step
    if abs(steps - int(steps + 0.5)) > 1e-6:  # the nearest whole number of steps (steps > 0 here)
        return Comment("volume_step", volume=volume, step=spec.volume_step, symbol=spec.name)
    return None
