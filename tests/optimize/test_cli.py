"""``mas optimize``: JSON output, the report, walk-forward, and errors that name the problem."""

from __future__ import annotations

import json
import re

from plotly.offline import get_plotlyjs
from typer.testing import CliRunner

from mas.cli import app
from mas.reports.output import plotly_asset_name
from mas.reports.saved_result import METRIC_KEYS

runner = CliRunner()
RANGE = ["--symbol", "EURUSD", "--timeframe", "H1", "--from", "2017-01-01", "--to", "2017-03-31"]


def test_optimize_writes_json_and_a_report_with_the_shared_plotly_file(tmp_path):
    out, reports = tmp_path / "opt.json", tmp_path / "reports"
    result = runner.invoke(app, ["optimize", "ma", *RANGE, "--param", "fast=5:15:5", "--param", "slow=10:30:10",
                                 "--constraint", "fast < slow", "--metric", "total_return_rate", "--json", str(out),
                                 "--report-dir", str(reports), "--engine", "event",
                                 "--wf-in-sample", "4W", "--wf-out-of-sample", "3W"])
    assert result.exit_code == 0, result.output
    assert "best: {'fast'" in result.output and "7 run, 2 skipped, 0 failed" in result.output
    doc = json.loads(out.read_text())
    assert len(doc["results"]) == 9
    ok = [r for r in doc["results"] if "status" not in r]
    assert all(list(r["metrics"]) == list(METRIC_KEYS) for r in ok)
    assert doc["best"]["metrics"]["total_return_rate"] == max(r["metrics"]["total_return_rate"] for r in ok)
    assert doc["walk_forward"]["windows"] and doc["walk_forward"]["stitched_out_of_sample_equity"]
    (report,) = reports.glob("optimize_EURUSD_ma_*.html")
    html = report.read_text()
    # plotly.js once per report folder, beside the page (as the KPI page and the trade chart load it)
    assert [a.name for a in reports.glob("plotly-*.js")] == [plotly_asset_name()]
    assert (reports / plotly_asset_name()).read_text(encoding="utf-8") == get_plotlyjs()
    assert html.count(f'<script charset="utf-8" src="{plotly_asset_name()}"></script>') == 1
    assert "Plotly.newPlot" in html and len(html) < 500_000 < len(get_plotlyjs())
    assert "Ranked parameter sets" in html and "Walk-forward" in html and '"type":"heatmap"' in html
    assert "total_return_rate by fast and slow" in html


def test_bad_param_names_the_parameter_and_the_syntax():
    result = runner.invoke(app, ["optimize", "ma", *RANGE, "--param", "fast=5:x:5"])
    assert result.exit_code == 2
    text = re.sub(r"\s+", " ", result.output)
    assert "fast=5:x:5" in text and "stop 'x' of 'fast' is not a number" in text and "name=start:stop:step" in text


def test_missing_param_and_unknown_target_are_errors():
    assert "give at least one parameter" in runner.invoke(app, ["optimize", "ma", *RANGE]).output
    result = runner.invoke(app, ["optimize", "nosuch.py", *RANGE, "--param", "x=1"])
    assert result.exit_code == 2 and "no such file" in result.output


def test_python_file_targets_are_swept(tmp_path):
    strategy = tmp_path / "mine.py"
    strategy.write_text(
        "from mas.strategy.builtins import MACrossStrategy\n\n\n"
        "class Mine(MACrossStrategy):\n"
        "    def __init__(self, fast=5, slow=20):\n"
        "        super().__init__(fast=fast, slow=slow)\n")
    out = tmp_path / "opt.json"
    result = runner.invoke(app, ["optimize", str(strategy), *RANGE, "--param", "fast=5,10", "--param", "slow=20",
                                 "--workers", "2", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert [r["params"] for r in json.loads(out.read_text())["results"]] == [{"fast": 5, "slow": 20},
                                                                            {"fast": 10, "slow": 20}]
