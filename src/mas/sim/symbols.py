"""Contract specifications of the built-in symbols and currency conversion.

The defaults are representative of retail MT5 demo servers (standard accounts: no
commission, spread in points, swaps in points). The user's specs in ``$MAS_HOME/symbols.toml`` (read by
:mod:`mas.data.symbol_file`; this module never parses TOML) add symbols and replace fields of built-in ones, and
every field can be overridden per backtest with ``symbol_overrides`` (see :func:`resolve_spec`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from mas.data.points import BUILTIN_DIGITS
from mas.data.symbol_file import base_symbol, user_symbol_fields
from mas.i18n.errors import InputError, Text
from mas.terminal import constants as c


@dataclass(frozen=True)
class SymbolSpec:
    """What the margin account needs to know about one instrument."""

    name: str
    description: str
    base: str
    profit: str
    margin: str
    digits: int
    contract_size: float
    calc_mode: int = c.SYMBOL_CALC_MODE_FOREX
    volume_min: float = 0.01
    volume_max: float = 100.0
    volume_step: float = 0.01
    spread: int = 10
    """Default spread in points, used when the data has no spread column."""
    swap_long: float = 0.0
    swap_short: float = 0.0
    """Swaps in points per lot per night (negative = the trader pays)."""
    swap_rollover3days: int = c.DAY_OF_WEEK_WEDNESDAY
    commission: float = 0.0
    """Commission in account currency per lot per side."""
    margin_rate: float = 1.0
    margin_hedged: float | None = None
    """Contract size used for hedged (offsetting) volume; None = half the contract size."""
    stops_level: int = 0
    trade_mode: int = c.SYMBOL_TRADE_MODE_FULL
    path: str = "Forex"

    @property
    def point(self) -> float:
        """The price of one point: ``10 ** -digits``."""
        return 10.0 ** -self.digits

    @property
    def hedged_contract(self) -> float:
        """The contract size hedged volume is margined at: ``margin_hedged``, else half the contract size."""
        return self.contract_size / 2 if self.margin_hedged is None else self.margin_hedged

    def with_overrides(self, overrides: Mapping[str, Any]) -> SymbolSpec:
        """A copy with fields replaced; unknown field names raise ValueError naming them."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise InputError("overrides_unknown_fields", symbol=self.name, unknown=", ".join(unknown),
                             known=", ".join(sorted(known)))
        return replace(self, **dict(overrides))


def _fx(name: str, description: str, spread: int, swap_long: float, swap_short: float) -> SymbolSpec:
    base, quote = name[:3], name[3:]
    return SymbolSpec(
        name=name,
        description=description,
        base=base,
        profit=quote,
        margin=base,
        digits=BUILTIN_DIGITS[name],  # the data layer's table: one source for both
        contract_size=100_000.0,
        spread=spread,
        swap_long=swap_long,
        swap_short=swap_short,
        path=f"Forex\\{name}",
    )


BUILTIN_SYMBOLS: dict[str, SymbolSpec] = {
    s.name: s
    for s in (
        _fx("EURUSD", "Euro vs US Dollar", 10, -6.5, 1.2),
        _fx("GBPUSD", "Great Britain Pound vs US Dollar", 14, -4.0, -1.5),
        _fx("USDJPY", "US Dollar vs Japanese Yen", 12, 4.5, -11.0),
        _fx("USDCHF", "US Dollar vs Swiss Franc", 15, 2.5, -9.0),
        _fx("USDCAD", "US Dollar vs Canadian Dollar", 18, -1.5, -5.5),
        _fx("AUDUSD", "Australian Dollar vs US Dollar", 13, -1.0, -4.0),
        _fx("NZDUSD", "New Zealand Dollar vs US Dollar", 18, -0.5, -4.5),
        _fx("EURGBP", "Euro vs Great Britain Pound", 15, -6.0, 1.0),
        _fx("EURJPY", "Euro vs Japanese Yen", 18, -4.0, -3.0),
        _fx("EURCHF", "Euro vs Swiss Franc", 20, -5.0, -1.0),
        _fx("EURAUD", "Euro vs Australian Dollar", 25, -11.0, 3.0),
        _fx("EURCAD", "Euro vs Canadian Dollar", 25, -9.0, 2.0),
        _fx("GBPJPY", "Great Britain Pound vs Japanese Yen", 25, -1.5, -7.0),
        _fx("GBPCHF", "Great Britain Pound vs Swiss Franc", 28, -1.0, -8.0),
        _fx("AUDJPY", "Australian Dollar vs Japanese Yen", 20, 1.0, -6.0),
        _fx("CHFJPY", "Swiss Franc vs Japanese Yen", 25, -2.0, -5.0),
        _fx("CADJPY", "Canadian Dollar vs Japanese Yen", 25, 0.5, -6.0),
        _fx("NZDJPY", "New Zealand Dollar vs Japanese Yen", 25, 1.0, -6.0),
        _fx("AUDNZD", "Australian Dollar vs New Zealand Dollar", 30, -4.0, -2.0),
        _fx("AUDCAD", "Australian Dollar vs Canadian Dollar", 25, -2.0, -3.0),
        SymbolSpec(
            name="XAUUSD",
            description="Gold vs US Dollar",
            base="XAU",
            profit="USD",
            margin="USD",
            digits=BUILTIN_DIGITS["XAUUSD"],
            contract_size=100.0,
            calc_mode=c.SYMBOL_CALC_MODE_CFDLEVERAGE,
            volume_max=50.0,
            spread=30,
            swap_long=-25.0,
            swap_short=10.0,
            swap_rollover3days=c.DAY_OF_WEEK_WEDNESDAY,
            path="Metals\\XAUUSD",
        ),
    )
}


UserSpecs = Mapping[str, Mapping[str, Any]]
"""The user's specs by upper-case name: :func:`mas.data.symbol_file.user_symbol_fields`."""


def symbol_names(user: UserSpecs | None = None) -> list[str]:
    """The built-in symbols, then the user's (``user``, or the symbols file when None)."""
    user = user_symbol_fields() if user is None else user
    return list(BUILTIN_SYMBOLS) + [n for n in user if n not in BUILTIN_SYMBOLS]


def symbol_source(name: str, user: UserSpecs | None = None) -> str:
    """``"built-in"``, ``"user"``, ``"user over built-in"`` or ``""`` (unknown)."""
    user = user_symbol_fields() if user is None else user
    key = name.upper()
    if key in user:
        return "user over built-in" if key in BUILTIN_SYMBOLS else "user"
    return "built-in" if key in BUILTIN_SYMBOLS else ""


def resolve_spec(name: str, overrides: Mapping[str, Mapping[str, Any]] | None = None,
                 user: UserSpecs | None = None) -> SymbolSpec:
    """The spec of ``name`` (case-insensitive): the built-in one, the user's (``user``, or the symbols file when
    None; the fields given there replace a built-in's), then per-backtest ``overrides`` applied.

    ``overrides`` maps symbol names to field dicts; a symbol that is neither built in nor the user's can be
    defined entirely there (then ``base``, ``profit``, ``margin``, ``digits`` and ``contract_size`` are
    required). A broker's name with a suffix of the symbols file (``EURUSD.m``) takes its base symbol's spec.
    """
    user = user_symbol_fields() if user is None else user
    key = name.upper()
    extra = {k.upper(): v for k, v in (overrides or {}).items()}.get(key, {})
    spec = _base_spec(key, user)
    if spec is None:  # a broker's name: EURUSD.m -> EURUSD's spec
        base = base_symbol(key).upper()
        if base != key:
            known = _base_spec(base, user)
            if known is not None:
                spec = replace(known, name=key, path=known.path.replace(base, key))
    if spec is None:
        required = ("base", "profit", "margin", "digits", "contract_size")
        missing = [r for r in required if r not in extra]
        if missing:
            raise InputError("symbol_unknown", name=name, builtins=", ".join(BUILTIN_SYMBOLS), key=key,
                             required=", ".join(required))
        return SymbolSpec(name=key, description=str(extra.get("description", key)),
                          **{k: v for k, v in extra.items() if k not in ("name", "description")})
    return spec.with_overrides(extra) if extra else spec


def _base_spec(key: str, user: UserSpecs) -> SymbolSpec | None:
    """The built-in spec of ``key`` with the user's fields, or the user's own; None when neither has it."""
    builtin = BUILTIN_SYMBOLS.get(key)
    fields_of = user.get(key)
    if fields_of is None:
        return builtin
    if builtin is not None:
        return builtin.with_overrides(fields_of)
    given = dict(fields_of)
    given.setdefault("margin", given.get("base", ""))
    given.setdefault("path", key)
    return SymbolSpec(name=key, description=str(given.pop("description", key)), **given)


PriceLookup = Callable[[str], "float | None"]
"""Returns the current bid of a symbol, or None when it is not known at this time."""


class ConversionError(LookupError):
    """A currency conversion needs a rate that no loaded data provides."""


@dataclass
class CurrencyConverter:
    """Converts amounts between currencies with the symbols' prices at the current time.

    ``price_of(symbol)`` gives the current bid; a direct pair (``XY`` or ``YX``) is used
    when one is known, else a cross through USD.
    """

    price_of: PriceLookup
    known_symbols: Callable[[], set[str]] = field(default=lambda: set(BUILTIN_SYMBOLS))

    def rate(self, source: str, target: str) -> float:
        """Units of ``target`` for one unit of ``source``."""
        if source == target:
            return 1.0
        direct = self._direct(source, target)
        if direct is not None:
            return direct
        if "USD" not in (source, target):
            via_source = self._direct(source, "USD")
            via_target = self._direct("USD", target)
            if via_source is not None and via_target is not None:
                return via_source * via_target
        needed = Text("conversion_pairs", pair=f"{source}{target}", reverse=f"{target}{source}")
        if "USD" not in (source, target):
            needed = Text("conversion_cross", direct=needed, source_pairs=f"{source}USD/USD{source}",
                          target_pairs=f"{target}USD/USD{target}")
        raise ConversionError(Text("conversion_needs_price", source=source, target=target, needed=needed,
                                   pair=f"{source}{target}"))

    def _direct(self, source: str, target: str) -> float | None:
        price = self.price_of(source + target)
        if price:
            return price
        price = self.price_of(target + source)
        if price:
            return 1.0 / price
        return None
