"""A result saved by ``mas backtest --json``: write the document, read it back into a result.

The document has five keys (see :func:`result_document`), and optional ones; a result is read back
from the four that are not derived (``tester_metrics`` is recomputed) and the optional ones but
``diagrams`` (recomputed too):

- ``settings``: the run's settings (symbol, timeframe, from, to, capital, currency, spread,
  symbol_overrides, strategy, ...); ``capital`` and ``currency`` are always present;
- ``metrics``: the data report's ``performance_metrics`` plus ``total_profit_loss``;
- ``trades``: one dict per trade (times ``"YYYY-MM-DD HH:MM:SS"`` UTC, SL/TP 0 = none);
- ``equity``: ``[bar open time, equity]`` per replayed bar, equity rounded to cents;
- ``tester_metrics``: the MetaTrader 5 strategy tester's statistics (:mod:`mas.reports.tester`);
- ``balance`` (optional): the balance at each bar's close, one number per ``equity`` point, rounded to cents
  (absent in older documents, which are read back with the balance equal to the equity);
- ``margin`` (optional): the margin in use at each bar's close, one number per ``equity`` point, not
  rounded (absent when the run did not record it);
- ``orders`` (optional): the run's orders (:func:`mas.reports.data_report.order_records`);
- ``plots`` (optional): the series the strategy plotted (``MAS.plot``),
  ``{symbol: {name: {"panel": "price" | "lower", "values": [[bar open time, value or null], ...]}}}``, values
  to 10 significant digits;
- ``diagrams`` (optional, derived, not read back): the data of the KPI page's tester diagrams
  (:func:`mas.reports.diagrams.diagram_data`).

Bars are not embedded: :func:`result_from_document` reloads them from the data store with the
saved symbol, timeframe and range (``mas.data.store.load_bars``) and the same bid-side
preparation as the backtest, so the trade chart shows the candles that were replayed. When the
store no longer holds them, the chart is drawn without candles and a note says why.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

from mas.i18n.errors import Text, os_reason, text_of
from mas.reports.data_report import PERFORMANCE_KEYS, order_records
from mas.reports.diagrams import diagram_data
from mas.reports.metrics import compute_metrics
from mas.reports.tester import strategy_tester_statistics
from mas.results import PLOT_PANELS, BacktestResult, PlottedSeries, TradeRecord

METRIC_KEYS = (*PERFORMANCE_KEYS, "total_profit_loss")
DOCUMENT_KEYS = ("settings", "metrics", "trades", "equity")
_EPOCH = datetime(1970, 1, 1)
_TRADE_NUMBERS = ("volume", "open_price", "close_price", "profit", "commission", "swap")


class SavedResultError(ValueError):
    """The file is missing, is not JSON, or is not a result saved by ``mas backtest --json``."""


# ----------------------------------------------------------------------------- writing


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(sep=" ")


def result_document(result: BacktestResult) -> dict[str, Any]:
    """The ``--json`` document of ``result``: settings, metrics, trades, one equity point per bar and the
    MT5 tester's statistics."""
    settings = dict(result.settings or {})
    if settings.get("capital") is None:
        settings["capital"] = float(result.initial_capital)
    settings.setdefault("currency", result.currency)
    metrics = compute_metrics(result)
    trades = [
        {
            "open_time": _iso(t.open_time), "close_time": _iso(t.close_time), "direction": t.direction,
            "volume": t.volume, "open_price": t.open_price, "close_price": t.close_price, "profit": t.profit,
            "commission": t.commission, "swap": t.swap, "symbol": t.symbol, "position_id": t.position_id,
            "is_open": t.is_open, "exit_reason": t.exit_reason, "sl": t.sl, "tp": t.tp,
        }
        for t in result.trades
    ]
    equity = [
        [_iso(_EPOCH + timedelta(seconds=int(s))), round(float(e), 2)]
        for s, e in zip(np.asarray(result.equity_times).tolist(), np.asarray(result.equity).tolist(), strict=True)
    ]
    document = {"settings": settings, "metrics": {k: metrics[k] for k in METRIC_KEYS}, "trades": trades,
                "equity": equity, "tester_metrics": strategy_tester_statistics(result)}
    balance = np.asarray(result.balance, dtype=np.float64).reshape(-1)
    if len(balance) == len(equity):
        document["balance"] = [round(b, 2) for b in balance.tolist()]
    if result.margin is not None:
        document["margin"] = np.asarray(result.margin, dtype=np.float64).tolist()
    document["orders"] = order_records(result)
    if result.plots:
        document["plots"] = {
            symbol: {name: {"panel": s.panel,
                            "values": [[_iso(_EPOCH + timedelta(seconds=int(t))),
                                        float(f"{v:.10g}") if math.isfinite(v) else None]
                                       for t, v in zip(np.asarray(s.times).tolist(), np.asarray(s.values).tolist(),
                                                       strict=True)]}
                     for name, s in series.items()}
            for symbol, series in result.plots.items()
        }
    document["diagrams"] = diagram_data(result)
    return document


# ----------------------------------------------------------------------------- reading


def load_saved_result(path: str | Path, with_bars: bool = True) -> tuple[BacktestResult, list[str]]:
    """Read a saved result file; return the result and notes (e.g. why the chart has no candles).

    Raises :class:`SavedResultError` with a message naming the file for a missing or unreadable
    file, invalid JSON, or a document that is not a saved result.
    """
    path = Path(path)
    if not path.exists():
        raise SavedResultError(Text("saved_no_file", path=str(path)))
    if not path.is_file():
        raise SavedResultError(Text("saved_not_file", path=str(path)))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        raise SavedResultError(Text("saved_unreadable", path=str(path), reason=reason)) from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SavedResultError(Text("saved_bad_json", path=str(path), reason=exc.msg, line=exc.lineno,
                                    column=exc.colno)) from exc
    try:
        return result_from_document(document, with_bars=with_bars)
    except SavedResultError as exc:
        raise SavedResultError(Text("in_file_problem", path=str(path), problem=text_of(exc))) from exc


def result_from_document(document: Any, with_bars: bool = True) -> tuple[BacktestResult, list[str]]:
    """Rebuild a :class:`BacktestResult` from a ``--json`` document; return it and notes (each a
    :class:`~mas.i18n.errors.Text`: English as a ``str``, ``localize(note, lang)`` in another language).

    ``balance`` comes from the document's ``balance`` when it has one, else it is set to the equity curve.
    With ``with_bars`` the candles are reloaded from the data store (see the module docstring).
    """
    hint = Text("saved_hint")
    if not isinstance(document, dict):
        raise SavedResultError(Text("saved_not_object", hint=hint, kind=type(document).__name__))
    missing = [k for k in DOCUMENT_KEYS if k not in document]
    if missing:
        raise SavedResultError(Text("saved_missing_keys", hint=hint, missing=", ".join(missing)))
    settings, trades_raw, equity_raw = document["settings"], document["trades"], document["equity"]
    if not isinstance(settings, dict) or not isinstance(document["metrics"], dict):
        raise SavedResultError(Text("saved_settings_objects", hint=hint))
    if not isinstance(trades_raw, list) or not isinstance(equity_raw, list):
        raise SavedResultError(Text("saved_lists", hint=hint))
    if not equity_raw:
        raise SavedResultError(Text("saved_equity_empty"))

    times = np.empty(len(equity_raw), dtype=np.int64)
    equity = np.empty(len(equity_raw), dtype=np.float64)
    for i, point in enumerate(equity_raw):
        if not isinstance(point, list) or len(point) != 2:
            raise SavedResultError(Text("saved_not_pair", hint=hint, where=f"equity[{i}]", what="equity"))
        times[i] = _epoch(_parse_time(point[0], f"equity[{i}][0]"))
        equity[i] = _number(point[1], f"equity[{i}][1]")

    trades = [_trade(t, i) for i, t in enumerate(trades_raw)]
    notes: list[str] = []
    capital = settings.get("capital", settings.get("captital"))
    try:
        initial = float(capital)
        if not math.isfinite(initial) or initial <= 0:
            raise ValueError
    except (TypeError, ValueError):
        initial = float(equity[0])
        notes.append(Text("saved_note_capital", initial=initial))
    result = BacktestResult(
        settings=dict(settings), trades=trades, equity_times=times, equity=equity,
        balance=_per_point(document.get("balance"), "balance", len(equity), hint, equity),
        initial_capital=initial, currency=str(settings.get("currency") or "USD"),
        margin=_margin(document.get("margin"), len(equity), hint),
        order_records=_orders(document.get("orders"), hint), plots=_plots(document.get("plots"), hint),
    )
    if with_bars:
        result.bars, bar_notes = reload_bars(settings, times)
        notes += bar_notes
    return result, notes


def reload_bars(settings: dict[str, Any], equity_times: np.ndarray) -> tuple[dict[str, np.ndarray], list[str]]:
    """The replayed bars of a saved run, from the data store: ``({symbol: rates}, notes)``.

    Uses the backtest's own settings parsing and bid-side preparation (spread, symbol overrides).
    A symbol whose bars are no longer stored is left out with a note; bars that differ from the
    saved equity curve's bar times are kept (clipped to its range) with a note.
    """
    from mas.data.store import MissingDataError, load_bars
    from mas.sim.market import prepare_rates
    from mas.sim.settings import BacktestSettings

    raw_symbol = settings.get("symbol")
    if isinstance(raw_symbol, str):
        symbols = [s.strip() for s in raw_symbol.split(",") if s.strip()]
    elif isinstance(raw_symbol, list):
        symbols = [str(s) for s in raw_symbol]
    else:
        symbols = []
    if not symbols or not settings.get("timeframe"):
        return {}, [Text("saved_note_no_market")]
    try:
        run = BacktestSettings.from_params({**settings, "symbol": symbols if len(symbols) > 1 else symbols[0]})
        specs = run.specs()
    except (ValueError, LookupError, TypeError) as exc:
        return {}, [Text("saved_note_settings_unread", error=text_of(exc))]

    first, last = int(equity_times.min()), int(equity_times.max())
    bars: dict[str, np.ndarray] = {}
    notes: list[str] = []
    for name in run.symbols:
        try:
            series = load_bars(name, run.timeframe, run.start, run.end)
        except (MissingDataError, ValueError) as exc:
            first_line = text_of(exc)
            if "\n" in first_line:  # a long message: its first line says what is missing
                first_line = first_line.splitlines()[0]
            notes.append(Text("saved_note_no_bars", timeframe=run.timeframe, symbol=name, error=first_line))
            continue
        rates, _ = prepare_rates(series, specs[name], run.spread)
        rates = rates[(rates["time"] >= first) & (rates["time"] <= last)]
        bars[name] = rates
    if bars:
        stored = np.unique(np.concatenate([b["time"] for b in bars.values()]))
        saved = np.unique(equity_times)
        if len(bars) == len(run.symbols) and not np.array_equal(stored, saved):
            notes.append(Text("saved_note_store_changed", stored=len(stored), saved=len(saved)))
    return bars, notes


# ----------------------------------------------------------------------------- parsing helpers


def _parse_time(value: Any, where: str) -> datetime:
    """A naive UTC datetime from an ISO string (naive = UTC)."""
    if not isinstance(value, str):
        raise SavedResultError(Text("saved_time_not_text", where=where, value=value))
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise SavedResultError(Text("saved_time_invalid", where=where, value=value)) from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def _epoch(value: datetime) -> int:
    return int((value - _EPOCH).total_seconds())


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SavedResultError(Text("saved_not_number", where=where, value=value))
    return float(value)


def _per_point(raw: Any, key: str, count: int, hint: str, default: np.ndarray) -> np.ndarray:
    """A saved list of one number per equity point (``default``'s copy when the document has none)."""
    if raw is None:
        return default.copy()
    if not isinstance(raw, list) or len(raw) != count:
        raise SavedResultError(Text("saved_per_point", hint=hint, key=key, count=count))
    return np.array([_number(v, f"{key}[{i}]") for i, v in enumerate(raw)], dtype=np.float64)


def _margin(raw: Any, count: int, hint: str) -> np.ndarray | None:
    """The saved margin per bar (None when the document has none)."""
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != count:
        raise SavedResultError(Text("saved_per_point", hint=hint, key="margin", count=count))
    return np.array([_number(v, f"margin[{i}]") for i, v in enumerate(raw)], dtype=np.float64)


def _orders(raw: Any, hint: str) -> list[dict[str, Any]]:
    """The saved orders, times back to epoch seconds; rebuilt ones are left out (the reports rebuild them)."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(o, dict) for o in raw):
        raise SavedResultError(Text("saved_orders_list", hint=hint))
    out = []
    for i, o in enumerate(raw):
        if o.get("rebuilt"):
            continue
        order = dict(o)
        for key in ("time_setup", "time_done"):
            value = o.get(key)
            order[key] = 0 if value is None else _epoch(_parse_time(value, f"orders[{i}].{key}"))
        out.append(order)
    return out


def _plots(raw: Any, hint: str) -> dict[str, dict[str, PlottedSeries]]:
    """The saved plotted series (none when the document has none)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise SavedResultError(Text("saved_plots_map", hint=hint))
    out: dict[str, dict[str, PlottedSeries]] = {}
    for symbol, series in raw.items():
        for name, body in series.items():
            where = f"plots[{symbol!r}][{name!r}]"
            if not isinstance(body, dict) or body.get("panel") not in PLOT_PANELS or not isinstance(body.get("values"),
                                                                                                    list):
                raise SavedResultError(Text("saved_plot_body", hint=hint, where=where))
            times, values = [], []
            for i, point in enumerate(body["values"]):
                if not isinstance(point, list) or len(point) != 2:
                    raise SavedResultError(Text("saved_not_pair", hint=hint, where=f"{where}.values[{i}]",
                                                what="value"))
                times.append(_epoch(_parse_time(point[0], f"{where}.values[{i}][0]")))
                values.append(math.nan if point[1] is None else _number(point[1], f"{where}.values[{i}][1]"))
            out.setdefault(str(symbol), {})[str(name)] = PlottedSeries(np.array(times, dtype=np.int64),
                                                                       np.array(values, dtype=np.float64),
                                                                       body["panel"])
    return out


def _trade(raw: Any, i: int) -> TradeRecord:
    where = f"trades[{i}]"
    if not isinstance(raw, dict):
        raise SavedResultError(Text("saved_trade_not_object", where=where))
    required = ("open_time", "direction", "symbol", "position_id", *_TRADE_NUMBERS)
    missing = [k for k in required if k not in raw]
    if missing:
        raise SavedResultError(Text("saved_trade_missing", where=where, missing=", ".join(missing)))
    is_open = bool(raw.get("is_open", False))
    close_raw = raw.get("close_time")
    close_time = None if close_raw is None else _parse_time(close_raw, f"{where}.close_time")
    if close_time is None and not is_open:
        raise SavedResultError(Text("saved_trade_no_close", where=where))
    direction = str(raw["direction"]).lower()
    if direction not in ("buy", "sell"):
        raise SavedResultError(Text("saved_direction", where=where, value=raw["direction"]))
    numbers = {k: _number(raw[k], f"{where}.{k}") for k in _TRADE_NUMBERS}
    try:
        position_id = int(raw["position_id"])
    except (TypeError, ValueError) as exc:
        raise SavedResultError(Text("saved_position_id", where=where, value=raw["position_id"])) from exc
    return TradeRecord(
        position_id=position_id, symbol=str(raw["symbol"]), direction=direction,
        open_time=_parse_time(raw["open_time"], f"{where}.open_time"), close_time=close_time,
        is_open=is_open, exit_reason=str(raw.get("exit_reason") or ("end" if is_open else "client")),
        sl=_number(raw.get("sl") or 0.0, f"{where}.sl"), tp=_number(raw.get("tp") or 0.0, f"{where}.tp"),
        **numbers,
    )
