"""The strategy spec: a strategy as validated data (pydantic v2).

A spec names its indicators, states entry and exit rules for long and short positions as
conditions over *operands*, and sets risk, sizing and time filters. It is what the text parser
and the LLM backend produce, what the compiler turns into a ``MAS`` strategy and what the
exporter turns into a program. Only validated specs are ever compiled or exported.

Operands are numbers or strings: a price field (``open high low close volume``), an indicator
id (``rsi_14``), an indicator output (``macd_12_26_9.signal``), each optionally looking back
``k`` bars (``highest_20[1]`` = the previous bar's value). An operand may also be arithmetic on those (a
``Sum``): ``{"terms": [{"operand": "sma_20"}, {"operand": "atr_14", "times": 2}], "plus": 0}`` is
``SMA(20) + 2 × ATR(14)``, ``{"terms": [{"operand": "sma_volume_20", "times": 1.5}]}`` is 1.5 × the average volume;
unknown while any term warms up.

Conditions (``kind``): ``compare`` (``<``, ``<=``, ``>``, ``>=``), ``crosses_above`` (previous
``left <= right`` and now ``left > right``), ``crosses_below`` (previous ``left >= right`` and
now ``left < right``), ``between`` (inclusive), ``rising`` / ``falling`` (the value now is
above / below its value ``bars`` bars ago), ``for_bars`` (a condition held on each of the last
``bars`` bars), ``sequence`` (``then`` holds now and ``first`` held on one of the ``within`` bars
before: "A then B within N bars"), ``all``, ``any``, ``not``. A condition whose operands are still warming up is
false.

Semantics: at the close of a bar where ``entry_long`` holds (and the filters allow it) the
strategy buys, unless a position is open (more with ``max_open_positions`` > 1); where
``exit_long`` holds it closes its long positions; likewise ``entry_short`` / ``exit_short``.
Exits are decided before entries, and a side does not enter on a bar where its own exit rule
holds. Filters (sessions, weekdays, on the signal bar's open time) restrict entries only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mas.i18n.errors import Text, text_of

__all__ = [
    "Condition",
    "Distance",
    "Filters",
    "INDICATOR_OUTPUTS",
    "Indicator",
    "PRICE_FIELDS",
    "Risk",
    "Session",
    "SpecError",
    "StrategySpec",
    "Sum",
    "Term",
    "TIMEFRAMES",
    "load_spec",
    "parse_operand",
    "spec_from_dict",
    "spec_json_schema",
]

TIMEFRAMES = ("M1", "M2", "M3", "M4", "M5", "M6", "M10", "M12", "M15", "M20", "M30",
              "H1", "H2", "H3", "H4", "H6", "H8", "H12", "D1", "W1", "MN1")
PRICE_FIELDS = ("open", "high", "low", "close", "volume")
Timeframe = Literal["M1", "M2", "M3", "M4", "M5", "M6", "M10", "M12", "M15", "M20", "M30",
                    "H1", "H2", "H3", "H4", "H6", "H8", "H12", "D1", "W1", "MN1"]
PriceField = Literal["open", "high", "low", "close", "volume"]
Period = Annotated[int, Field(ge=1, le=10_000)]
Bars = Annotated[int, Field(ge=1, le=10_000)]

_ID = r"[a-z][a-z0-9_]{0,63}"
_OPERAND = re.compile(rf"^({_ID})(?:\.([a-z]+))?(?:\[(\d{{1,4}})\])?$")


class SpecError(ValueError):
    """A spec that does not validate; the message names each offending field, ``problems`` lists them (a
    :class:`~mas.i18n.Text`: English by ``str()``, translated by :func:`mas.i18n.localize`)."""

    def __init__(self, message: str, problems: str | None = None) -> None:
        super().__init__(message)
        self.problems = message if problems is None else problems


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- indicators


class _IndicatorBase(_Model):
    id: str = Field(pattern=rf"^{_ID}$", description="Name the conditions use, e.g. 'rsi_14'.")

    @field_validator("id")
    @classmethod
    def _not_a_price_field(cls, value: str) -> str:
        if value in PRICE_FIELDS:
            raise ValueError(Text("spec_id_price_field", value=value))
        return value


class MovingAverage(_IndicatorBase):
    """SMA, EMA (seeded with the SMA of its first values) or WMA of a price field."""

    kind: Literal["sma", "ema", "wma"]
    period: Period
    source: PriceField = "close"


class RSIIndicator(_IndicatorBase):
    """The relative strength index of ``source`` over ``period`` bars."""
    kind: Literal["rsi"]
    period: Period = 14
    source: PriceField = "close"


class MACDIndicator(_IndicatorBase):
    """Outputs: line (default), signal, hist."""

    kind: Literal["macd"]
    fast: Period = 12
    slow: Period = 26
    signal: Period = 9
    source: PriceField = "close"

    @model_validator(mode="after")
    def _fast_below_slow(self) -> MACDIndicator:
        if self.fast >= self.slow:
            raise ValueError(Text("spec_fast_below_slow", fast=self.fast, slow=self.slow))
        return self


class BollingerIndicator(_IndicatorBase):
    """Outputs: upper, middle (default), lower; population standard deviation as TA-Lib."""

    kind: Literal["bbands"]
    period: Annotated[int, Field(ge=2, le=10_000)] = 20
    nbdev: Annotated[float, Field(gt=0, le=10)] = 2.0
    source: PriceField = "close"


class KDIndicator(_IndicatorBase):
    """The MAS docs' KD: RSV over ``period`` bars, K and D smoothed from 50. Outputs: k (default), d."""

    kind: Literal["kd"]
    period: Period = 9
    k_smooth: Period = 3
    d_smooth: Period = 3


class StochasticIndicator(_IndicatorBase):
    """TA-Lib STOCH with simple averages. Outputs: k (default, slow %K), d (slow %D)."""

    kind: Literal["stoch"]
    fastk: Period = 14
    slowk: Period = 3
    slowd: Period = 3


class PeriodIndicator(_IndicatorBase):
    """ATR, ADX, CCI and Williams %R over ``period`` bars (TA-Lib's definitions)."""

    kind: Literal["atr", "adx", "cci", "willr"]
    period: Annotated[int, Field(ge=2, le=10_000)] = 14


class ExtremeIndicator(_IndicatorBase):
    """Highest / lowest value of a price field over ``period`` bars (the current one included)."""

    kind: Literal["highest", "lowest"]
    period: Period
    source: PriceField | None = Field(None, description="Default: high for highest, low for lowest.")

    @property
    def field(self) -> str:
        """The price the extreme is taken of: ``source``, else high for highest and low for lowest."""
        return self.source or ("high" if self.kind == "highest" else "low")


Indicator = Annotated[
    (MovingAverage | RSIIndicator | MACDIndicator | BollingerIndicator | KDIndicator | StochasticIndicator
     | PeriodIndicator | ExtremeIndicator),
    Field(discriminator="kind"),
]

INDICATOR_OUTPUTS: dict[str, tuple[str, ...]] = {
    "macd": ("line", "signal", "hist"),
    "bbands": ("middle", "upper", "lower"),
    "kd": ("k", "d"),
    "stoch": ("k", "d"),
}
"""Named outputs of multi-line indicators, the default first; other kinds have one value."""

OSCILLATORS = frozenset({"rsi", "kd", "stoch", "adx", "cci", "willr"})
"""Kinds whose values live on a fixed scale (about 0..100) rather than in price units."""


# --------------------------------------------------------------------------- conditions

class Term(_Model):
    """``times`` × an operand (a price field, an indicator id or line, optionally ``[bars back]``)."""

    operand: str
    times: float = Field(1.0, allow_inf_nan=False, ge=-1e6, le=1e6)

    @field_validator("operand")
    @classmethod
    def _an_operand(cls, value: str) -> str:
        parse_operand(value)
        return value

    @field_validator("times")
    @classmethod
    def _not_zero(cls, value: float) -> float:
        if value == 0:
            raise ValueError(Text("spec_term_times_zero"))
        return value


class Sum(_Model):
    """Arithmetic on operands: the sum of ``terms`` (each ``times`` × its operand, added in order), then ``plus``."""

    terms: tuple[Term, ...] = Field(min_length=1, max_length=4)
    plus: float = Field(0.0, allow_inf_nan=False, ge=-1e9, le=1e9)


Operand = float | str | Sum


def parse_operand(text: str) -> tuple[str, str | None, int]:
    """(name, output or None, lookback bars) of an operand string, else ValueError."""
    match = _OPERAND.match(text)
    if match is None:
        raise ValueError(Text("spec_not_an_operand", text=text, fields=", ".join(PRICE_FIELDS)))
    name, output, back = match.groups()
    return name, output, int(back or 0)


class Compare(_Model):
    """``left op right``: two operands compared (<, <=, >, >=)."""
    kind: Literal["compare"] = "compare"
    left: Operand
    op: Literal["<", "<=", ">", ">="]
    right: Operand


class Cross(_Model):
    """``crosses_above``: previous left <= right and now left > right; ``crosses_below`` mirrors it."""

    kind: Literal["crosses_above", "crosses_below"]
    left: Operand
    right: Operand


class Between(_Model):
    """``low <= value <= high``."""
    kind: Literal["between"] = "between"
    value: Operand
    low: Operand
    high: Operand


class Trend(_Model):
    """``rising``: the value now is above its value ``bars`` bars ago; ``falling``: below."""

    kind: Literal["rising", "falling"]
    value: Operand
    bars: Bars = 1


class ForBars(_Model):
    """``condition`` held on each of the last ``bars`` bars."""
    kind: Literal["for_bars"] = "for_bars"
    condition: Condition
    bars: Annotated[int, Field(ge=2, le=10_000)]


class Sequence(_Model):
    """"A then B within N bars": ``then`` holds now and ``first`` held on one of the ``within`` bars before."""

    kind: Literal["sequence"] = "sequence"
    first: Condition
    then: Condition
    within: Bars


class AllOf(_Model):
    """Every one of ``conditions`` holds."""
    kind: Literal["all"] = "all"
    conditions: list[Condition] = Field(min_length=1)


class AnyOf(_Model):
    """At least one of ``conditions`` holds."""
    kind: Literal["any"] = "any"
    conditions: list[Condition] = Field(min_length=1)


class Not(_Model):
    """``condition`` does not hold."""
    kind: Literal["not"] = "not"
    condition: Condition


Condition = Annotated[
    Compare | Cross | Between | Trend | ForBars | Sequence | AllOf | AnyOf | Not,
    Field(discriminator="kind"),
]

for _model in (ForBars, Sequence, AllOf, AnyOf, Not):
    _model.model_rebuild()


# --------------------------------------------------------------------------- risk and filters


class Distance(_Model):
    """A price distance: pips (10 points on 5- and 3-digit quotes, else 1 point), points, percent of
    the entry price, or a multiple of ATR(``atr_period``) at the signal bar."""

    unit: Literal["pips", "points", "percent", "atr"]
    value: Annotated[float, Field(gt=0, le=100_000)]
    atr_period: Annotated[int, Field(ge=2, le=10_000)] = 14

    @model_validator(mode="after")
    def _percent_below_100(self) -> Distance:
        if self.unit == "percent" and self.value >= 100:
            raise ValueError(Text("spec_percent_below_100", value=f"{self.value:g}"))
        return self


class Risk(_Model):
    """Position size and exits: lots or risk %, stop loss, take profit, trailing stop, time exit, most positions."""
    lots: Annotated[float, Field(gt=0, le=1000)] = 0.1
    risk_percent: Annotated[float, Field(gt=0, le=100)] | None = Field(
        None, description="Size each entry to lose this % of equity at the stop loss (overrides lots).")
    stop_loss: Distance | None = None
    take_profit: Distance | None = None
    trailing_stop: Distance | None = None
    exit_after_bars: Bars | None = None
    max_open_positions: Annotated[int, Field(ge=1, le=100)] = 1

    @model_validator(mode="after")
    def _risk_needs_a_stop(self) -> Risk:
        if self.risk_percent is not None and self.stop_loss is None:
            raise ValueError(Text("spec_risk_needs_stop"))
        return self


NAMED_SESSIONS: dict[str, tuple[str, str]] = {
    "sydney": ("21:00", "06:00"), "tokyo": ("00:00", "09:00"),
    "london": ("07:00", "16:00"), "new_york": ("12:00", "21:00"),
}
"""Trading sessions in the bars' time zone (UTC for the bundled data), without daylight saving."""
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class Session(_Model):
    """A daily time window [start, end) of bar open times; it wraps midnight when start > end."""

    name: Literal["sydney", "tokyo", "london", "new_york"] | None = None
    start: str | None = Field(None, pattern=_HHMM)
    end: str | None = Field(None, pattern=_HHMM)

    @model_validator(mode="after")
    def _named_or_timed(self) -> Session:
        if self.name is not None:
            start, end = NAMED_SESSIONS[self.name]
            if (self.start or start) != start or (self.end or end) != end:
                raise ValueError(Text("spec_session_named", name=self.name, start=start, end=end))
            object.__setattr__(self, "start", start)
            object.__setattr__(self, "end", end)
        elif self.start is None or self.end is None:
            raise ValueError(Text("spec_session_needs_times"))
        elif self.start == self.end:
            raise ValueError(Text("spec_session_empty"))
        return self

    def minutes(self) -> tuple[int, int]:
        """(start, end) in minutes after midnight."""
        def to_minutes(text: str) -> int:
            return int(text[:2]) * 60 + int(text[3:])

        return to_minutes(self.start or ""), to_minutes(self.end or "")


class Filters(_Model):
    """When entries are allowed: trading sessions and weekdays (empty: always)."""
    sessions: list[Session] = Field(default_factory=list, description="Enter only inside one of these.")
    weekdays: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=list, description="Enter only on these days (empty: any day).")


# --------------------------------------------------------------------------- the spec

_RULES = ("entry_long", "exit_long", "entry_short", "exit_short")


class StrategySpec(_Model):
    """A strategy as data: indicators, rules, risk and filters."""

    version: Literal[1] = 1
    name: str | None = Field(None, max_length=100)
    symbol: str | None = Field(None, pattern=r"^[A-Za-z0-9._#-]{1,32}$")
    timeframe: Timeframe | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    entry_long: Condition | None = None
    exit_long: Condition | None = None
    entry_short: Condition | None = None
    exit_short: Condition | None = None
    risk: Risk = Field(default_factory=Risk)
    filters: Filters = Field(default_factory=Filters)

    @model_validator(mode="after")
    def _consistent(self) -> StrategySpec:
        seen: set[str] = set()
        for i, ind in enumerate(self.indicators):
            if ind.id in seen:
                raise ValueError(Text("spec_id_twice", index=i, ident=ind.id))
            seen.add(ind.id)
        # indicators are independent: a canonical order (natural sort of ids) makes equal specs compare equal
        object.__setattr__(self, "indicators", sorted(self.indicators, key=lambda i: _natural_key(i.id)))
        if self.entry_long is None and self.entry_short is None:
            raise ValueError(Text("spec_no_entry_rule"))
        for side in ("long", "short"):
            if getattr(self, f"exit_{side}") is not None and getattr(self, f"entry_{side}") is None:
                raise ValueError(Text("spec_exit_without_entry", side=side))
        kinds = {ind.id: ind.kind for ind in self.indicators}
        for rule in _RULES:
            condition = getattr(self, rule)
            if condition is not None:
                for path, operand in iter_operands(condition, rule):
                    _check_operand(operand, path, kinds)
        return self

    def indicator(self, ident: str) -> Any:
        """The indicator with id ``ident``."""
        return next(ind for ind in self.indicators if ind.id == ident)

    def rules(self) -> dict[str, Any]:
        """The rules that are set, by name (entry_long, exit_long, entry_short, exit_short)."""
        return {name: getattr(self, name) for name in _RULES if getattr(self, name) is not None}

    def to_json(self) -> str:
        """Indented JSON without unset optional fields."""
        return json.dumps(self.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False)


def _natural_key(text: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def iter_operands(condition: Any, path: str) -> Any:
    """(field path, operand) of every operand in ``condition``, depth first."""
    if isinstance(condition, (ForBars, Not)):
        yield from iter_operands(condition.condition, f"{path}.condition")
    elif isinstance(condition, Sequence):
        yield from iter_operands(condition.first, f"{path}.first")
        yield from iter_operands(condition.then, f"{path}.then")
    elif isinstance(condition, (AllOf, AnyOf)):
        for i, child in enumerate(condition.conditions):
            yield from iter_operands(child, f"{path}.conditions[{i}]")
    else:
        for name in ("left", "right", "value", "low", "high"):
            if name in type(condition).model_fields:
                yield f"{path}.{name}", getattr(condition, name)


def _check_operand(operand: Operand, path: str, kinds: dict[str, str]) -> None:
    if isinstance(operand, (int, float)):
        return
    if isinstance(operand, Sum):
        for i, term in enumerate(operand.terms):
            _check_operand(term.operand, f"{path}.terms[{i}].operand", kinds)
        return
    try:
        name, output, _ = parse_operand(operand)
    except ValueError as exc:
        raise ValueError(Text("spec_path_reason", path=path, reason=text_of(exc))) from None
    if name in PRICE_FIELDS:
        if output is not None:
            raise ValueError(Text("spec_price_field_output", path=path, name=name, output=output))
        return
    if name not in kinds:
        known = ", ".join(sorted(kinds)) or Text("spec_none_defined")
        raise ValueError(Text("spec_no_such_indicator", path=path, operand=operand, known=known))
    outputs = INDICATOR_OUTPUTS.get(kinds[name], ())
    if output is not None and output not in outputs:
        choices = ", ".join(outputs) if outputs else Text("spec_single_value")
        raise ValueError(Text("spec_no_such_output", path=path, kind=kinds[name], name=name, output=output,
                              choices=choices))


def _format_errors(exc: ValidationError) -> Text:
    """The problems of ``exc``, each ``field: what is wrong``, joined by "; " (a text in every language)."""
    lines: list[str] = []
    for err in exc.errors():
        loc = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in err["loc"] if not _is_union_tag(x))
        loc = loc.lstrip(".")
        message = _message(err)
        if not loc:
            lines.append(message)
        elif re.match(r"^[a-z_/]+(\[\d+\])?[.:]", message):  # the message names a field below loc
            lines.append(Text("spec_field_below", loc=loc, message=message))
        else:
            lines.append(Text("spec_field", loc=loc, message=message))
    return Text.lines(_deepest(list(dict.fromkeys(lines))), Text("spec_list_separator"))


def _message(err: Any) -> str:
    """The message of one pydantic error: the validator's own text, or pydantic's English as a catalog text when
    the catalog has that error type (pydantic's wording otherwise)."""
    english = err["msg"].removeprefix("Value error, ")
    ctx = err.get("ctx") or {}
    if err["type"] == "value_error" and isinstance(ctx.get("error"), Exception):
        return text_of(ctx["error"])
    key = f"spec_pyd_{err['type']}"
    if err["type"] in ("too_short", "too_long"):
        key += "_one" if ctx.get("min_length", ctx.get("max_length")) == 1 else ""
    values = {name: int(v) if isinstance(v, float) and v.is_integer() else v for name, v in ctx.items()}
    try:
        text = Text(key, **values)
    except (KeyError, IndexError, ValueError):  # no such key, or a field the catalog text does not have
        return english
    return text if text == english else english


def _deepest(lines: list[str]) -> list[str]:
    """Drop an operand's "not a number / not a string" (and a list's "after validation" count) when an error
    further down names what is wrong with it (a ``Sum`` operand that does not validate)."""
    def head(line: str) -> str:
        return line.split(":", 1)[0]

    def has_deeper(line: str) -> bool:
        return any(other != line and head(other).startswith(head(line) + ".") for other in lines)

    noise = ("Input should be a valid number", "Input should be a valid string", "after validation")
    return [line for line in lines if not (any(n in line for n in noise) and
                                           (has_deeper(line) or any(o != line and head(o).startswith(
                                               head(line).rsplit(".", 1)[0] + ".") and not any(
                                               n in o for n in noise) for o in lines)))]


def _is_union_tag(part: object) -> bool:
    return isinstance(part, str) and (part in _TAGS or part.startswith("function-"))


_TAGS = frozenset({"compare", "crosses_above", "crosses_below", "between", "rising", "falling", "for_bars", "all",
                   "any", "not", "sequence", "sma", "ema", "wma", "rsi", "macd", "bbands", "kd", "stoch", "atr", "adx",
                   "cci", "willr", "highest", "lowest", "float", "str", "int", "Sum"})


def spec_from_dict(data: Any) -> StrategySpec:
    """Validate ``data`` (a dict, e.g. loaded JSON) as a spec; SpecError naming the fields otherwise."""
    try:
        return StrategySpec.model_validate(data)
    except ValidationError as exc:
        problems = _format_errors(exc)
        raise SpecError(Text("spec_invalid", problems=problems), problems) from None


def load_spec(path: str | Path) -> StrategySpec:
    """Read and validate a spec JSON file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SpecError(Text("spec_not_json", path=path, reason=str(exc))) from None
    return spec_from_dict(data)


def spec_json_schema() -> dict[str, Any]:
    """The JSON schema of a spec (what the LLM backend asks for; docs/strategy-spec.schema.json)."""
    return StrategySpec.model_json_schema()
