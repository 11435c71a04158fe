"""The JSON bodies the web API accepts, validated before anything runs (a bad field -> 422 naming it)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mas.i18n.errors import InputError
from mas.strategy.spec import TIMEFRAMES

__all__ = ["BacktestRequest", "BuiltinSource", "CheckRequest", "ExportRequest", "FileSource", "LiveStartRequest",
           "LoginRequest", "OptimizeRequest", "ParamsRequest", "ParseRequest", "SaveStrategyRequest", "SpecSource",
           "StrategySource", "TextSource", "WalkForward"]

Lang = Literal["en", "zh-tw", "zh-cn"]
Timeframe = Literal[TIMEFRAMES]  # type: ignore[valid-type]
Model = Literal["open_prices", "ohlc", "every_tick", "real_ticks"]
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]
MAX_TEXT = 4000


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class LoginRequest(_Body):
    """The password form."""
    password: str = Field(max_length=1024)


class ParseRequest(_Body):
    """A strategy text to read, and its language when known."""
    text: str = Field(max_length=MAX_TEXT)
    lang: Lang | None = None


class CheckRequest(_Body):
    """An edited spec to check, and the language to read it back in."""
    spec: dict[str, Any]
    lang: Lang = "en"


class TextSource(_Body):
    """A strategy described in words (English or Chinese)."""
    kind: Literal["text"] = "text"
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class SpecSource(_Body):
    """A strategy spec (JSON), as read from a text and edited, or opened from a file."""
    kind: Literal["spec"] = "spec"
    spec: dict[str, Any]


class BuiltinSource(_Body):
    """A built-in strategy with its keyword arguments."""
    kind: Literal["builtin"] = "builtin"
    name: str = Field(max_length=32)
    params: dict[str, float | int] = Field(default_factory=dict, max_length=20)


class FileSource(_Body):
    """A strategy file uploaded earlier (:mod:`mas.web.uploads`), run as ``mas backtest file.py`` runs it."""

    kind: Literal["file"] = "file"
    id: str = Field(pattern=r"^[0-9a-f]{32}$")
    name: str = Field("strategy.py", max_length=120)
    classes: list[str] = Field(default_factory=list, max_length=50)
    params: dict[str, float | int | str | bool] = Field(default_factory=dict, max_length=20)


StrategySource = Annotated[TextSource | SpecSource | BuiltinSource | FileSource, Field(discriminator="kind")]


class SaveStrategyRequest(_Body):
    """A strategy to keep in the library under a name."""
    name: str = Field(min_length=1, max_length=100)
    source: StrategySource


class BacktestRequest(_Body):
    """What ``mas backtest`` takes: the strategy, what to replay and the simulated account."""

    strategy: StrategySource
    symbol: str = Field("EURUSD", pattern=r"^[A-Za-z0-9._#-]{1,32}$")
    timeframe: Timeframe = "H1"
    date_from: Day | None = Field(None, alias="from")
    date_to: Day | None = Field(None, alias="to")
    model: Model = "open_prices"
    capital: float = Field(10_000.0, gt=0, le=1e12)
    leverage: int = Field(100, gt=0, le=100_000)
    spread: int | None = Field(None, ge=0, le=100_000)
    commission: float | None = Field(None, ge=0, le=1e6)
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$")
    margin_mode: Literal["hedging", "netting"] = "hedging"
    slippage: int = Field(0, ge=0, le=100_000)
    engine: Literal["auto", "event", "fast"] = "auto"

    @model_validator(mode="after")
    def _range_in_order(self) -> BacktestRequest:
        for name, day in (("from", self.date_from), ("to", self.date_to)):
            if day is not None:
                try:
                    date.fromisoformat(day)
                except ValueError:
                    raise InputError("web_app_not_date", name=name, day=day) from None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError("web_app_range_order", start=self.date_from, end=self.date_to)
        return self


def _check_range(date_from: str | None, date_to: str | None) -> None:
    for name, day in (("from", date_from), ("to", date_to)):
        if day is not None:
            try:
                date.fromisoformat(day)
            except ValueError:
                raise InputError("web_app_not_date", name=name, day=day) from None
    if date_from and date_to and date_from > date_to:
        raise InputError("web_app_range_order", start=date_from, end=date_to)


class ParamsRequest(_Body):
    """The strategy whose sweepable parameters are asked for."""
    strategy: StrategySource


Length = Annotated[str, Field(pattern=r"^\s*\d+\s*[A-Za-z]+\s*$", max_length=16, description="e.g. 6M, 90D, 2000B")]


class WalkForward(_Body):
    """Walk-forward windows: in-sample and out-of-sample lengths (e.g. 3M, 1M), anchored or rolling."""
    in_sample: Length
    out_of_sample: Length
    anchored: bool = False


class OptimizeRequest(_Body):
    """A sweep: the strategy, its parameter ranges (``START:STOP:STEP`` or a list), the search and the market."""

    strategy: StrategySource
    params: dict[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.]{0,80}$")],
                 Annotated[str, Field(min_length=1, max_length=200)] | list[int | float]] = Field(min_length=1,
                                                                                                          max_length=6)
    method: Literal["grid", "random"] = "grid"
    trials: int | None = Field(None, ge=1, le=5000)
    max_sets: int = Field(2000, ge=1, le=20000)
    metric: str = Field("sharpe_ratio", pattern=r"^[a-z_]{1,64}$")
    maximize: bool = True
    walk_forward: WalkForward | None = None
    symbol: str = Field("EURUSD", pattern=r"^[A-Za-z0-9._#-]{1,32}$")
    timeframe: Timeframe = "H1"
    date_from: Day | None = Field(None, alias="from")
    date_to: Day | None = Field(None, alias="to")
    capital: float = Field(10_000.0, gt=0, le=1e12)
    leverage: int = Field(100, gt=0, le=100_000)
    spread: int | None = Field(None, ge=0, le=100_000)

    @model_validator(mode="after")
    def _valid(self) -> OptimizeRequest:
        _check_range(self.date_from, self.date_to)
        if self.method == "random" and self.trials is None:
            raise InputError("web_app_trials_needed")
        return self


class LiveStartRequest(_Body):
    """Trade a strategy on a broker profile (paper or real): what ``mas live`` takes."""

    strategy: StrategySource
    profile: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    symbol: str = Field("EURUSD", pattern=r"^[A-Za-z0-9._#-]{1,32}$")
    timeframe: Timeframe = "H1"
    interval_ms: int = Field(1000, ge=50, le=60_000)
    warmup_bars: int = Field(500, ge=0, le=10_000)
    confirm: bool = Field(False, description="must be true: the page asks the user before it starts")


class ExportRequest(_Body):
    """The standalone program of a strategy (``mas strategy export``): backtest settings baked in, or live."""

    strategy: StrategySource
    symbol: str | None = Field(None, pattern=r"^[A-Za-z0-9._#-]{1,32}$")
    timeframe: Timeframe | None = None
    date_from: Day = Field("2017-01-01", alias="from")
    date_to: Day = Field("2017-12-31", alias="to")
    capital: float = Field(10_000.0, gt=0, le=1e12)
    live: bool = False
    profile: str | None = Field(None, pattern=r"^[A-Za-z0-9_.-]{1,64}$")
