"""The settings of a simulated run, read from the MAS params: symbols, timeframe, range, account, costs and the
modeling mode (:data:`BAR_MODELS`, :data:`TICK_MODELS`).

Below the backtest, the sim server, the fast engine and the reports, which all read a run's settings the same way
from here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from mas import params as p
from mas.data.timeframes import timeframe_name
from mas.i18n.errors import InputError
from mas.sim.account import AccountSettings
from mas.sim.symbols import BUILTIN_SYMBOLS, SymbolSpec, resolve_spec, symbol_names

__all__ = ["BAR_MODELS", "TICK_MODELS", "BacktestSettings"]

BAR_MODELS = ("open_prices", "ohlc", "every_tick", "real_ticks")
"""How the path inside a bar is found: the bar's own OHLC, its M1 bars, ticks synthesized from
its M1 bars, or stored ticks (the MT5 strategy tester's modeling modes)."""
TICK_MODELS = ("real_ticks", "every_tick")


@dataclass
class BacktestSettings:
    """Everything a bar backtest is configured with (the MAS params plus our extensions)."""

    symbols: list[str]
    timeframe: str
    start: datetime | None
    end: datetime | None
    capital: float = 10_000.0
    currency: str = "USD"
    leverage: int = 100
    margin_mode: str = "hedging"
    spread: int | None = None
    commission: float | None = None
    slippage: int = 0
    margin_call_level: float = 50.0
    stop_out_level: float = 30.0
    model: str = "open_prices"
    symbol_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: dict, *, ticks: bool = False) -> BacktestSettings:
        """Settings of a bar replay, or of a tick replay (``ticks``: no timeframe, tick models only)."""
        symbols = p.symbol_list(params)
        if ticks:
            timeframe = "TICK"
        elif params.get("timeframe") in (None, ""):
            raise InputError("timeframe_missing")
        else:
            timeframe = timeframe_name(params["timeframe"])
        start = p.parse_time(params["from"], "from") if params.get("from") not in (None, "") else None
        end = p.parse_time(params["to"], "to", end_of_day=True) if params.get("to") not in (None, "") else None
        if start and end and start > end:
            raise InputError("from_after_to", start=start, end=end)
        capital_field = "captital" if params.get("captital") is not None else "capital"
        models = TICK_MODELS if ticks else BAR_MODELS
        model = str(params.get("model", models[0])).lower()
        if model not in models:
            raise InputError("model_invalid_tick" if ticks else "model_invalid_bar", value=params.get("model"),
                             valid=", ".join(models))
        overrides = params.get("symbol_overrides") or {}
        if not isinstance(overrides, dict):
            raise InputError("overrides_not_dict")
        return cls(
            symbols=symbols, timeframe=timeframe, start=start, end=end,
            capital=p.number(params, capital_field, 10_000.0, positive=True),
            currency=str(params.get("currency", "USD")).upper(),
            leverage=p.whole(params, "leverage", 100, minimum=1),
            margin_mode=str(params.get("margin_mode", "hedging")).lower(),
            spread=p.whole(params, "spread", minimum=0) if params.get("spread") is not None else None,
            commission=p.number(params, "commission", minimum=0.0) if params.get("commission") is not None else None,
            slippage=p.whole(params, "slippage", 0, minimum=0),
            margin_call_level=p.number(params, "margin_call_level", 50.0, minimum=0.0),
            stop_out_level=p.number(params, "stop_out_level", 30.0, minimum=0.0),
            model=model, symbol_overrides={str(k).upper(): dict(v) for k, v in overrides.items()},
        )

    def account(self) -> AccountSettings:
        """The simulated account's settings: capital, currency, leverage, margin mode and levels."""
        return AccountSettings(capital=self.capital, currency=self.currency, leverage=self.leverage,
                               margin_mode=self.margin_mode, margin_call_level=self.margin_call_level,
                               stop_out_level=self.stop_out_level)

    def specs(self) -> dict[str, SymbolSpec]:
        """Every symbol's spec for this run (built-ins, the replayed symbols, overrides and the commission applied)."""
        names = symbol_names() + [s for s in self.symbols if s not in BUILTIN_SYMBOLS]
        names += [s for s in self.symbol_overrides if s not in names]
        specs = {n: resolve_spec(n, self.symbol_overrides) for n in names}
        if self.commission is not None:
            specs = {n: s.with_overrides({"commission": self.commission}) for n, s in specs.items()}
        return specs

    def as_report_settings(self, strategy: str) -> dict[str, Any]:
        """The settings as the reports show them: ``symbol``, ``from``, ``to`` as text and the ``strategy`` name."""
        out = asdict(self)
        out["symbol"] = ",".join(self.symbols)
        out["from"] = self.start.isoformat(sep=" ") if self.start else None
        out["to"] = self.end.isoformat(sep=" ") if self.end else None
        out["strategy"] = strategy
        for key in ("symbols", "start", "end"):
            out.pop(key)
        return out

