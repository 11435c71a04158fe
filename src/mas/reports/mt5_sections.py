"""The KPI page's MetaTrader 5 style sections: the tester's statistics, the trade, order and deal lists, and
the trading costs a run used.

The lists are HTML tables that sort when a column heading is clicked and can be saved as CSV; a small script,
inserted once per page, does both in the browser. Their rows are rendered in the browser (``MASReport.table`` of
the shared ``assets/report.js``, every cell escaped) from compact columns (:class:`Columns`): each cell's text as
Python formats it, kept as the digits shown (times as epoch seconds, numbers as integers with their decimals,
repeated words once), so a year of trades, orders and deals costs tens of kilobytes, not megabytes. Figures come from
:mod:`mas.reports.tester`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

from mas.reports._html import esc, fmt_num
from mas.reports.metrics import to_epoch
from mas.reports.packing import dumps, pack
from mas.results import BacktestResult, TradeRecord

MAX_LIST_ROWS = 10_000
"""Rows shown per list; a longer list says how many are left out (``mas backtest --json`` has them all)."""

DEAL_TYPES = {0: "buy", 1: "sell", 2: "balance", 3: "credit", 4: "charge", 5: "correction", 6: "bonus",
              7: "commission", 8: "commission", 9: "commission", 10: "agent commission", 11: "agent commission",
              12: "interest", 13: "buy canceled", 14: "sell canceled"}
DEAL_ENTRIES = {0: "in", 1: "out", 2: "in/out", 3: "out by"}
ORDER_TYPES = {0: "buy", 1: "sell", 2: "buy limit", 3: "sell limit", 4: "buy stop", 5: "sell stop",
               6: "buy stop limit", 7: "sell stop limit", 8: "close by"}
ORDER_STATES = {0: "started", 1: "placed", 2: "canceled", 3: "partial", 4: "filled", 5: "rejected", 6: "expired"}

LIST_SCRIPT = r"""<script>
(function () {
  function key(cell) {
    var v = cell.getAttribute('data-v'), t = v === null ? cell.textContent.trim() : v;
    var n = Number(t.replace(/,/g, '').replace(/ %$/, ''));
    return t !== '' && t !== '-' && isFinite(n) ? n : t;
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (typeof x !== typeof y) { x = String(x); y = String(y); }
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
  }
  function csv(table) {
    return Array.prototype.map.call(table.rows, function (r) {
      return Array.prototype.map.call(r.cells, function (c) {
        var t = c.textContent.trim();
        return /[",\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
      }).join(',');
    }).join('\n') + '\n';
  }
  document.querySelectorAll('table.list').forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.addEventListener('click', function () { sortBy(table, col, th); });
    });
  });
  document.querySelectorAll('button.csv').forEach(function (button) {
    button.addEventListener('click', function () {
      var table = document.getElementById(button.getAttribute('data-table'));
      var url = URL.createObjectURL(new Blob([csv(table)], {type: 'text/csv'}));
      var a = document.createElement('a');
      a.href = url; a.download = button.getAttribute('data-file'); document.body.appendChild(a); a.click();
      setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 0);
    });
  });
})();
</script>"""

LIST_CSS = """
.listwrap { max-height: 480px; overflow: auto; border: 1px solid var(--line); }
table.list thead th { position: sticky; top: 0; cursor: pointer; user-select: none; }
table.list thead th[aria-sort=ascending]::after { content: " \\25B2"; }
table.list thead th[aria-sort=descending]::after { content: " \\25BC"; }
button.csv { margin: 0 0 8px 0; font-size: 12px; }
table.tester td.k { color: var(--muted); text-align: left; }
table.tester td.v { font-weight: 600; }
"""


# ----------------------------------------------------------------------------- the tester's statistics


def _pair(value: str, inner: str) -> str:
    return f"{value} ({inner})"


def tester_table(t: dict[str, Any], ccy: str) -> str:
    """The MT5 tester's Results tab as a table of three label/value columns."""
    c = f" {ccy}" if ccy else ""

    def money(key: str) -> str:
        return fmt_num(t[key], 2)

    def pct(key: str) -> str:
        return fmt_num(t[key], 2, "%")

    def count_pct(n: str, p: str) -> str:
        return _pair(str(t[n]), pct(p))

    def hpr(key: str) -> str:
        return "-" if t[key] is None else _pair(fmt_num(t[key], 4), pct(f"{key}_percent"))

    z = "-" if t["z_score"] is None else _pair(fmt_num(t["z_score"], 2), pct("z_score_probability"))
    margin = "-" if t["min_margin_level"] is None else pct("min_margin_level")
    def dd(kind: str, first: str) -> str:  # "money (pct)" for maximal, "pct (money)" for relative
        key = f"{kind}_drawdown_{first}"
        if first == "maximal":
            return _pair(money(key), pct(f"{key}_percent"))
        return _pair(pct(f"{key}_percent"), money(f"{kind}_drawdown_relative"))

    def series(count: str, amount: str, money_first: bool = False) -> str:
        return _pair(money(amount), str(t[count])) if money_first else _pair(str(t[count]), money(amount))

    blank = ("", "")
    rows: list[list[tuple[str, str]]] = [
        [("Initial deposit", money("initial_deposit") + c), ("Bars", str(t["bars"])),
         ("History quality", pct("history_quality"))],
        [("Total net profit", money("total_net_profit")),
         ("Balance drawdown absolute", money("balance_drawdown_absolute")),
         ("Equity drawdown absolute", money("equity_drawdown_absolute"))],
        [("Gross profit", money("gross_profit")), ("Balance drawdown maximal", dd("balance", "maximal")),
         ("Equity drawdown maximal", dd("equity", "maximal"))],
        [("Gross loss", money("gross_loss")), ("Balance drawdown relative", dd("balance", "relative")),
         ("Equity drawdown relative", dd("equity", "relative"))],
        [("Profit factor", fmt_num(t["profit_factor"])), ("Expected payoff", money("expected_payoff")),
         ("Margin level", margin)],
        [("Recovery factor", fmt_num(t["recovery_factor"])), ("Z-score", z),
         ("Max deposit load", pct("max_deposit_load"))],
        [("AHPR", hpr("ahpr")), ("LR correlation", fmt_num(t["lr_correlation"])),
         ("Average deposit load", pct("average_deposit_load"))],
        [("GHPR", hpr("ghpr")), ("LR standard error", money("lr_standard_error")), blank],
        [("Total trades", str(t["total_trades"])),
         ("Short trades (won %)", count_pct("short_trades", "short_trades_won_percent")),
         ("Long trades (won %)", count_pct("long_trades", "long_trades_won_percent"))],
        [("Total deals", str(t["total_deals"])),
         ("Profit trades (% of total)", count_pct("profit_trades", "profit_trades_percent")),
         ("Loss trades (% of total)", count_pct("loss_trades", "loss_trades_percent"))],
        [blank, ("Largest profit trade", money("largest_profit_trade")),
         ("Largest loss trade", money("largest_loss_trade"))],
        [blank, ("Average profit trade", money("average_profit_trade")),
         ("Average loss trade", money("average_loss_trade"))],
        [blank, ("Maximum consecutive wins ($)", series("max_consecutive_wins", "max_consecutive_wins_money")),
         ("Maximum consecutive losses ($)", series("max_consecutive_losses", "max_consecutive_losses_money"))],
        [blank, ("Maximal consecutive profit (count)",
                 series("maximal_consecutive_profit_count", "maximal_consecutive_profit", money_first=True)),
         ("Maximal consecutive loss (count)",
          series("maximal_consecutive_loss_count", "maximal_consecutive_loss", money_first=True))],
        [blank, ("Average consecutive wins", fmt_num(t["average_consecutive_wins"], 0)),
         ("Average consecutive losses", fmt_num(t["average_consecutive_losses"], 0))],
        [("Minimal position holding time", str(t["min_holding_time"])),
         ("Maximal position holding time", str(t["max_holding_time"])),
         ("Average position holding time", str(t["average_holding_time"]))],
    ]
    body = "".join(
        "<tr>" + "".join(f'<td class="k">{esc(k)}{":" if k else ""}</td><td class="v">{esc(v)}</td>' for k, v in row)
        + "</tr>"
        for row in rows
    )
    note = (
        '<p class="note">As the MetaTrader 5 strategy tester reports them (definitions: docs/metrics.md). The '
        "balance moves with each closed trade's net profit; equity and margin are taken at each bar's close. Margin "
        "level: the lowest equity / margin; deposit load: margin / equity, over the bars with a position open "
        "(\"-\" when none was open or the source does not record margin).</p>"
    )
    return f'<table class="tester"><tbody>{body}</tbody></table>{note}'


# ----------------------------------------------------------------------------- lists


def _price(value: float) -> str:
    """A price with 5 decimals below 10, 3 below 1,000, else 2; ``-`` for 0 (no price, no SL/TP)."""
    if not value:
        return "-"
    size = abs(value)
    return f"{value:,.{5 if size < 10 else 3 if size < 1000 else 2}f}"


def list_table(table_id: str, file_name: str, headers: Sequence[str], columns: Columns, total: int) -> str:
    """A sortable list whose rows the page's shared script (``MASReport.table``) renders from ``columns``, a CSV
    button and a note when rows are left out."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    more = ""
    if total > columns.rows:
        more = (f'<p class="note">The first {columns.rows:,} of {total:,} rows; '
                "<code>mas backtest --json</code> saves them all.</p>")
    button = f'<button type="button" class="csv" data-table="{esc(table_id)}" data-file="{esc(file_name)}">CSV</button>'
    data = dumps({"rows": columns.rows, "cols": columns.specs})
    return (f'{button}<div class="listwrap"><table class="list" id="{esc(table_id)}"><thead><tr>{head}</tr></thead>'
            f"<tbody></tbody></table></div><script>MASReport.table({json.dumps(table_id)}, {data});</script>{more}")


_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_FIXED = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?")


class Columns:
    """The columns of a list, each kept as the page shows it (packed: :mod:`mas.reports.packing`)."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.specs: list[dict[str, Any]] = []

    def time(self, seconds: Sequence[float | None], none: str = "-",
             sort: Sequence[float | None] | None = None) -> None:
        """Epoch seconds shown as ``fmt_time``; ``none`` for None; sorted by the time (or ``sort``)."""
        spec: dict[str, Any] = {"f": "time", "c": pack(_nums(seconds)), "none": none}
        if sort is not None:
            spec["v"] = pack(_nums(sort))
        self.specs.append(spec)

    def duration(self, seconds: Sequence[float | None]) -> None:
        """Seconds shown as ``format_duration``, sorted by the seconds."""
        self.specs.append({"f": "dur", "c": pack(_nums(seconds))})

    def texts(self, texts: Sequence[str], sort: Sequence[float | None] | None = None) -> None:
        """Cells shown as ``texts`` (already formatted); sorted by ``sort`` when given. Kept as numbers when they
        are plain integers or fixed-point numbers with one text (such as "-") for the rest."""
        spec = _text_spec([str(t) for t in texts])
        if sort is not None:
            spec["v"] = pack(_nums(sort))
        self.specs.append(spec)


def _nums(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _text_spec(texts: list[str]) -> dict[str, Any]:
    """A column of shown texts: integers (``int``), fixed-point numbers (``fix``: the digits shown and the decimals)
    when at most one other text (``none``, such as "-") occurs, else the distinct texts and an index per row."""
    others = {t for t in texts if not _FIXED.fullmatch(t) and not _INT.fullmatch(t)}
    none = next(iter(others), "-")
    numbers = [t for t in texts if t != none]
    if len(others) <= 1 and numbers:
        if all(_INT.fullmatch(t) for t in numbers):
            return {"f": "int", "c": pack([math.nan if t == none else float(t) for t in texts]), "none": none}
        if all(_FIXED.fullmatch(t) for t in numbers):
            q = [math.nan if t == none else float(t.replace(",", "").replace(".", "")) for t in texts]
            decimals = [len(t.partition(".")[2]) for t in numbers]
            if max(abs(v) for v in q if v == v) < 2**53:
                d: Any = decimals[0] if len(set(decimals)) == 1 else pack(
                    [0 if t == none else len(t.partition(".")[2]) for t in texts])
                return {"f": "fix", "q": pack(q), "d": d, "none": none}
    words = sorted(set(texts))
    index = {w: i for i, w in enumerate(words)}
    return {"f": "text", "dict": words, "i": pack([index[t] for t in texts])}


def _trade_order(t: TradeRecord) -> tuple[int, float, float]:
    c, o = to_epoch(t.close_time), to_epoch(t.open_time) or 0.0
    return (1 if t.is_open or c is None else 0, c if c is not None else o, o)


def trades_list(result: BacktestResult, file_stem: str) -> str:
    """Every trade (closed in close order, then the open ones) with MT5's position columns."""
    trades = sorted(result.trades, key=_trade_order)
    if not trades:
        return '<p class="note">No trades.</p>'
    shown = trades[:MAX_LIST_ROWS]
    cols = Columns(len(shown))
    opens = [to_epoch(t.open_time) for t in shown]
    closes = [to_epoch(t.close_time) for t in shown]
    cols.time(opens)
    cols.texts([str(t.position_id) for t in shown])
    cols.texts([str(t.symbol) for t in shown])
    cols.texts([str(t.direction) for t in shown])
    cols.texts([fmt_num(t.volume, 2) for t in shown])
    for field in ("open_price", "sl", "tp"):
        cols.texts([_price(getattr(t, field)) for t in shown])
    cols.time([None if t.is_open else c for t, c in zip(shown, closes, strict=True)], none="open", sort=closes)
    cols.texts([_price(t.close_price) for t in shown])
    for field in ("commission", "swap", "profit", "net_profit"):
        cols.texts([fmt_num(getattr(t, field)) for t in shown])
    cols.duration([None if t.is_open or o is None or c is None else c - o
                   for t, o, c in zip(shown, opens, closes, strict=True)])
    cols.texts([str(t.exit_reason) for t in shown])
    headers = ["Open time", "Position", "Symbol", "Type", "Volume", "Open price", "S/L", "T/P", "Close time",
               "Close price", "Commission", "Swap", "Profit", "Net profit", "Holding", "Exit"]
    return list_table("trades-list", f"{file_stem}_trades.csv", headers, cols, len(trades))


def deals_from_trades(result: BacktestResult) -> list[dict[str, Any]]:
    """Deals rebuilt from the trades of a result that keeps no deal records (the fast engine's, a saved
    one): the deposit (at the first bar), one entry deal per position and one exit deal per closed trade,
    in time order. A trade's commission and swap are put on its exit deal."""
    times = result.equity_times
    first = int(min(times)) if len(times) else int(to_epoch(min((t.open_time for t in result.trades), default=0)) or 0)
    deals: list[dict[str, Any]] = [{"time": first, "type": 2, "profit": float(result.initial_capital),
                                    "comment": "Initial deposit"}]
    seen: set[tuple[str, int]] = set()
    for t in result.trades:
        side = 0 if str(t.direction).lower() in ("buy", "long", "0") else 1
        key = (str(t.symbol), int(t.position_id))
        if key not in seen:
            seen.add(key)
            deals.append({"time": int(to_epoch(t.open_time) or 0), "type": side, "entry": 0, "symbol": t.symbol,
                          "volume": t.volume, "price": t.open_price, "position_id": t.position_id})
        if not t.is_open and t.close_time is not None:
            deals.append({"time": int(to_epoch(t.close_time) or 0), "type": 1 - side, "entry": 1, "symbol": t.symbol,
                          "volume": t.volume, "price": t.close_price, "position_id": t.position_id,
                          "profit": t.profit, "commission": t.commission, "swap": t.swap, "comment": t.exit_reason})
    deals.sort(key=lambda d: (d["time"], d.get("entry", -1)))
    for i, d in enumerate(deals, 1):
        d["ticket"] = i
    return deals


def orders_from_trades(result: BacktestResult) -> list[dict[str, Any]]:
    """Orders rebuilt from the trades of a result that keeps no order records (the fast engine's, a saved
    one without orders): one filled market order per trading deal of :func:`deals_from_trades` (its time,
    side, volume and symbol; the fill price as ``price_current``), numbered in time order."""
    orders: list[dict[str, Any]] = []
    for d in deals_from_trades(result):
        if int(d.get("type", -1)) not in (0, 1):
            continue
        time = int(d["time"])
        orders.append({"ticket": len(orders) + 1, "time_setup": time, "time_done": time, "type": int(d["type"]),
                       "state": 4, "position_id": d.get("position_id", 0), "volume_initial": d.get("volume", 0.0),
                       "volume_current": 0.0, "price_open": 0.0, "sl": 0.0, "tp": 0.0,
                       "price_current": d.get("price", 0.0), "symbol": d.get("symbol", ""),
                       "comment": str(d.get("comment", "")) if d.get("entry") == 1 else ""})
    return orders


def result_orders(result: BacktestResult) -> tuple[list[dict[str, Any]], bool]:
    """The run's orders in time order (``TradeOrder``'s fields) and whether they were rebuilt from the trades."""
    if result.order_records:
        return sorted(result.orders, key=lambda o: (int(o.get("time_setup", 0)), int(o.get("ticket", 0)))), False
    return orders_from_trades(result), True


def orders_list(result: BacktestResult, file_stem: str) -> str:
    """Every order of the run with MT5's order columns: a market order's price is "market" (it fills at the
    price the deal shows); volume is "initial / filled"."""
    orders, rebuilt = result_orders(result)
    if not orders:
        return '<p class="note">No orders.</p>'
    note = ""
    if rebuilt:
        note = ('<p class="note">This result keeps no order records (a fast-engine run or a saved result): the '
                "orders are rebuilt from the trades, one filled market order per deal, numbered here.</p>")
    shown = orders[:MAX_LIST_ROWS]
    cols = Columns(len(shown))
    setup = [int(o.get("time_setup", 0) or 0) for o in shown]
    done = [int(o.get("time_done", 0) or 0) for o in shown]
    initial = [float(o.get("volume_initial", 0.0) or 0.0) for o in shown]
    filled = [i - float(o.get("volume_current", 0.0) or 0.0) for i, o in zip(initial, shown, strict=True)]
    price = [float(o.get("price_open", 0.0) or 0.0) for o in shown]
    cols.time(setup)
    cols.texts([str(o.get("ticket", "")) for o in shown])
    cols.texts([str(o.get("symbol", "")) for o in shown])
    cols.texts([ORDER_TYPES.get(int(o.get("type", -1)), str(int(o.get("type", -1)))) for o in shown])
    cols.texts([f"{fmt_num(i, 2)} / {fmt_num(f, 2)}" for i, f in zip(initial, filled, strict=True)], sort=initial)
    cols.texts([_price(p) if p else "market" for p in price], sort=price)
    cols.texts([_price(float(o.get("sl", 0.0) or 0.0)) for o in shown])
    cols.texts([_price(float(o.get("tp", 0.0) or 0.0)) for o in shown])
    cols.time([d if d else None for d in done], sort=done)
    cols.texts([ORDER_STATES.get(int(o.get("state", -1)), str(o.get("state", ""))) for o in shown])
    cols.texts([str(o.get("comment", "")) for o in shown])
    headers = ["Open time", "Order", "Symbol", "Type", "Volume", "Price", "S/L", "T/P", "Time", "State", "Comment"]
    return note + list_table("orders-list", f"{file_stem}_orders.csv", headers, cols, len(orders))


def deals_list(result: BacktestResult, file_stem: str) -> str:
    """Every deal of the run with MT5's deal columns and the balance after it (deals rebuilt from the
    trades when the result keeps none, with a note). A deposit booked at time 0 is shown at the first bar."""
    note = ""
    if result.deal_records:
        deals = sorted(result.deals, key=lambda d: (int(d.get("time", 0)), int(d.get("ticket", 0))))
    else:
        deals = deals_from_trades(result)
        note = ('<p class="note">This result keeps no deal records (a fast-engine run or a saved result): the deals '
                "are rebuilt from the trades, numbered here, with each trade's commission and swap on its exit.</p>")
    balance = 0.0
    start = int(min(result.equity_times)) if len(result.equity_times) else 0
    shown: list[tuple[dict[str, Any], float]] = []
    for d in deals:
        balance += sum(float(d.get(k, 0.0) or 0.0) for k in ("profit", "commission", "swap", "fee"))
        if len(shown) < MAX_LIST_ROWS:
            shown.append((d, balance))
    cols = Columns(len(shown))
    kinds = [int(d.get("type", -1)) for d, _ in shown]
    trading = [k in (0, 1) for k in kinds]
    times = [int(d.get("time", 0)) for d, _ in shown]
    # the terminal books the deposit at time 0: show it at the start
    cols.time([start if t <= 0 and k == 2 else t for t, k in zip(times, kinds, strict=True)])
    cols.texts([str(d.get("ticket", "")) for d, _ in shown])
    cols.texts([str(d.get("symbol", "")) for d, _ in shown])
    cols.texts([DEAL_TYPES.get(k, str(k)) for k in kinds])
    cols.texts([DEAL_ENTRIES.get(int(d.get("entry", 0)), "") if tr else "" for (d, _), tr in zip(shown, trading,
                                                                                               strict=True)])
    cols.texts([fmt_num(d.get("volume"), 2) if tr else "" for (d, _), tr in zip(shown, trading, strict=True)])
    cols.texts([_price(float(d.get("price", 0.0) or 0.0)) if tr else "" for (d, _), tr in zip(shown, trading,
                                                                                              strict=True)])
    cols.texts([str(d.get("order", "")) if tr else "" for (d, _), tr in zip(shown, trading, strict=True)])
    for field in ("commission", "swap", "profit"):
        cols.texts([fmt_num(d.get(field)) for d, _ in shown])
    cols.texts([fmt_num(b) for _, b in shown])
    cols.texts([str(d.get("comment", "")) for d, _ in shown])
    headers = ["Time", "Deal", "Symbol", "Type", "Direction", "Volume", "Price", "Order", "Commission", "Swap",
               "Profit", "Balance", "Comment"]
    return note + list_table("deals-list", f"{file_stem}_deals.csv", headers, cols, len(deals))


# ----------------------------------------------------------------------------- costs used


def costs_used(result: BacktestResult) -> dict[str, str]:
    """Spread, commission and swaps the run used, per symbol, as text; keys ``spread``, ``commission``,
    ``swap``. The spread is the one set for the run, else read from the replayed bars (the data's or
    the symbol's default); commission and swaps come from the symbol's specification with the run's
    overrides and commission (only for a backtest's settings; a key is missing where unknown)."""
    settings = result.settings or {}
    out: dict[str, str] = {}
    spreads = []
    if isinstance(settings.get("spread"), (int, float)) and not isinstance(settings.get("spread"), bool):
        out["spread"] = f"{settings['spread']:g} points (set for the run)"
    for sym, bars in sorted((result.bars or {}).items()):
        if "spread" in out:
            break
        if bars is None or not len(bars) or "spread" not in (bars.dtype.names or ()):
            continue
        lo, hi = int(bars["spread"].min()), int(bars["spread"].max())
        spreads.append(f"{sym}: {lo} points" if lo == hi else f"{sym}: {lo}-{hi} points (from the data)")
    if spreads:
        out["spread"] = "; ".join(spreads)
    symbols = [s.strip() for s in str(settings.get("symbol") or "").split(",") if s.strip()]
    if not symbols or "timeframe" not in settings:
        return out
    try:
        from mas.sim.symbols import resolve_spec

        overrides = settings.get("symbol_overrides") or {}
        specs = {s: resolve_spec(s, overrides) for s in symbols}
    except (ValueError, TypeError, LookupError):
        return out
    ccy = result.currency or ""
    commission = settings.get("commission")
    out["commission"] = "; ".join(
        f"{s}: {float(commission if commission is not None else spec.commission):,.2f} {ccy} per lot per side"
        for s, spec in specs.items())
    out["swap"] = "; ".join(f"{s}: long {spec.swap_long:g}, short {spec.swap_short:g} points per lot per night"
                            for s, spec in specs.items())
    return out
