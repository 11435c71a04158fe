"""The five built-in MAS strategies as specs, their numbers as parameters.

``builtin_spec("kd", oversold=25)`` builds the spec of a built-in with the same keyword
parameters (and defaults) as its hand-written class in :mod:`mas.strategy.builtins`; compiled, it
trades exactly like that class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mas.i18n.errors import Text
from mas.strategy.spec import StrategySpec, spec_from_dict

__all__ = ["BUILTIN_SPECS", "builtin_spec"]


def _spec(name: str, indicators: list[dict], entry: dict, exit_: dict, volume: float) -> StrategySpec:
    return spec_from_dict({"name": name, "indicators": indicators, "entry_long": entry, "exit_long": exit_,
                           "risk": {"lots": volume}})


def ma_spec(*, fast: int = 5, slow: int = 20, volume: float = 0.1) -> StrategySpec:
    """Buy when SMA(fast) crosses above SMA(slow); exit when it crosses below."""
    fast_id, slow_id = f"sma_{fast}", f"sma_{slow}"
    return _spec("ma", [{"id": fast_id, "kind": "sma", "period": fast}, {"id": slow_id, "kind": "sma", "period": slow}],
                 {"kind": "crosses_above", "left": fast_id, "right": slow_id},
                 {"kind": "crosses_below", "left": fast_id, "right": slow_id}, volume)


def rsi_spec(*, period: int = 14, oversold: float = 30.0, overbought: float = 70.0,
             volume: float = 0.1) -> StrategySpec:
    """Buy while RSI(period) < oversold; exit when RSI > overbought."""
    rsi = f"rsi_{period}"
    return _spec("rsi", [{"id": rsi, "kind": "rsi", "period": period}],
                 {"kind": "compare", "left": rsi, "op": "<", "right": oversold},
                 {"kind": "compare", "left": rsi, "op": ">", "right": overbought}, volume)


def macd_spec(*, fast: int = 12, slow: int = 26, signal: int = 9, volume: float = 0.1) -> StrategySpec:
    """Buy when the MACD line crosses above its signal line; exit when it crosses below."""
    macd = f"macd_{fast}_{slow}_{signal}"
    return _spec("macd", [{"id": macd, "kind": "macd", "fast": fast, "slow": slow, "signal": signal}],
                 {"kind": "crosses_above", "left": f"{macd}.line", "right": f"{macd}.signal"},
                 {"kind": "crosses_below", "left": f"{macd}.line", "right": f"{macd}.signal"}, volume)


def kd_spec(*, period: int = 9, k_smooth: int = 3, d_smooth: int = 3, oversold: float = 20.0,
            overbought: float = 80.0, volume: float = 0.1) -> StrategySpec:
    """Buy when K crosses above D with K < oversold; exit when K crosses below D with K > overbought."""
    kd = f"kd_{period}_{k_smooth}_{d_smooth}"
    k, d = f"{kd}.k", f"{kd}.d"
    return _spec("kd", [{"id": kd, "kind": "kd", "period": period, "k_smooth": k_smooth, "d_smooth": d_smooth}],
                 {"kind": "all", "conditions": [{"kind": "crosses_above", "left": k, "right": d},
                                                {"kind": "compare", "left": k, "op": "<", "right": oversold}]},
                 {"kind": "all", "conditions": [{"kind": "crosses_below", "left": k, "right": d},
                                                {"kind": "compare", "left": k, "op": ">", "right": overbought}]},
                 volume)


def bband_spec(*, period: int = 20, nbdev: float = 2.0, volume: float = 0.1) -> StrategySpec:
    """Buy when the close is at or below the lower band; exit at or above the upper band."""
    bb = f"bbands_{period}_{nbdev:g}".replace(".", "_")
    return _spec("bband", [{"id": bb, "kind": "bbands", "period": period, "nbdev": nbdev}],
                 {"kind": "compare", "left": "close", "op": "<=", "right": f"{bb}.lower"},
                 {"kind": "compare", "left": "close", "op": ">=", "right": f"{bb}.upper"}, volume)


BUILTIN_SPECS: dict[str, Callable[..., StrategySpec]] = {
    "ma": ma_spec, "rsi": rsi_spec, "macd": macd_spec, "kd": kd_spec, "bband": bband_spec,
}


def builtin_spec(name: str, **params: Any) -> StrategySpec:
    """The spec of built-in ``name`` with ``params`` (the hand-written class's keyword parameters)."""
    if name not in BUILTIN_SPECS:
        raise ValueError(Text("spec_builtin_unknown", name=name, names=", ".join(BUILTIN_SPECS)))
    try:
        return BUILTIN_SPECS[name](**params)
    except TypeError as exc:
        raise ValueError(Text("spec_path_reason", path=name, reason=str(exc))) from None
