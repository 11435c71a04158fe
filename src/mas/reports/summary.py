"""What ``mas backtest`` prints for a trader without a browser: an equity sparkline and the headline figures.

- :func:`sparkline`: a series as one line of block characters (``▁▂▃▄▅▆▇█``), or of ASCII characters
  (``_.-:=+*#``) where the terminal cannot print those; each character is the last value of its stretch
  of the series, scaled between the series' lowest and highest value.
- :func:`equity_lines`: the equity curve's heading (dates, start and end), its sparkline, and its low and
  high, at most ``width`` characters each.
- :func:`headline_rows`: ``(label, value)`` rows of the figures a trader reads first (from
  :func:`mas.reports.metrics.compute_metrics` and :func:`mas.reports.tester.strategy_tester_statistics`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from mas.i18n.errors import InputError, message
from mas.reports._html import fmt_num, fmt_time
from mas.reports.metrics import equity_arrays
from mas.results import BacktestResult

BLOCKS = "▁▂▃▄▅▆▇█"
ASCII = "_.-:=+*#"
MAX_WIDTH = 80

__all__ = ["ASCII", "BLOCKS", "can_print", "equity_lines", "headline_rows", "sparkline"]


def can_print(text: str, encoding: str | None) -> bool:
    """Whether ``text`` can be written in ``encoding`` (False for an unknown encoding)."""
    try:
        text.encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def sparkline(values: Sequence[float] | np.ndarray, width: int, chars: str = BLOCKS) -> str:
    """``values`` as at most ``width`` characters of ``chars`` (lowest first): each character stands for an
    equal stretch of the series and shows its last value; NaN values are skipped. A flat series is drawn
    at the middle level; an empty one is the empty string."""
    if width < 1:
        raise InputError("summary_width", value=width)
    if len(chars) < 2:
        raise InputError("summary_chars", value=chars)
    y = np.asarray(values, dtype=np.float64).reshape(-1)
    y = y[np.isfinite(y)]
    if len(y) == 0:
        return ""
    n = min(width, len(y))
    ends = np.ceil(np.arange(1, n + 1) * len(y) / n).astype(np.int64) - 1  # the last point of each stretch
    points = y[ends]
    lo, hi = float(y.min()), float(y.max())
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        return chars[len(chars) // 2 - 1] * n
    levels = np.floor((points - lo) / (hi - lo) * (len(chars) - 1) + 0.5).astype(np.int64)
    return "".join(chars[int(k)] for k in np.clip(levels, 0, len(chars) - 1))


def equity_lines(result: BacktestResult, width: int = MAX_WIDTH, unicode: bool = True, lang: str = "en") -> list[str]:
    """Three lines: the equity curve's dates, start and end; its sparkline (``unicode``: block characters, else
    ASCII); its low and high with their dates. At most ``width`` (and 80) characters each; no lines without an
    equity curve. The words in ``lang`` (en, zh-tw, zh-cn)."""
    times, equity = equity_arrays(result)
    if len(equity) == 0:
        return []
    width = max(10, min(width, MAX_WIDTH))
    ccy = f" {result.currency}" if result.currency else ""
    arrow = " → " if unicode else " -> "
    low, high = int(np.argmin(equity)), int(np.argmax(equity))

    def day(i: int) -> str:
        return fmt_time(int(times[i]), with_time=False)

    lines = [message(lang, "sum_equity_head", first=day(0), last=day(-1), arrow=arrow, start=fmt_num(float(equity[0])),
                     end=fmt_num(float(equity[-1])), ccy=ccy),
             sparkline(equity, width, BLOCKS if unicode else ASCII),
             message(lang, "sum_equity_range", low=fmt_num(float(equity[low])), low_day=day(low),
                     high=fmt_num(float(equity[high])), high_day=day(high))]
    return [line if len(line) <= width else line[: width - 1] + ("…" if unicode else ".") for line in lines]


def _money(value: Any, ccy: str) -> str:
    return "-" if not isinstance(value, (int, float)) or not math.isfinite(value) else f"{fmt_num(value)}{ccy}"


def headline_rows(metrics: dict[str, Any], tester: dict[str, Any], currency: str = "",
                  lang: str = "en") -> list[tuple[str, str]]:
    """The figures a trader reads first, as ``(label, text)`` rows: net profit, return, profit factor, expected
    payoff, recovery factor, win rate, trades (long and short won), largest loss, equity drawdown (maximal, in
    money and %), Sharpe, consecutive losses and the minimal margin level; the labels in ``lang``."""
    ccy = f" {currency}" if currency else ""
    pct = f"{fmt_num(tester.get('equity_drawdown_maximal_percent'))} %"
    long_won = fmt_num(tester.get("long_trades_won_percent"), 1)
    short_won = fmt_num(tester.get("short_trades_won_percent"), 1)
    level = tester.get("min_margin_level")
    rows = [
        ("sum_net_profit", _money(tester.get("total_net_profit"), ccy)),
        ("sum_total_return", f"{fmt_num(metrics.get('total_return_rate'))} %"),
        ("sum_profit_factor", fmt_num(tester.get("profit_factor"))),
        ("sum_expected_payoff", _money(tester.get("expected_payoff"), ccy)),
        ("sum_recovery_factor", fmt_num(tester.get("recovery_factor"))),
        ("sum_win_rate", f"{fmt_num(metrics.get('win_rate'), 1)} %"),
        ("sum_closed_trades", f"{tester.get('total_trades', 0)} ({long_won} / {short_won})"),
        ("sum_largest_loss", _money(tester.get("largest_loss_trade"), ccy)),
        ("sum_equity_drawdown", f"{_money(tester.get('equity_drawdown_maximal'), ccy)} ({pct})"),
        ("sum_sharpe_sortino", f"{fmt_num(metrics.get('sharpe_ratio'))} / {fmt_num(metrics.get('sortino_ratio'))}"),
        ("sum_consecutive_losses", f"{tester.get('max_consecutive_losses', 0)} "
                                   f"({_money(tester.get('max_consecutive_losses_money'), ccy)})"),
        ("sum_min_margin_level", "-" if level is None else f"{fmt_num(level)} %"),
    ]
    return [(message(lang, key), text) for key, text in rows]  # the labels: mas.i18n.cli_output
