"""``mas backtest`` without a browser: the equity sparkline and the headline figures in 80 columns, block
characters or their ASCII fallback; and ``mas backtest --self-contained``."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mas.cli.main import app
from mas.reports._html import fmt_num
from mas.reports.output import plotly_asset_name
from mas.reports.summary import ASCII, BLOCKS, can_print, equity_lines, headline_rows, sparkline

from .helpers import make_result

runner = CliRunner()


def test_sparkline_by_hand():
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8) == BLOCKS
    assert sparkline([7, 6, 5, 4, 3, 2, 1, 0], 8, ASCII) == ASCII[::-1]
    # 8 points in 4 characters: each shows the last point of its pair (1, 3, 5, 7 of 0..7)
    assert sparkline(list(range(8)), 4) == "▂▄▆█"
    assert sparkline([5.0, 5.0, 5.0], 10) == "▄▄▄"  # flat: the middle level, one character a point
    assert sparkline([1.0, float("nan"), 3.0], 5) == "▁█"  # NaN skipped
    assert sparkline([], 5) == ""
    with pytest.raises(ValueError, match="width"):
        sparkline([1, 2], 0)
    with pytest.raises(ValueError, match="levels"):
        sparkline([1, 2], 3, "#")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=500), st.integers(1, 120))
def test_sparkline_properties(values, width):
    line = sparkline(values, width)
    assert len(line) == min(width, len(values)) and set(line) <= set(BLOCKS)
    lo, hi = min(values), max(values)
    if hi - lo > 1e-12 * max(1.0, abs(hi)):
        # the last character shows the last value, on eight levels from the lowest to the highest value
        assert line[-1] == BLOCKS[math.floor((values[-1] - lo) / (hi - lo) * 7 + 0.5)]


def test_equity_lines_fit_80_columns_and_name_the_ends(sample_result):
    lines = equity_lines(sample_result, width=200)
    assert len(lines) == 3 and all(len(line) <= 80 for line in lines)
    equity = sample_result.equity
    assert lines[0] == f"Equity 2017-01-01 → 2017-12-29: {fmt_num(equity[0])} → {fmt_num(equity[-1])} USD"
    assert lines[1] == sparkline(equity, 80) and len(lines[1]) == 80
    assert fmt_num(equity.min()) in lines[2] and fmt_num(equity.max()) in lines[2]
    ascii_lines = equity_lines(sample_result, width=40, unicode=False)
    assert all(len(line) <= 40 and line.isascii() for line in ascii_lines)
    assert equity_lines(make_result(np.zeros(0), np.zeros(0)), 80) == []


def test_can_print_follows_the_encoding():
    assert can_print(BLOCKS, "utf-8") and not can_print(BLOCKS, "ascii") and not can_print(BLOCKS, "cp1252")
    assert not can_print("x", "no-such-codec")


def test_headline_rows_show_the_tester_figures():
    tester = {"total_net_profit": 602.4, "expected_payoff": 3.29, "recovery_factor": 1.46, "profit_factor": 1.24,
              "total_trades": 183, "long_trades_won_percent": 35.52, "short_trades_won_percent": None,
              "largest_loss_trade": -84.4, "equity_drawdown_maximal": 412.55, "equity_drawdown_maximal_percent": 4.09,
              "max_consecutive_losses": 10, "max_consecutive_losses_money": -308.35, "min_margin_level": None}
    rows = dict(headline_rows({"total_return_rate": 6.66, "win_rate": 35.52, "sharpe_ratio": 0.98,
                               "sortino_ratio": 1.76}, tester, "USD"))
    assert rows["net profit"] == "602.40 USD" and rows["expected payoff"] == "3.29 USD"
    assert rows["closed trades (long / short won %)"] == "183 (35.5 / -)"
    assert rows["equity drawdown maximal"] == "412.55 USD (4.09 %)"
    assert rows["max consecutive losses"] == "10 (-308.35 USD)" and rows["min margin level"] == "-"


def _mas(*args: str, encoding: str, columns: str = "80", home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": columns, "MAS_HOME": str(home)}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "mas", *args], capture_output=True, env=env, timeout=300, check=False)


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_mas_backtest_prints_the_sparkline_and_headline_figures(tmp_path, encoding):
    saved = tmp_path / "run.json"
    done = _mas("backtest", "ma", "--json", str(saved), encoding=encoding, home=tmp_path)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    text = done.stdout.decode(encoding)  # an ASCII terminal gets only ASCII: decoding would fail otherwise
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    spark = lines[1]
    assert set(spark) <= set(BLOCKS if encoding == "utf-8" else ASCII) and len(spark) == 80
    document = json.loads(saved.read_text(encoding="utf-8"))
    equity = [e for _, e in document["equity"]]
    assert spark == sparkline(equity, 80, BLOCKS if encoding == "utf-8" else ASCII)
    t = document["tester_metrics"]
    for label, value in (("net profit", f"{fmt_num(t['total_net_profit'])} USD"),
                         ("expected payoff", f"{fmt_num(t['expected_payoff'])} USD"),
                         ("recovery factor", fmt_num(t["recovery_factor"])),
                         ("equity drawdown maximal", f"{fmt_num(t['equity_drawdown_maximal'])} USD")):
        row = next(line for line in lines if label in line)
        assert value in row, row
    if encoding == "ascii":
        assert text.isascii()


def test_mas_backtest_self_contained_writes_single_files(tmp_path):
    out = tmp_path / "out"
    done = runner.invoke(app, ["backtest", "ma", "--to", "2017-03-31", "--report-dir", str(out), "--self-contained"])
    assert done.exit_code == 0, done.output
    pages = sorted(out.glob("*.html"))
    assert [p.name.split("_")[0] for p in pages] == ["chart", "kpi"]
    assert not (out / plotly_asset_name()).exists()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'src="{plotly_asset_name()}"' not in html and html.count("Plotly.newPlot") >= 1
        assert page.stat().st_size > 4_000_000  # plotly.js is inside
    shared = tmp_path / "shared"
    done = runner.invoke(app, ["backtest", "ma", "--to", "2017-03-31", "--report-dir", str(shared)])
    assert done.exit_code == 0 and (shared / plotly_asset_name()).exists()
    assert all(p.stat().st_size < 1_000_000 for p in shared.glob("*.html"))


def test_self_contained_without_a_report_dir_is_refused(tmp_path):
    done = runner.invoke(app, ["backtest", "ma", "--self-contained"])
    assert done.exit_code == 2 and "--self-contained" in done.output and "--report-dir" in done.output
