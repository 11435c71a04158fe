"""Helpers for the report tests: the bundled real EURUSD H1 sample and result builders."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mas.client import MAS
from mas.results import BacktestResult, TradeRecord
from mas.terminal.types import RATES_DTYPE

REPO = Path(__file__).resolve().parents[2]
SAMPLE_PARQUET = REPO / "src" / "mas" / "data" / "sample" / "EURUSD_H1.parquet"
SAMPLE_CSV = REPO / "tests" / "data" / "fixtures" / "EURUSD_H1_2017_ask.csv"


def _from_parquet(path: Path) -> np.ndarray | None:
    try:
        df = pd.read_parquet(path)
    except Exception:
        return None
    cols = {c.lower(): c for c in df.columns}
    if not {"open", "high", "low", "close"} <= set(cols):
        return None
    if "time" in cols:
        t = df[cols["time"]]
    elif isinstance(df.index, pd.DatetimeIndex):
        t = df.index.to_series()
    else:
        return None
    if pd.api.types.is_datetime64_any_dtype(t):
        t = pd.to_datetime(t, utc=True).dt.tz_localize(None)
        secs = t.to_numpy().astype("datetime64[s]").astype(np.int64)
    else:
        secs = np.asarray(t, dtype=np.int64)
    out = np.zeros(len(df), dtype=RATES_DTYPE)
    out["time"] = secs
    for f in ("open", "high", "low", "close"):
        out[f] = df[cols[f]].to_numpy(dtype=np.float64)
    return out


def _from_csv(path: Path) -> np.ndarray:
    df = pd.read_csv(path)
    t = pd.to_datetime(df["Time"], format="%d.%m.%Y %H:%M:%S.%f", utc=True).dt.tz_localize(None)
    out = np.zeros(len(df), dtype=RATES_DTYPE)
    out["time"] = t.to_numpy().astype("datetime64[s]").astype(np.int64)
    for f in ("open", "high", "low", "close"):
        out[f] = df[f.capitalize()].to_numpy(dtype=np.float64)
    out["tick_volume"] = 1
    return out


def load_sample_rates() -> np.ndarray:
    """Real EURUSD H1 2017 candles: the package's parquet sample if present, else the test fixture CSV."""
    rates = _from_parquet(SAMPLE_PARQUET) if SAMPLE_PARQUET.exists() else None
    if rates is None or len(rates) < 1000:
        if not SAMPLE_CSV.exists():
            pytest.skip("no EURUSD H1 sample data available")
        rates = _from_csv(SAMPLE_CSV)
    return rates[np.argsort(rates["time"], kind="stable")]


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(float(ts), tz=timezone.utc)


def trade(
    pid: int,
    net: float,
    open_ts: float = 1_500_000_000,
    close_ts: float | None = 1_500_003_600,
    direction: str = "buy",
    is_open: bool = False,
    symbol: str = "EURUSD",
    commission: float = 0.0,
    swap: float = 0.0,
) -> TradeRecord:
    """A trade whose ``net_profit`` is ``net`` (profit = net - commission - swap)."""
    return TradeRecord(
        position_id=pid,
        symbol=symbol,
        direction=direction,
        volume=0.1,
        open_time=utc(open_ts),
        open_price=1.1,
        close_time=None if (is_open or close_ts is None) else utc(close_ts),
        close_price=1.1 + net / 10_000,
        profit=net - commission - swap,
        commission=commission,
        swap=swap,
        is_open=is_open,
        exit_reason="end" if is_open else "client",
    )


def make_result(
    times: np.ndarray,
    equity: np.ndarray,
    trades: list[TradeRecord] | None = None,
    initial: float | None = None,
    bars: dict[str, np.ndarray] | None = None,
    settings: dict | None = None,
) -> BacktestResult:
    equity = np.asarray(equity, dtype=np.float64)
    return BacktestResult(
        settings=settings if settings is not None else {"symbol": "EURUSD", "timeframe": "H1"},
        trades=list(trades or []),
        equity_times=np.asarray(times, dtype=np.int64),
        equity=equity,
        balance=equity.copy(),
        initial_capital=float(initial if initial is not None else (equity[0] if len(equity) else 10_000.0)),
        bars=bars or {},
    )


def synthetic_trades(rates: np.ndarray, every: int = 37, hold: int = 11) -> list[TradeRecord]:
    """Alternating long/short 1-lot round trips on the sample, P&L from its closes."""
    out: list[TradeRecord] = []
    times, close = rates["time"], rates["close"]
    for k, i in enumerate(range(0, len(rates) - hold - 1, every)):
        j = i + hold
        direction = "buy" if k % 2 == 0 else "sell"
        sign = 1.0 if direction == "buy" else -1.0
        profit = sign * (close[j] - close[i]) * 100_000
        out.append(
            TradeRecord(
                position_id=k + 1,
                symbol="EURUSD",
                direction=direction,
                volume=1.0,
                open_time=utc(times[i]),
                open_price=float(close[i]),
                close_time=utc(times[j]),
                close_price=float(close[j]),
                profit=float(profit),
                commission=-7.0,
                swap=-0.5 if hold > 20 else 0.0,
            )
        )
    return out


def build_sample_result(sample_rates: np.ndarray) -> BacktestResult:
    """Equity = 10000 * close / close[0] bar by bar, with synthetic trades and the bars attached."""
    close = sample_rates["close"]
    equity = 10_000.0 * close / close[0]
    return make_result(
        sample_rates["time"],
        equity,
        synthetic_trades(sample_rates),
        initial=10_000.0,
        bars={"EURUSD": sample_rates},
        settings={
            "symbol": "EURUSD",
            "timeframe": "H1",
            "from": "2017-01-01",
            "to": "2017-12-31",
            "model": "open_prices",
            "spread": 10,
            "commission": 7.0,
            "leverage": 100,
            "capital": 10_000,
        },
    )


_NEW_PLOT = re.compile(r'Plotly\.newPlot\(\s*"([^"]+)",\s*')
_COMMA = re.compile(r"\s*,\s*")


def plotly_figures(html: str) -> list[dict[str, Any]]:
    """The figures of a report page: ``{"id", "data", "layout"}`` read from each ``Plotly.newPlot`` call."""
    decoder = json.JSONDecoder()
    figures = []
    for m in _NEW_PLOT.finditer(html):
        data, end = decoder.raw_decode(html, m.end())
        layout, _ = decoder.raw_decode(html, _COMMA.match(html, end).end())
        figures.append({"id": m.group(1), "data": data, "layout": layout})
    return figures


def random_rates(n: int, start: int = 1_483_308_000, step: int = 60, seed: int = 1) -> np.ndarray:
    """``n`` random-walk bars around 1.1, one every ``step`` seconds."""
    rng = np.random.default_rng(seed)
    close = 1.1 + np.cumsum(rng.normal(0, 1e-4, n))
    b = np.zeros(n, dtype=RATES_DTYPE)
    b["time"] = start + np.arange(n) * step
    b["open"] = np.concatenate(([close[0]], close[:-1]))
    b["close"] = close
    b["high"] = np.maximum(b["open"], close) + 5e-5
    b["low"] = np.minimum(b["open"], close) - 5e-5
    return b


class BracketStrategy(MAS):
    """Flat -> market order with SL and TP, alternating buy and sell, every ``every`` bars."""

    def __init__(self, every: int = 24, sl: float = 0.004, tp: float = 0.006) -> None:
        super().__init__()
        self.every, self.sl, self.tp = every, sl, tp
        self.seen = 0
        self.sent = 0

    def receive_bars(self, symbol: str, data: dict, is_end: bool) -> None:
        self.seen += 1
        if is_end or self.seen % self.every or self.get_positions({"backtest_toggle": True}):
            return
        close = float(data["close"])
        buy = self.sent % 2 == 0
        self.sent += 1
        sign = 1.0 if buy else -1.0
        self.send_order({
            "symbol": symbol, "order_type": "buy" if buy else "sell", "volume": 0.1, "backtest_toggle": True,
            "sl": round(close - sign * self.sl, 5), "tp": round(close + sign * self.tp, 5),
        })


def run_backtest(strategy: MAS, **params: object) -> BacktestResult:
    """Backtest ``strategy`` on the bundled EURUSD H1 2017 sample (or ``params``); return its result."""
    settings = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31",
                "capital": 10_000, "backtest_toggle": True, **params}
    strategy.subscribe_bars(settings)
    result = strategy.backtest_result
    assert result is not None and len(result.equity_times) > 0
    return result


_LIST = re.compile(r'MASReport\.table\("([^"]+)", (\{.*?\})\);</script>')


def _fixed(q: float, d: int) -> str:
    text = f"{abs(int(q)):0{d + 1}d}"
    whole, frac = (text[:-d], "." + text[-d:]) if d else (text, "")
    return ("-" if q < 0 else "") + f"{int(whole):,}" + frac


def list_cells(spec: dict[str, Any]) -> list[str]:
    """The texts of one packed list column (``MASReport.table``'s cells, read in Python)."""
    from mas.reports._html import fmt_time
    from mas.reports.metrics import format_duration
    from mas.reports.packing import unpack

    if spec["f"] == "text":
        return [spec["dict"][int(i)] for i in unpack(spec["i"])]
    none = spec.get("none", "-")
    if spec["f"] == "fix":
        q = unpack(spec["q"])
        d = [spec["d"]] * len(q) if isinstance(spec["d"], int) else [int(v) for v in unpack(spec["d"])]
        return [none if v != v else _fixed(v, di) for v, di in zip(q, d, strict=True)]
    out = []
    for v in unpack(spec["c"]):
        if v != v:
            out.append(none if spec["f"] != "dur" else "-")
        elif spec["f"] == "time":
            out.append(fmt_time(v))
        elif spec["f"] == "dur":
            out.append(format_duration(v))
        else:
            out.append(str(int(v)))
    return out


def list_rows(html: str, table_id: str) -> list[list[str]]:
    """The rows of the list ``table_id`` of a KPI page (its packed columns decoded as the page's script shows them)."""
    for m in _LIST.finditer(html):
        if m.group(1) == table_id:
            data = json.loads(m.group(2))
            columns = [list_cells(spec) for spec in data["cols"]]
            return [list(row) for row in zip(*columns, strict=True)] if columns else []
    raise AssertionError(f"no list {table_id} in the page")


_FAKE_PLOTLY = r"""
var figs = {}, order = [], tables = {};
function gdFor(id) {
  if (!figs[id]) {
    order.push(id);
    figs[id] = {id: id, data: [], layout: {}, _fullLayout: {xaxis: {_length: 1150}}, dataset: {}, handlers: {},
                on: function (ev, fn) { this.handlers[ev] = fn; }};
  }
  return figs[id];
}
function toMs(v) { return typeof v === 'number' ? v : Date.parse(String(v).replace(' ', 'T') + 'Z'); }
function sync(gd) {  // the x range plotly's autorange would give (without padding): every trace's x
  var lo = Infinity, hi = -Infinity;
  gd.data.forEach(function (t) { (Array.isArray(t.x) ? t.x : []).forEach(function (v) {
    if (v === null || v === undefined) { return; }
    var m = toMs(v); if (m < lo) { lo = m; } if (m > hi) { hi = m; } }); });
  if (lo <= hi) { gd._fullLayout.xaxis.range = [lo, hi]; }
}
function apply(gd, upd, ids) {
  ids = ids === undefined ? gd.data.map(function (_, i) { return i; }) : [].concat(ids);
  Object.keys(upd).forEach(function (key) {
    var vals = upd[key];
    ids.forEach(function (id, i) {
      var v = Array.isArray(vals) ? vals[i % vals.length] : vals;
      if (v === undefined) { return; }
      var path = key.split('.'), obj = gd.data[id];
      for (var j = 0; j < path.length - 1; j++) { obj = obj[path[j]] = obj[path[j]] || {}; }
      obj[path[path.length - 1]] = v;
    });
  });
  sync(gd);
}
global.window = global;
global.document = {getElementById: function (id) {
  if (/-list$/.test(id)) { return {tBodies: [{set innerHTML(h) { tables[id] = h; }}]}; }
  return gdFor(id);
}};
global.Plotly = {
  newPlot: function (id, data, layout) { var gd = gdFor(id); gd.data = data; gd.layout = layout; sync(gd);
                                         return Promise.resolve(gd); },
  restyle: function (gd, upd, ids) { apply(gd, upd, ids); return Promise.resolve(); },
  update: function (gd, upd, lay, ids) { apply(gd, upd, ids); return Promise.resolve(); },
  relayout: function () { return Promise.resolve(); }
};
"""


def drawn_figures(html: str) -> dict[str, Any]:
    """What a report page draws once its scripts ran: its figures' traces after the load-time fills (the packed
    series decoded, the trade traces built, the markers grouped) and the rows of its lists, from the page's own
    scripts run in node against a stand-in for plotly (no browser; plotly.js itself is not run). Returns
    ``{"figures": [{"id", "data", "layout", "markers"}], "tables": {id: tbody html}}``."""
    import shutil
    import subprocess
    import tempfile

    from mas.reports.assets_js import report_js
    from mas.reports.trade_markers import markers_js

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    scripts = [s for s in re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
               if s.lstrip().startswith(("window.PLOTLYENV", "MASReport.table("))]
    program = "\n".join([_FAKE_PLOTLY, report_js(), markers_js(), *scripts, """
setTimeout(function () {
  process.stdout.write(JSON.stringify({figures: order.map(function (id) { var gd = figs[id];
    return {id: id, data: gd.data, layout: gd.layout, markers: gd.dataset.markers || null}; }), tables: tables},
    function (k, v) { return ArrayBuffer.isView(v) ? Array.from(v) : v; }));
}, 50);
"""])
    with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False, encoding="utf-8") as fh:
        fh.write(program)
    try:
        done = subprocess.run([node, fh.name], capture_output=True, text=True, timeout=120, check=False)
    finally:
        Path(fh.name).unlink()
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def ms(value: Any) -> float | None:
    """A drawn x value ('YYYY-MM-DD HH:MM:SS.sss' UTC, or epoch ms) as epoch ms."""
    if value is None or isinstance(value, (int, float)):
        return value
    return datetime.fromisoformat(str(value).replace(" ", "T")).replace(tzinfo=timezone.utc).timestamp() * 1000.0


def backtest_strategy_file(tmp_path_factory: Any, folder: str, file_name: str, source: str) -> dict[str, Any]:
    """A user's strategy file run as a user runs it (``mas backtest FILE --json run.json --report-dir D``, in a
    fresh ``MAS_HOME``): the folder, the saved document and result, and the KPI and chart pages."""
    from typer.testing import CliRunner

    from mas.cli.main import app
    from mas.reports.saved_result import load_saved_result

    out = tmp_path_factory.mktemp(folder)
    strategy = out / file_name
    strategy.write_text(source, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAS_HOME", str(tmp_path_factory.mktemp("home")))
        done = CliRunner().invoke(app, ["backtest", str(strategy), "--json", str(out / "run.json"),
                                        "--report-dir", str(out)])
    assert done.exit_code == 0, done.output
    return {"dir": out, "document": json.loads((out / "run.json").read_text(encoding="utf-8")),
            "result": load_saved_result(out / "run.json")[0], "kpi": next(out.glob("kpi_*.html")),
            "chart": next(out.glob("chart_*.html"))}
