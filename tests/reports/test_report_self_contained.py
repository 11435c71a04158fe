"""``--self-contained`` on ``mas optimize`` and ``mas report`` (plotly.js inside each page, no shared asset),
and the deposit load panel of the KPI page (issue 17), run like a user: through the ``mas`` command."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from plotly.offline.offline import get_plotlyjs
from typer.testing import CliRunner

from mas.cli.main import app
from mas.reports.kpi import render_kpi_html
from mas.reports.output import plotly_asset_name

from .helpers import make_result

runner = CliRunner()
OPTIMIZE = ["optimize", "ma", "--param", "fast=5,10", "--param", "slow=20", "--from", "2017-01-01", "--to",
            "2017-02-28", "--engine", "event"]


def _inline(html: str) -> bool:
    return get_plotlyjs()[:200] in html and not re.search(r"<script[^>]*\bsrc\s*=", html)


def test_optimize_self_contained_writes_one_page_with_plotly_inside(tmp_path):
    inside, shared = tmp_path / "inside", tmp_path / "shared"
    done = runner.invoke(app, [*OPTIMIZE, "--report-dir", str(inside), "--self-contained"])
    assert done.exit_code == 0, done.output
    pages = list(inside.glob("*.html"))
    assert len(pages) == 1 and not list(inside.glob("plotly-*.js"))
    assert _inline(pages[0].read_text(encoding="utf-8"))
    done = runner.invoke(app, [*OPTIMIZE, "--report-dir", str(shared)])
    assert done.exit_code == 0, done.output
    page = next(shared.glob("*.html")).read_text(encoding="utf-8")
    assert [a.name for a in shared.glob("plotly-*.js")] == [plotly_asset_name()]
    assert page.count(f'src="{plotly_asset_name()}"') == 1 and get_plotlyjs()[:200] not in page
    # the same report otherwise: the ranked rows are equal
    rows = [re.findall(r"<tr>.*?</tr>", p.split("<h2>", 3)[-1]) for p in (pages[0].read_text(encoding="utf-8"), page)]
    assert rows[0] == rows[1] and rows[0]


def test_optimize_self_contained_needs_a_report_dir(tmp_path):
    done = runner.invoke(app, [*OPTIMIZE, "--self-contained"])
    assert done.exit_code != 0
    assert "--self-contained applies to the HTML report: give --report-dir too" in done.output


def test_report_self_contained_from_a_saved_backtest(tmp_path):
    saved = tmp_path / "run.json"
    done = runner.invoke(app, ["backtest", "ma", "--from", "2017-01-01", "--to", "2017-03-31", "--json", str(saved)])
    assert done.exit_code == 0, done.output
    assert json.loads(saved.read_text(encoding="utf-8"))["tester_metrics"]["max_deposit_load"] > 0
    out = tmp_path / "pages"
    done = runner.invoke(app, ["report", str(saved), "--report-dir", str(out), "--self-contained"])
    assert done.exit_code == 0, done.output
    pages = sorted(out.glob("*.html"))
    assert len(pages) == 2 and not list(out.glob("plotly-*.js"))
    for page in pages:
        assert _inline(page.read_text(encoding="utf-8"))
    kpi = next(p for p in pages if "kpi" in p.name.lower()).read_text(encoding="utf-8")
    assert "Deposit load %" in kpi  # the saved margin comes back: the load panel is drawn


@pytest.mark.parametrize("margin", [None, [0.0, 0.0, 0.0]])
def test_no_deposit_load_panel_without_margin(margin):
    result = make_result(np.array([1_500_000_000, 1_500_003_600, 1_500_007_200]), [100.0, 101.0, 99.0],
                         initial=100.0)
    result.margin = None if margin is None else np.array(margin)
    html = render_kpi_html(result, "none")
    assert "Deposit load %" not in html and "Balance, equity and drawdown" in html
