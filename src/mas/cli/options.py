"""Command-line options that ``mas backtest`` and ``mas optimize`` share: what to replay and the
simulated account (one declaration each, so the two commands describe them alike), and ``--param``."""

from __future__ import annotations

from typing import Any

import typer

from mas.i18n.errors import InputError, Text

TARGET_HELP = "A built-in (ma, rsi, macd, kd, bband), a .py file with a MAS subclass, a spec .json file or a quoted " \
              "text strategy."

SYMBOL = typer.Option("EURUSD", help="Symbol, or several separated by commas.")
TIMEFRAME = typer.Option("H1", help="M1 ... MN1.")
DATE_FROM = typer.Option(None, "--from", help="First day, YYYY-MM-DD.")
DATE_TO = typer.Option(None, "--to", help="Last day, YYYY-MM-DD (whole day).")
CAPITAL = typer.Option(10_000.0, help="Initial capital in account currency.")
SPREAD = typer.Option(None, help="Spread in points (overrides data and symbol default).")
COMMISSION = typer.Option(None, help="Commission per lot per side, account currency.")
LEVERAGE = typer.Option(100, help="Account leverage, e.g. 100 for 1:100.")
CURRENCY = typer.Option("USD", help="Account currency.")
MARGIN_MODES = ("hedging", "netting")
MARGIN_MODE = typer.Option("hedging", help="hedging or netting.")
SLIPPAGE = typer.Option(0, help="Slippage in points on market and stop fills.")
ENGINE = typer.Option("auto", help="auto (the vectorized fast path for spec strategies and built-ins where it is "
                                   "exact, else the event engine), event or fast.")


def symbol_value(text: str) -> str | list[str]:
    """``--symbol`` as the ``symbol`` parameter: one name, or a list for several separated by commas
    (empty when none is given, which the backtest refuses with a message that says so)."""
    names = [s.strip() for s in text.split(",") if s.strip()]
    return names if len(names) > 1 else (names[0] if names else "")


def account_params(capital: float, spread: int | None, commission: float | None, leverage: int, currency: str,
                   margin_mode: str, slippage: int) -> dict[str, object]:
    """The simulated account's options as backtest parameters (ValueError naming a bad one)."""
    from mas.choices import check_choice

    margin_mode = check_choice("--margin-mode", margin_mode, MARGIN_MODES)
    for option, value, low in (("--capital", capital, 0.0), ("--leverage", leverage, 0)):
        if not value > low:
            raise InputError("option_above", option=option, low=low, value=value)
    for option, amount in (("--spread", spread), ("--slippage", slippage), ("--commission", commission)):
        if amount is not None and amount < 0:
            raise InputError("option_not_negative", option=option, value=amount)
    return {"capital": capital, "spread": spread, "commission": commission, "leverage": leverage,
            "currency": currency, "margin_mode": margin_mode, "slippage": slippage}


def parse_param(text: str) -> tuple[str, Any]:
    """``--param name=value`` as (name, value): an int or a float when the value reads as one, else the text."""
    if "=" not in text:
        raise typer.BadParameter(Text("param_form", text=text))
    name, raw = text.split("=", 1)
    value: Any = raw
    for cast in (int, float):
        try:
            value = cast(raw)
            break
        except ValueError:
            continue
    return name.strip(), value
