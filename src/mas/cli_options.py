"""Command-line options that ``mas backtest`` and ``mas optimize`` share: what to replay and the
simulated account (one declaration each, so the two commands describe them alike)."""

from __future__ import annotations

import typer

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
    """The simulated account's options as backtest parameters."""
    return {"capital": capital, "spread": spread, "commission": commission, "leverage": leverage,
            "currency": currency, "margin_mode": margin_mode, "slippage": slippage}
