"""Performance metrics of a :class:`~mas.results.BacktestResult`: the one place they are defined.

Inputs are the trade list and the equity curve in account currency; nothing else is read.

Equity-based metrics
--------------------
*Daily returns.* Take the last equity point of each UTC calendar day that has bars (end-of-day
equity, ``E_1 .. E_n``), put the initial capital in front as ``E_0`` and take simple returns
``r_d = E_d / E_{d-1} - 1`` (risk-free rate 0). So a one-day backtest has one return and the
compounded returns equal the total return. Non-finite returns (after a zero equity) are dropped,
as quantstats does.

These definitions are exactly those of quantstats 0.0.86 (``qs.stats.sharpe``, ``sortino``,
``cagr``, ``max_drawdown``) on that return series, with ``periods=252``:

- **Sharpe** = ``mean(r) / std(r, ddof=1) * sqrt(252)``.
- **Sortino** = ``mean(r) / sqrt(sum(r[r < 0] ** 2) / n) * sqrt(252)``: the downside deviation
  divides by the number of *all* returns ``n``, not only the negative ones.
- **CAGR** (%) = ``100 * (prod(1 + r) ** (1 / years) - 1)`` with ``years = n / 252``: the year
  fraction counts return periods (days with bars), not calendar days. Note that FX data with
  Sunday-evening bars has about 312 such days a year, so ``years`` runs ahead of the calendar.
- **Max drawdown** (%) is taken bar by bar on the equity curve with the initial capital as the
  first peak: ``-100 * min(E_t / max(E_0..E_t) - 1)``, a non-negative magnitude as in the MAS
  documentation's example (``25.0`` means the account fell 25 % below its running peak; quantstats
  gives the same number negated). It is not clamped, so an account that ends with negative equity
  can show more than 100. The drawdown series, the worst drawdown periods and the per-year
  drawdowns keep quantstats' sign (``<= 0``), as the documentation's ``max_drawdown_trend`` does.

Where quantstats returns NaN or inf we return JSON-safe values instead:

- flat equity (all returns 0): Sharpe 0.0, Sortino 0.0, CAGR 0.0;
- zero dispersion with a non-zero mean (Sharpe) or no losing day with a positive mean (Sortino):
  ``None`` (the ratio is unbounded);
- fewer than two daily returns (less than two days with bars): Sharpe, Sortino and CAGR ``None``
  (not enough data to estimate or annualise);
- negative terminal wealth (CAGR has no real value) or overflow: ``None``.

**Total return** (%) = ``100 * (final equity / initial capital - 1)``; the final equity includes
open trades valued at the last close. ``None`` if the initial capital is not positive.

Trade-based metrics (closed trades only, by ``net_profit`` = profit + commission + swap)
------------------------------------------------------------------------------------------
- win: ``net_profit > 0``; loss: ``net_profit < 0``; a breakeven trade (exactly 0) is neither, so
  ``win_rate + loss_rate`` is below 100 only when there are breakeven trades. Rates are in %, 0.0
  with no trades.
- **profit factor** = gross profit / |gross loss|; ``None`` when there is no losing trade
  (unbounded, or no trades at all); 0.0 with losses and no wins.
- **profit/loss ratio** = average win / |average loss|; ``None`` without losses, 0.0 without wins.
- **max single loss** = the size of the most negative ``net_profit``, a non-negative magnitude as in
  the MAS documentation's example (``312.4`` for a trade that lost 312.40); 0.0 if none lost.
- **max consecutive losses / wins**: longest run of losses / wins in close-time order; a
  breakeven trade ends a run.
- **expectancy** = mean ``net_profit`` per closed trade (``None`` without trades).
- **total_profit_loss** = sum of closed trades' ``net_profit``.
- **average holding time**: mean of ``close_time - open_time`` over closed trades, in seconds
  (``average_holding_seconds``) and as text (``average_holding_time``, e.g. ``"1d 02:03:04"``).
- **exposure** (%): share of bars during which at least one position (open or closed trade) was
  held. Bar ``i`` spans ``[t_i, t_{i+1})``; a trade opened at ``o`` and closed at ``c`` covers the
  bars from the one containing ``o`` to the one containing ``c``, where a close exactly at a bar's
  open time belongs to the previous bar (but a trade always covers at least its opening bar).
  Trades still open cover every bar to the end.
- long/short split: counts, win rates and ``net_profit`` sums of closed buy / sell trades.

Timestamps in ``TradeRecord`` that are naive datetimes are taken as UTC.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import numpy as np

from mas.results import BacktestResult, TradeRecord

PERIODS_PER_YEAR = 252
SECONDS_PER_DAY = 86_400

MetricValue = float | int | str | None

__all__ = [
    "PERIODS_PER_YEAR",
    "SECONDS_PER_DAY",
    "TradeFigures",
    "all_metrics",
    "cagr",
    "compute_metrics",
    "covered_percent",
    "daily_equity",
    "daily_returns",
    "day_ends",
    "drawdown_magnitude",
    "drawdown_periods",
    "drawdown_series",
    "equity_arrays",
    "exposure_percent",
    "format_duration",
    "is_long",
    "json_safe",
    "longest_run",
    "max_drawdown",
    "monthly_returns",
    "returns_of",
    "sequential_sum",
    "sharpe_ratio",
    "sortino_ratio",
    "sorted_closed",
    "statistics_of",
    "to_epoch",
    "trade_bar_spans",
    "trade_statistics",
    "yearly_summary",
]


# ----------------------------------------------------------------------------- helpers


_NAIVE_EPOCH = datetime(1970, 1, 1)


def to_epoch(value: Any) -> float | None:
    """Seconds since the epoch (UTC) of a datetime / Timestamp / datetime64 / number; None stays None.

    Naive datetimes are taken as UTC.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:  # the common case (trade records): plain arithmetic, no time-zone object
            return (value - _NAIVE_EPOCH).total_seconds()
        return value.timestamp()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc).timestamp()
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        return float(value.astype("datetime64[us]").astype(np.int64)) / 1e6
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    raise TypeError(f"cannot read a time from {type(value).__name__}: {value!r}")


def _num(x: Any) -> float | None:
    """A finite Python float, or None."""
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def equity_arrays(result: BacktestResult) -> tuple[np.ndarray, np.ndarray]:
    """``(times, equity)`` as int64 epoch seconds and float64, sorted by time (stable)."""
    times = np.asarray(result.equity_times).reshape(-1)
    equity = np.asarray(result.equity, dtype=np.float64).reshape(-1)
    if times.dtype.kind == "M":
        times = times.astype("datetime64[s]").astype(np.int64)
    else:
        times = times.astype(np.float64).astype(np.int64)
    n = min(len(times), len(equity))
    times, equity = times[:n], equity[:n]
    if n > 1 and np.any(np.diff(times) < 0):
        order = np.argsort(times, kind="stable")
        times, equity = times[order], equity[order]
    return times, equity


def day_ends(times: np.ndarray) -> np.ndarray:
    """Index of the last point of each UTC calendar day with points (sorted epoch-second ``times``)."""
    times = np.asarray(times, dtype=np.int64)
    if len(times) == 0:
        return np.zeros(0, dtype=np.int64)
    day_no = np.floor_divide(times, SECONDS_PER_DAY)
    return np.append(np.flatnonzero(np.diff(day_no) != 0), len(times) - 1).astype(np.int64)


def daily_equity(times: np.ndarray, equity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """End-of-day equity: the last point of each UTC calendar day with bars.

    Returns ``(days, eod)`` where ``days`` are ``datetime64[D]``. Expects sorted times.
    """
    if len(times) == 0:
        return np.array([], dtype="datetime64[D]"), np.array([], dtype=np.float64)
    last = day_ends(times)
    return np.floor_divide(times[last], SECONDS_PER_DAY).astype("datetime64[D]"), equity[last].astype(np.float64)


def returns_of(eod: np.ndarray, initial_capital: float) -> tuple[np.ndarray, np.ndarray]:
    """``(returns, kept)``: simple returns of end-of-day equity with the initial capital first, and which days
    kept one (non-finite returns, a day after zero equity, are dropped as quantstats drops NaN)."""
    if len(eod) == 0:
        return np.array([], dtype=np.float64), np.zeros(0, dtype=bool)
    prev = np.concatenate(([float(initial_capital)], eod[:-1]))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rets = eod / prev - 1.0
    ok = np.isfinite(rets)
    return rets[ok], ok


def daily_returns(result: BacktestResult) -> tuple[np.ndarray, np.ndarray]:
    """``(days, returns)``: daily simple returns of end-of-day equity, initial capital first.

    Non-finite returns (a day after zero equity) are dropped, as quantstats drops NaN.
    """
    times, equity = equity_arrays(result)
    days, eod = daily_equity(times, equity)
    rets, ok = returns_of(eod, float(result.initial_capital))
    return days[ok], rets


# ----------------------------------------------------------------------------- ratios


_EPS = 1e-14


def sharpe_ratio(returns: Sequence[float] | np.ndarray, periods: int = PERIODS_PER_YEAR) -> float | None:
    """Annualised Sharpe ratio (rf 0), as ``qs.stats.sharpe``; see the module docstring for None/0."""
    r = np.asarray(returns, dtype=np.float64)
    r = r[np.isfinite(r)]
    if len(r) < 2:
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        mean = float(r.mean())
        std = float(r.std(ddof=1))
    if not math.isfinite(std) or std <= _EPS:
        return 0.0 if abs(mean) <= _EPS else None
    return _num(mean / std * math.sqrt(periods))


def sortino_ratio(returns: Sequence[float] | np.ndarray, periods: int = PERIODS_PER_YEAR) -> float | None:
    """Annualised Sortino ratio (rf 0), as ``qs.stats.sortino``: downside ``sqrt(sum(neg**2) / n)``."""
    r = np.asarray(returns, dtype=np.float64)
    r = r[np.isfinite(r)]
    if len(r) < 2:
        return None
    mean = float(r.mean())
    neg = r[r < 0]
    with np.errstate(over="ignore", invalid="ignore"):
        downside = math.sqrt(float((neg**2).sum()) / len(r))
    if downside <= _EPS:
        return 0.0 if abs(mean) <= _EPS else None
    return _num(mean / downside * math.sqrt(periods))


def cagr(returns: Sequence[float] | np.ndarray, periods: int = PERIODS_PER_YEAR) -> float | None:
    """Compound annual growth rate in %, as ``qs.stats.cagr`` (``years = n / periods``)."""
    r = np.asarray(returns, dtype=np.float64)
    r = r[np.isfinite(r)]
    if len(r) < 2:
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        wealth = float(np.prod(1.0 + r))
    if not math.isfinite(wealth) or wealth < 0:
        return None
    years = len(r) / periods
    try:
        value = wealth ** (1.0 / years) - 1.0
    except OverflowError:
        return None
    return _num(100.0 * value)


# ----------------------------------------------------------------------------- drawdown


def drawdown_series(equity: np.ndarray, initial_capital: float) -> np.ndarray:
    """Drawdown fraction (``<= 0``) at each equity point; the initial capital is the first peak."""
    eq = np.asarray(equity, dtype=np.float64)
    if len(eq) == 0:
        return np.array([], dtype=np.float64)
    ext = np.concatenate(([float(initial_capital)], eq))
    peak = np.maximum.accumulate(ext)
    with np.errstate(divide="ignore", invalid="ignore"):
        dd = np.where(peak > 0, ext / peak - 1.0, 0.0)
    dd = np.where(np.isfinite(dd), dd, 0.0)
    return np.minimum(dd[1:], 0.0)


def drawdown_magnitude(fraction: float) -> float:
    """The reported max drawdown (%, ``>= 0``) of the deepest drawdown fraction (``<= 0``)."""
    return 0.0 - 100.0 * float(fraction)


def max_drawdown(equity: np.ndarray, initial_capital: float) -> float:
    """Maximum drawdown in % as a non-negative magnitude, bar by bar; 0.0 for an empty curve."""
    dd = drawdown_series(equity, initial_capital)
    return drawdown_magnitude(dd.min()) if len(dd) else 0.0


def drawdown_periods(
    times: np.ndarray, equity: np.ndarray, initial_capital: float, top: int | None = 5
) -> list[dict[str, Any]]:
    """The worst drawdown periods, deepest first.

    Each item: ``start`` (epoch s of the peak the fall started from; the first bar's time if it is
    the initial capital), ``valley`` (epoch s of the lowest point), ``end`` (epoch s of the first
    point back at the peak, None if not recovered), ``days`` (end or last time minus start, in
    days), ``max_drawdown`` (% ``<= 0``) and ``recovered`` (bool).
    """
    t = np.asarray(times, dtype=np.int64)
    dd = drawdown_series(equity, initial_capital)
    if len(dd) == 0:
        return []
    under = dd < 0
    if not under.any():
        return []
    edges = np.diff(np.concatenate(([0], under.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)  # first index back at the peak (may be len(dd))
    out: list[dict[str, Any]] = []
    for s, e in zip(starts, ends, strict=True):
        valley = s + int(np.argmin(dd[s:e]))
        start_t = int(t[s - 1]) if s > 0 else int(t[0])
        recovered = e < len(dd)
        end_t = int(t[e]) if recovered else None
        last_t = end_t if end_t is not None else int(t[-1])
        out.append(
            {
                "start": start_t,
                "valley": int(t[valley]),
                "end": end_t,
                "days": (last_t - start_t) / SECONDS_PER_DAY,
                "max_drawdown": float(100.0 * dd[valley]),
                "recovered": bool(recovered),
            }
        )
    out.sort(key=lambda p: p["max_drawdown"])
    return out if top is None else out[:top]


# ----------------------------------------------------------------------------- calendar tables


def _year_month(times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    months = np.asarray(times, dtype=np.int64).astype("datetime64[s]").astype("datetime64[M]")
    years = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month_no = months.astype(np.int64) % 12 + 1
    return years, month_no


def yearly_summary(result: BacktestResult) -> dict[str, dict[str, float]]:
    """Per UTC year (string keys, ascending) of the equity curve.

    ``end_equity``: equity at the last bar of the year; ``pnl``: ``end_equity`` minus the previous
    year's (the initial capital for the first year), i.e. mark-to-market P&L including open
    trades; ``return``: that year's return in %; ``cumulative_return``: ``end_equity / initial - 1``
    in %; ``max_drawdown``: the deepest drawdown (%, ``<= 0``) reached during the year, measured from
    the all-time running peak, so the minimum over years equals :func:`max_drawdown` negated.
    """
    times, equity = equity_arrays(result)
    if len(times) == 0:
        return {}
    init = float(result.initial_capital)
    years, _ = _year_month(times)
    dd = drawdown_series(equity, init)
    out: dict[str, dict[str, float]] = {}
    prev = init
    for y in np.unique(years):
        mask = years == y
        end_eq = float(equity[mask][-1])
        out[str(int(y))] = {
            "end_equity": end_eq,
            "pnl": end_eq - prev,
            "return": 100.0 * (end_eq / prev - 1.0) if prev > 0 else float("nan"),
            "cumulative_return": 100.0 * (end_eq / init - 1.0) if init > 0 else float("nan"),
            "max_drawdown": float(100.0 * dd[mask].min()),
        }
        prev = end_eq
    return out


def monthly_returns(result: BacktestResult) -> dict[str, dict[int, float]]:
    """Monthly returns in %: ``{year: {month 1..12: %}}`` for months with bars.

    A month's return is its last equity over the previous month's last equity (the initial
    capital for the first month) minus 1, which equals compounding the daily returns of that
    month (quantstats' ``monthly_returns``).
    """
    times, equity = equity_arrays(result)
    out: dict[str, dict[int, float]] = {}
    if len(times) == 0:
        return out
    years, months = _year_month(times)
    key = years * 12 + months
    last = np.append(np.flatnonzero(np.diff(key) != 0), len(key) - 1)
    prev = float(result.initial_capital)
    for i in last:
        end_eq = float(equity[i])
        ret = 100.0 * (end_eq / prev - 1.0) if prev > 0 else float("nan")
        out.setdefault(str(int(years[i])), {})[int(months[i])] = ret
        prev = end_eq
    return out


# ----------------------------------------------------------------------------- trades


def format_duration(seconds: float | None) -> str:
    """``"1d 02:03:04"`` / ``"02:03:04"``; ``"-"`` for None."""
    if seconds is None or not math.isfinite(seconds):
        return "-"
    total = int(round(seconds))
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rem = divmod(total, SECONDS_PER_DAY)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    clock = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{sign}{days}d {clock}" if days else f"{sign}{clock}"


def _is_long(direction: str) -> bool:
    return str(direction).lower() in ("buy", "long", "0")


def _sorted_closed(trades: Iterable[TradeRecord]) -> list[TradeRecord]:
    closed = [t for t in trades if not t.is_open]

    def key(t: TradeRecord) -> tuple[float, float, int]:
        c = to_epoch(t.close_time)
        o = to_epoch(t.open_time)
        return (c if c is not None else math.inf, o if o is not None else math.inf, int(t.position_id))

    return sorted(closed, key=key)


def longest_run(flags: np.ndarray) -> int:
    """The longest run of True in a boolean array."""
    flags = np.asarray(flags, dtype=bool)
    if not flags.any():
        return 0
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    return int((np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)).max())


def sequential_sum(values: Sequence[float] | np.ndarray) -> float:
    """The sum added in sequence, first to last (``cumsum``'s order; 0.0 for none): the order the
    optimizer's compiled pass adds in, on every Python (3.12's ``sum()`` compensates, and numpy's
    ``sum`` adds pairwise)."""
    values = np.asarray(values, dtype=np.float64)
    return float(np.cumsum(values)[-1]) if len(values) else 0.0


def _rate(k: int, n: int) -> float:
    return 100.0 * k / n if n else 0.0


@dataclass(frozen=True)
class TradeFigures:
    """The raw figures the trade statistics derive from, over the closed trades in close-time order
    (net P&L = profit + commission + swap). ``gross_profit``, ``gross_loss``, ``total`` and the mean
    ``holding_seconds`` are numpy's (pairwise) sums; ``commission``, ``swap``, the sides' and the open
    trades' totals are sums in sequence (:func:`sequential_sum`). Both the trade list (:func:`trade_statistics`) and
    the optimizer's arrays produce them, so the two give the same numbers to the last bit."""

    count: int
    wins: int
    losses: int
    gross_profit: float
    gross_loss: float
    total: float
    worst_loss: float
    best_win: float
    losing_run: int
    winning_run: int
    holding_seconds: float | None
    commission: float
    swap: float
    long_count: int
    long_wins: int
    long_total: float
    short_count: int
    short_wins: int
    short_total: float
    open_count: int
    open_total: float


def statistics_of(f: TradeFigures) -> dict[str, MetricValue]:
    """The trade-list metrics (see the module docstring) from their raw figures."""
    n = f.count
    avg_win = f.gross_profit / f.wins if f.wins else None  # np.mean: the sum over the count
    avg_loss = f.gross_loss / f.losses if f.losses else None
    return {
        "number_of_trades": n,
        "winning_trades": f.wins,
        "losing_trades": f.losses,
        "breakeven_trades": int(n - f.wins - f.losses),
        "win_rate": _rate(f.wins, n),
        "loss_rate": _rate(f.losses, n),
        "total_profit_loss": f.total,
        "gross_profit": f.gross_profit,
        "gross_loss": f.gross_loss,
        "profit_factor": f.gross_profit / -f.gross_loss if f.losses else None,
        "profit_loss_ratio": (avg_win or 0.0) / -avg_loss if avg_loss is not None else None,
        "average_win": avg_win,
        "average_loss": avg_loss,
        "expectancy": f.total / n if n else None,
        "max_single_loss": 0.0 - f.worst_loss,  # a magnitude (>= 0), as the MAS documentation shows it
        "max_single_win": f.best_win,
        "max_consecutive_losses": f.losing_run,
        "max_consecutive_wins": f.winning_run,
        "average_holding_seconds": f.holding_seconds,
        "average_holding_time": format_duration(f.holding_seconds),
        "total_commission": f.commission,
        "total_swap": f.swap,
        "long_trades": f.long_count,
        "long_win_rate": _rate(f.long_wins, f.long_count),
        "long_profit_loss": f.long_total,
        "short_trades": f.short_count,
        "short_win_rate": _rate(f.short_wins, f.short_count),
        "short_profit_loss": f.short_total,
        "open_trades": f.open_count,
        "open_profit_loss": f.open_total,
    }


def trade_statistics(trades: Sequence[TradeRecord]) -> dict[str, MetricValue]:
    """Trade-list metrics (closed trades; see the module docstring)."""
    closed = _sorted_closed(trades)
    pnl = np.array([t.net_profit for t in closed], dtype=np.float64)
    wins = pnl[pnl > 0]
    losses = pnl[pnl < 0]
    holds = [
        to_epoch(t.close_time) - to_epoch(t.open_time)  # type: ignore[operator]
        for t in closed
        if t.close_time is not None and t.open_time is not None
    ]
    longs = [t.net_profit for t in closed if _is_long(t.direction)]
    shorts = [t.net_profit for t in closed if not _is_long(t.direction)]
    open_trades = [t for t in trades if t.is_open]
    return statistics_of(TradeFigures(
        count=len(pnl), wins=len(wins), losses=len(losses), gross_profit=float(wins.sum()),
        gross_loss=float(losses.sum()), total=float(pnl.sum()),
        worst_loss=float(losses.min()) if len(losses) else 0.0, best_win=float(wins.max()) if len(wins) else 0.0,
        losing_run=longest_run(pnl < 0), winning_run=longest_run(pnl > 0),
        holding_seconds=float(np.mean(holds)) if holds else None,
        commission=sequential_sum([t.commission for t in closed]), swap=sequential_sum([t.swap for t in closed]),
        long_count=len(longs), long_wins=sum(1 for x in longs if x > 0), long_total=sequential_sum(longs),
        short_count=len(shorts), short_wins=sum(1 for x in shorts if x > 0), short_total=sequential_sum(shorts),
        open_count=len(open_trades), open_total=sequential_sum([t.net_profit for t in open_trades]),
    ))


def exposure_percent(times: np.ndarray, trades: Sequence[TradeRecord]) -> float:
    """% of bars (``times`` sorted bar open times) during which a position was held."""
    t = np.asarray(times, dtype=np.int64)
    n = len(t)
    if n == 0 or not trades:
        return 0.0
    opens = np.array([to_epoch(tr.open_time) for tr in trades], dtype=np.float64)
    closes = np.array(
        [math.inf if tr.is_open or tr.close_time is None else to_epoch(tr.close_time) for tr in trades],
        dtype=np.float64,
    )
    first, last = trade_bar_spans(t, opens, closes)
    return covered_percent(first, last, n)


def trade_bar_spans(times: np.ndarray, opens: np.ndarray, closes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(first, last)``: the bars (indexes into the sorted bar open ``times``, not empty) each trade held a
    position on, for trades opened at ``opens`` and closed at ``closes`` (epoch seconds; inf while open): from the
    bar containing the open to the bar containing the close, where a close exactly at a bar's open belongs to the
    previous bar, at least the opening bar. Trades that closed before the first bar are left out."""
    n = len(times)
    first = np.searchsorted(times, opens, side="right") - 1
    last = np.where(np.isinf(closes), n - 1, np.searchsorted(times, closes, side="left") - 1)
    keep = (closes >= times[0]) & (first <= n - 1)
    first = np.clip(first, 0, n - 1)
    last = np.clip(np.maximum(last, first), 0, n - 1)
    return first[keep], last[keep]


def covered_percent(first: np.ndarray, last: np.ndarray, bars: int) -> float:
    """% of ``bars`` bars inside at least one of the intervals ``[first, last]`` (bar indexes), their union
    counted interval by interval."""
    if bars == 0 or len(first) == 0:
        return 0.0
    order = np.argsort(first, kind="stable")
    first, last = first[order], last[order]
    reach = np.maximum.accumulate(last)
    start = np.maximum(first, np.concatenate(([-1], reach[:-1])) + 1)
    held = int(np.maximum(last - start + 1, 0).sum())
    return float(100.0 * (held / bars))


# ----------------------------------------------------------------------------- all of it


def compute_metrics(result: BacktestResult) -> dict[str, MetricValue]:
    """All metrics of one run, JSON-safe (no NaN or inf; undefined values are None).

    Keys: the data report's ``performance_metrics`` (``number_of_trades``, ``profit_loss_ratio``,
    ``win_rate``, ``max_drawdown``, ``total_return_rate``, ``cagr``, ``sharpe_ratio``,
    ``sortino_ratio``, ``max_consecutive_losses``, ``max_single_loss``, ``profit_factor``), plus
    ``total_profit_loss`` and the extras of :func:`trade_statistics`, ``exposure_percent``,
    ``initial_capital``, ``final_equity``, ``net_profit`` (final equity - initial capital),
    ``bars`` and ``trading_days``. Percentages are in % (e.g. 12.5 for 12.5 %).
    """
    times, equity = equity_arrays(result)
    init = float(result.initial_capital)
    final_equity = float(equity[-1]) if len(equity) else init
    _, rets = daily_returns(result)
    days, _ = daily_equity(times, equity)
    return all_metrics(trade_statistics(result.trades), initial_capital=init, final_equity=final_equity,
                       drawdown=max_drawdown(equity, init), returns=rets,
                       exposure=exposure_percent(times, result.trades), bars=len(times), trading_days=len(days))


def all_metrics(trade_metrics: dict[str, MetricValue], *, initial_capital: float, final_equity: float,
                drawdown: float, returns: np.ndarray, exposure: float, bars: int,
                trading_days: int) -> dict[str, MetricValue]:
    """:func:`compute_metrics`' document from its parts: the trade statistics, then the equity metrics (max
    drawdown in %, the daily returns the ratios are taken of, exposure in %), JSON-safe. The event engine's
    results and the optimizer's arrays (:mod:`mas.vector.metrics`) both end here."""
    init = float(initial_capital)
    metrics: dict[str, MetricValue] = dict(trade_metrics)
    metrics.update(
        {
            "max_drawdown": float(drawdown),
            "total_return_rate": 100.0 * (final_equity / init - 1.0) if init > 0 else None,
            "cagr": cagr(returns),
            "sharpe_ratio": sharpe_ratio(returns),
            "sortino_ratio": sortino_ratio(returns),
            "exposure_percent": exposure,
            "initial_capital": init,
            "final_equity": final_equity,
            "net_profit": final_equity - init,
            "bars": int(bars),
            "trading_days": int(trading_days),
        }
    )
    return {k: _json_safe(v) for k, v in metrics.items()}


def _json_safe(v: Any) -> MetricValue:
    """``v`` as a JSON-safe metric value: None, str, int, or a finite float (NaN and inf become None)."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    return _num(v)


json_safe = _json_safe
is_long = _is_long
sorted_closed = _sorted_closed
"""Public names of the helpers other report modules share (the MT5 tester statistics)."""
