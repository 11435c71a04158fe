"""The KPI page's MetaTrader 5 sections (tester statistics, trade and deal lists, costs used) and the one
plotly.js file that the report pages of a folder share."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from plotly.offline.offline import get_plotlyjs

from mas.reports._html import fmt_num
from mas.reports.chart import write_trade_chart
from mas.reports.kpi import render_kpi_html, write_kpi_report
from mas.reports.output import plotly_asset_name, write_plotly_asset
from mas.reports.tester import strategy_tester_statistics as mt5_statistics
from mas.strategy.builtins import BUILTIN_STRATEGIES

from .helpers import list_rows, make_result, run_backtest, trade

EVIL = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def ma_run(tmp_path_factory):
    """The MA-cross demo on the bundled EURUSD H1 2017 sample (event engine: deals recorded)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAS_HOME", str(tmp_path_factory.mktemp("mas_home")))
        return run_backtest(BUILTIN_STRATEGIES["ma"]())


def _section(html: str, title: str) -> str:
    return html.split(f"<h2>{title}</h2>", 1)[1].split("</section>", 1)[0]


def _cells(row_html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row_html)]


def test_tester_table_shows_the_json_figures(ma_run, tmp_path):
    html = write_kpi_report(ma_run, tmp_path, "ma").read_text(encoding="utf-8")
    t = mt5_statistics(ma_run)
    pairs = dict(zip(*[iter(_cells(_section(html, "Strategy tester statistics")))] * 2, strict=True))
    assert pairs["Total net profit:"] == fmt_num(t["total_net_profit"])
    assert pairs["Recovery factor:"] == fmt_num(t["recovery_factor"])
    assert pairs["Expected payoff:"] == fmt_num(t["expected_payoff"])
    assert pairs["AHPR:"] == f"{t['ahpr']:.4f} ({t['ahpr_percent']:.2f}%)"
    assert pairs["GHPR:"] == f"{t['ghpr']:.4f} ({t['ghpr_percent']:.2f}%)"
    assert pairs["Z-score:"] == f"{t['z_score']:.2f} ({t['z_score_probability']:.2f}%)"
    assert pairs["LR correlation:"] == fmt_num(t["lr_correlation"])
    assert pairs["LR standard error:"] == fmt_num(t["lr_standard_error"])
    assert pairs["Balance drawdown maximal:"] == (
        f"{fmt_num(t['balance_drawdown_maximal'])} ({t['balance_drawdown_maximal_percent']:.2f}%)")
    assert pairs["Equity drawdown relative:"] == (
        f"{t['equity_drawdown_relative_percent']:.2f}% ({fmt_num(t['equity_drawdown_relative'])})")
    assert pairs["Long trades (won %):"] == f"{t['long_trades']} ({t['long_trades_won_percent']:.2f}%)"
    assert pairs["Short trades (won %):"] == "0 (-)"  # the MA cross only buys
    assert pairs["Maximum consecutive losses ($):"] == (
        f"{t['max_consecutive_losses']} ({fmt_num(t['max_consecutive_losses_money'])})")
    assert pairs["Margin level:"] == fmt_num(t["min_margin_level"], 2, "%")
    assert pairs["Max deposit load:"] == fmt_num(t["max_deposit_load"], 2, "%")
    assert pairs["Average deposit load:"] == fmt_num(t["average_deposit_load"], 2, "%")
    assert pairs["Total deals:"] == str(t["total_deals"]) == str(len(ma_run.deals) - 1)
    assert pairs["Average position holding time:"] == t["average_holding_time"]


def test_trade_and_deal_lists_are_complete_sortable_and_escaped(ma_run, tmp_path):
    html = render_kpi_html(ma_run, "ma")
    rows = list_rows(html, "trades-list")  # the packed columns the page renders (in Chromium: test_report_size)
    assert len(rows) == len(ma_run.trades)  # every trade, the open one too
    assert rows[-1][8] == "open"
    first = sorted((t for t in ma_run.trades if not t.is_open), key=lambda t: t.close_time)[0]
    cells = rows[0]
    assert cells[1] == str(first.position_id) and cells[13] == fmt_num(first.net_profit)
    deal_rows = list_rows(html, "deals-list")
    assert len(deal_rows) == len(ma_run.deals)
    assert deal_rows[0][3] == "balance" and deal_rows[0][11] == "10,000.00"
    # the last deal's balance column is the account's balance at the end
    assert deal_rows[-1][11] == fmt_num(float(ma_run.balance[-1]))
    for table in ("trades-list", "deals-list"):
        assert f'<table class="list" id="{table}">' in html and f'data-table="{table}"' in html
    assert html.count("table.list") >= 1 and html.count("<script>\n(function () {\n  function key(cell)") == 1
    # text from the run is escaped in the lists
    evil = make_result(np.array([1_500_000_000, 1_500_003_600]), [100.0, 101.0],
                       [trade(1, 1.0, 1_500_000_000, 1_500_003_600, symbol=EVIL)], initial=100.0)
    evil.deal_records = [{"ticket": 7, "time": 1_500_003_600, "type": 1, "entry": 1, "symbol": EVIL,
                          "comment": EVIL, "volume": 0.1, "price": 1.1, "profit": 1.0}]
    page = render_kpi_html(evil, "evil")
    # the lists' texts are JSON with "<" escaped, so no text closes the script (rendered as text: test_report_size.py)
    assert EVIL not in page
    assert list_rows(page, "trades-list")[0][2] == EVIL and list_rows(page, "deals-list")[0][2] == EVIL


def test_settings_show_the_costs_used(ma_run, tmp_path):
    html = render_kpi_html(ma_run, "ma")
    settings = dict(re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", _section(html, "Settings")))
    assert ma_run.settings["spread"] is None and ma_run.settings["commission"] is None
    assert settings["spread"] == "EURUSD: 10 points"  # the symbol's default, as replayed
    assert settings["commission"] == "EURUSD: 0.00 USD per lot per side"
    assert settings["swap"] == "EURUSD: long -6.5, short 1.2 points per lot per night"
    assert "default" not in settings.values()
    given = run_backtest(BUILTIN_STRATEGIES["ma"](), spread=15, commission=3.5, to="2017-02-28")
    again = dict(re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>",
                            _section(render_kpi_html(given, "ma"), "Settings")))
    assert again["spread"] == "15 points (set for the run)"
    assert again["commission"] == "EURUSD: 3.50 USD per lot per side"


# ----------------------------------------------------------------------------- the shared plotly.js


def test_pages_share_one_plotly_file_and_stay_small(ma_run, tmp_path):
    kpi = write_kpi_report(ma_run, tmp_path, "ma")
    chart = write_trade_chart(ma_run, tmp_path, "ma")
    again = write_kpi_report(ma_run, tmp_path, "ma")
    assets = sorted(tmp_path.glob("plotly-*.js"))
    assert [a.name for a in assets] == [plotly_asset_name()]
    assert assets[0].read_text(encoding="utf-8") == get_plotlyjs()
    for page in (kpi, chart, again):
        html = page.read_text(encoding="utf-8")
        assert html.count(f'src="{plotly_asset_name()}"') == 1
        assert page.stat().st_size < 1_000_000  # a year of H1 with every trade and deal listed
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_self_contained_pages_inline_plotly_and_write_no_asset(ma_run, tmp_path):
    kpi = write_kpi_report(ma_run, tmp_path, "ma", self_contained=True)
    chart = write_trade_chart(ma_run, tmp_path, "ma", self_contained=True)
    assert not list(tmp_path.glob("plotly-*.js"))
    for page in (kpi, chart):
        html = page.read_text(encoding="utf-8")
        assert get_plotlyjs()[:200] in html and not re.search(r"<script[^>]*\bsrc\s*=", html)


def test_a_damaged_asset_is_rewritten_and_a_good_one_reused(tmp_path):
    name = write_plotly_asset(tmp_path)
    path = tmp_path / name
    good = path.stat()
    assert write_plotly_asset(tmp_path) == name and path.stat().st_mtime_ns == good.st_mtime_ns  # reused
    path.write_text(get_plotlyjs()[:1000], encoding="utf-8")  # a copy cut short (a killed writer, a full disk)
    write_plotly_asset(tmp_path)
    assert path.read_text(encoding="utf-8") == get_plotlyjs()


def test_two_processes_writing_reports_into_one_folder(ma_run, tmp_path):
    """Two report writers at once: both pages written, one intact plotly.js."""
    script = (
        "import sys\n"
        "import numpy as np\n"
        "from mas.reports.kpi import write_kpi_report\n"
        "from mas.results import BacktestResult\n"
        "t = 1_483_315_200 + np.arange(500) * 3600\n"
        "r = BacktestResult(settings={}, trades=[], equity_times=t, equity=1000 + np.sin(t / 1e4),\n"
        "                   balance=np.full(500, 1000.0), initial_capital=1000.0)\n"
        "for i in range(3):\n"
        "    print(write_kpi_report(r, sys.argv[1], 'p' + sys.argv[2]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), str(k)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    pages = [Path(line) for out, _ in outs for line in out.split()]
    assert len(pages) == 6 and all(p.exists() for p in pages)
    assert [a.name for a in tmp_path.glob("plotly-*.js")] == [plotly_asset_name()]
    assert (tmp_path / plotly_asset_name()).read_text(encoding="utf-8") == get_plotlyjs()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_deals_are_rebuilt_from_the_trades_when_the_result_keeps_none(ma_run):
    from mas.reports.mt5_sections import deals_from_trades
    from mas.results import BacktestResult

    bare = BacktestResult(settings=ma_run.settings, trades=ma_run.trades, equity_times=ma_run.equity_times,
                          equity=ma_run.equity, balance=ma_run.balance, initial_capital=ma_run.initial_capital)
    rebuilt = deals_from_trades(bare)
    recorded = ma_run.deals
    # the same deals as the terminal recorded: kind, direction, time, volume, price and profit (the deposit
    # is put at the first bar)
    assert rebuilt[0]["time"] == int(ma_run.equity_times[0]) and rebuilt[0]["type"] == recorded[0]["type"] == 2
    assert [(d["type"], d.get("entry", 0), d["time"]) for d in rebuilt[1:]] == [
        (d["type"], d["entry"], d["time"]) for d in recorded[1:]]
    assert [round(d.get("profit", 0.0), 2) for d in rebuilt] == [round(d["profit"], 2) for d in recorded]
    assert [d.get("price", 0.0) for d in rebuilt] == [d["price"] for d in recorded]
    html = render_kpi_html(bare, "ma")
    deals = _section(html, "Deals")
    assert "rebuilt from the trades" in deals
    rows = list_rows(html, "deals-list")
    assert len(rows) == len(recorded) and rows[-1][11] == fmt_num(float(ma_run.balance[-1]))


def test_money_never_shows_minus_zero_and_the_deposit_is_at_the_start(ma_run):
    from mas.reports._html import fmt_time

    assert fmt_num(-0.0) == "0.00" and fmt_num(-0.004) == "0.00" and fmt_num(-1.5) == "-1.50"
    assert fmt_num(-0.0001, 4) == "-0.0001" and fmt_num(-0.0, 1, " %") == "0.0 %"
    first = list_rows(render_kpi_html(ma_run, "ma"), "deals-list")[0]
    assert first[0] == fmt_time(int(ma_run.equity_times[0])) and first[3] == "balance"


def test_an_open_range_shows_the_bars_replayed(sample_result):
    sample_result.settings.update({"from": None, "to": None})
    settings = dict(re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>",
                               _section(render_kpi_html(sample_result, "s"), "Settings")))
    assert settings["from"] == "2017-01-01 22:00 UTC (first bar replayed)"
    assert settings["to"] == "2017-12-29 21:00 UTC (last bar replayed)"
