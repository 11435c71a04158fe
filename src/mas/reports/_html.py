"""Small shared pieces of the HTML reports: escaping, number formatting, page skeleton, figures."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from mas.results import BacktestResult

if TYPE_CHECKING:  # the figures come from the callers: the formatting helpers need no plotly
    import plotly.graph_objects as go

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": True}

CSS = """
:root { --fg:#1f2933; --muted:#616e7c; --line:#e4e7eb; --bg:#f5f7fa; --pos:#1a7f37; --neg:#cf222e; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--fg);
       background: var(--bg); margin: 0; padding: 0 0 40px 0; }
header { background: #102a43; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px 0; font-size: 22px; }
header .sub { color: #bcccdc; font-size: 13px; }
main { max-width: 1280px; margin: 0 auto; padding: 0 20px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 18px 0;
          padding: 14px 18px; }
h2 { font-size: 17px; margin: 4px 0 12px 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.card .value { font-size: 20px; font-weight: 600; margin-top: 4px; }
.card .sub { color: var(--muted); font-size: 12px; margin-top: 2px; }
.pos { color: var(--pos); } .neg { color: var(--neg); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f4f8; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } }
.note { color: var(--muted); font-size: 12px; }
"""


def esc(value: Any) -> str:
    """HTML-escape ``str(value)`` (quotes too)."""
    return escape("" if value is None else str(value), quote=True)


def fmt_num(value: Any, digits: int = 2, suffix: str = "") -> str:
    """``1,234.57`` style (never ``-0.00``); ``-`` for None / NaN / inf."""
    if value is None or isinstance(value, str):
        return "-" if value is None else value
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(f):
        return "-"
    text = f"{f:,.{digits}f}"
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]  # -0.0 or a tiny loss rounds to 0.00, not -0.00
    return f"{text}{suffix}"


def sign_class(value: Any) -> str:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(f) or f == 0:
        return ""
    return "pos" if f > 0 else "neg"


def fmt_time(ts: float | int | None, with_time: bool = True) -> str:
    """Epoch seconds -> ``YYYY-MM-DD HH:MM`` UTC (or the date only)."""
    if ts is None:
        return "-"
    d = datetime.fromtimestamp(float(ts), tz=timezone.utc)
    return d.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def fmt_setting(value: Any) -> str:
    """A settings value as text (datetimes ISO, sequences comma-joined)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return ", ".join(fmt_setting(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={fmt_setting(v)}" for k, v in value.items())
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], raw_html_cols: Sequence[int] = ()) -> str:
    """An escaped HTML table; cells in ``raw_html_cols`` are inserted as given (already escaped)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(f"<td>{cell if i in raw_html_cols else esc(cell)}</td>" for i, cell in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def page(title: str, subtitle: str, body: str, css: str = "") -> str:
    """A complete HTML document; ``title``/``subtitle`` are escaped, ``body`` and ``css`` (added to the
    page's style sheet) are trusted."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}{css}</style>\n</head>\n<body>\n"
        f'<header><h1>{esc(title)}</h1><div class="sub">{esc(subtitle)}</div></header>\n'
        f"<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


class FigureWriter:
    """Renders figures as divs. plotly.js comes once, with the first figure: inlined, or, with
    ``script_src`` (a relative URL such as ``plotly-3.0.1.min.js``), as a ``<script src>`` of a file
    beside the page (see :func:`mas.reports.output.write_plotly_asset`)."""

    def __init__(self, script_src: str | None = None) -> None:
        self._js_done = False
        self._script_src = script_src

    def div(self, fig: go.Figure, div_id: str | None = None, post_script: str | None = None) -> str:
        first: bool | str = True if self._script_src is None else self._script_src
        html = fig.to_html(
            full_html=False,
            include_plotlyjs=False if self._js_done else first,
            include_mathjax=False,
            config=PLOTLY_CONFIG,
            div_id=div_id,
            post_script=post_script,
        )
        self._js_done = True
        return html


def decimate_minmax(y: np.ndarray, max_points: int) -> np.ndarray:
    """Indices of a min/max envelope of ``y`` with at most ``max(max_points, 4)`` points.

    Each of ``(max_points - 2) // 2`` buckets keeps its lowest and highest point (in time order), plus
    the first and last point overall, so peaks and troughs (drawdowns) survive the thinning.
    """
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    buckets = max(1, (max_points - 2) // 2)
    if n <= max_points:
        return np.arange(n)
    k = -(-n // buckets)
    padded = np.full(buckets * k, np.nan)
    padded[:n] = y
    rows = padded.reshape(buckets, k)
    valid = ~np.all(np.isnan(rows), axis=1)
    offsets = np.arange(buckets)[valid] * k
    filled_lo = np.where(np.isnan(rows[valid]), np.inf, rows[valid])
    filled_hi = np.where(np.isnan(rows[valid]), -np.inf, rows[valid])
    idx = np.concatenate(([0, n - 1], offsets + filled_lo.argmin(axis=1), offsets + filled_hi.argmax(axis=1)))
    return np.unique(idx[idx < n])


def report_symbol(result: BacktestResult) -> str:
    """The symbol(s) of a run for titles and file names: settings, else bars, else trades."""
    sym = (result.settings or {}).get("symbol")
    if isinstance(sym, (list, tuple, set)):
        sym = "-".join(str(s) for s in sym)
    if sym:
        return str(sym)
    names = list(result.bars) or sorted({t.symbol for t in result.trades})
    return "-".join(names) if names else "ALL"
