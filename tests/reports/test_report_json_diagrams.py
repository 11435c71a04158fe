"""The tester diagrams' data in ``mas backtest --json`` (the ``diagrams`` key) equal what the KPI page draws."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mas.cli.main import app
from mas.reports.diagrams import BUCKETS, diagram_data
from mas.reports.saved_result import DOCUMENT_KEYS, METRIC_KEYS

from .helpers import drawn_figures, plotly_figures

runner = CliRunner()
UNITS = ("hour", "weekday", "month")


def values(v) -> list:
    """A plotly array as a list (binary ``{"dtype", "bdata"}`` or a plain list)."""
    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    """The MA cross on the event engine (it records the margin), saved with --json beside its reports."""
    out = tmp_path_factory.mktemp("json_diagrams")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAS_HOME", str(tmp_path_factory.mktemp("home")))
        done = runner.invoke(app, ["backtest", "ma", "--engine", "event", "--json", str(out / "run.json"),
                                   "--report-dir", str(out)])
    assert done.exit_code == 0, done.output
    document = json.loads((out / "run.json").read_text(encoding="utf-8"))
    html = next(out.glob("kpi_*.html")).read_text(encoding="utf-8")
    return {"document": document, "figures": plotly_figures(html), "drawn": drawn_figures(html)["figures"]}


def figure(figures: list[dict], title: str) -> dict:
    return next(f for f in figures if any(a.get("text") == title for a in f["layout"].get("annotations", [])))


def test_the_documented_keys_are_unchanged_and_the_diagrams_are_added(run):
    document = run["document"]
    assert set(DOCUMENT_KEYS) <= set(document) and set(document["metrics"]) == set(METRIC_KEYS)
    diagrams = document["diagrams"]
    assert set(diagrams) == {"labels", "entries", "profit_loss", "excursions", "deposit_load"}
    assert diagrams["labels"] == BUCKETS
    assert len(document["balance"]) == len(document["equity"]) == len(diagrams["deposit_load"])


def test_entries_and_profit_loss_equal_the_pages_bars(run):
    diagrams = run["document"]["diagrams"]
    entries = figure(run["figures"], "Entries by hour (UTC)")["data"]
    pl = figure(run["figures"], "Profit and loss by hour (UTC)")["data"]
    for i, unit in enumerate(UNITS):
        assert values(entries[2 * i]["x"]) == diagrams["labels"][unit]
        assert values(entries[2 * i]["y"]) == diagrams["entries"][unit]["buy"]
        assert values(entries[2 * i + 1]["y"]) == diagrams["entries"][unit]["sell"]
        assert values(pl[2 * i]["y"]) == diagrams["profit_loss"][unit]["profit"]
        assert values(pl[2 * i + 1]["y"]) == diagrams["profit_loss"][unit]["loss"]
    trades = run["document"]["trades"]
    assert sum(diagrams["entries"]["month"]["buy"]) + sum(diagrams["entries"]["month"]["sell"]) == len(
        {(t["symbol"], t["position_id"]) for t in trades})
    net = [t["profit"] + t["commission"] + t["swap"] for t in trades if not t["is_open"]]
    assert sum(diagrams["profit_loss"]["hour"]["profit"]) == pytest.approx(sum(p for p in net if p > 0), abs=0.2)


def test_excursions_equal_the_pages_points(run):
    excursions = run["document"]["diagrams"]["excursions"]
    data = figure(run["drawn"], "MFE against profit")["data"]  # drawn on load from the page's packed columns
    assert len(excursions) == sum(1 for t in run["document"]["trades"] if not t["is_open"]) > 100
    assert values(data[0]["x"]) == [e["mfe"] for e in excursions]
    assert values(data[1]["x"]) == [e["mae"] for e in excursions]
    assert values(data[2]["x"]) == [round(e["holding_seconds"] / 3600.0, 2) for e in excursions]
    for trace in data:
        assert values(trace["y"]) == [e["profit"] for e in excursions]
    assert all(e["mfe"] >= 0 and e["mae"] >= 0 for e in excursions)


def test_balance_equity_and_deposit_load_equal_the_pages_curves(run):
    document = run["document"]
    first = run["drawn"][0]["data"]  # the curves as the page's script draws them from its packed columns
    names = [t["name"] for t in first]
    assert names == ["Balance (USD)", "Equity (USD)", "Drawdown %", "Deposit load %"]
    assert values(first[0]["y"]) == document["balance"]  # cents, as the document saves them
    assert values(first[1]["y"]) == [e for _, e in document["equity"]]
    drawn = np.array([np.nan if v is None else v for v in first[3]["y"]], dtype=np.float64)
    saved = np.array([np.nan if v is None else v for v in document["diagrams"]["deposit_load"]])
    np.testing.assert_allclose(drawn, saved, rtol=0, atol=5e-7)  # carried in millionths of a %
    assert saved.max() == pytest.approx(document["tester_metrics"]["max_deposit_load"], rel=1e-12)


def test_mas_report_recomputes_the_same_diagrams(run, tmp_path):
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps(run["document"]), encoding="utf-8")
    from mas.reports.saved_result import load_saved_result

    result, _ = load_saved_result(saved)
    again = diagram_data(result)
    assert again["entries"] == run["document"]["diagrams"]["entries"]
    assert again["profit_loss"] == run["document"]["diagrams"]["profit_loss"]
    # equity is saved in cents, so the MFE/MAE (from the bars) agree; the deposit load to the cent's effect
    assert [e["mfe"] for e in again["excursions"]] == [e["mfe"] for e in run["document"]["diagrams"]["excursions"]]
    np.testing.assert_allclose(again["deposit_load"], run["document"]["diagrams"]["deposit_load"], rtol=1e-6)
    np.testing.assert_allclose(result.balance, run["document"]["balance"])


def test_an_old_document_without_balance_reads_back_with_the_equity(run, tmp_path):
    document = {k: v for k, v in run["document"].items() if k not in ("balance", "diagrams")}
    path = Path(tmp_path) / "old.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    from mas.reports.saved_result import load_saved_result

    result, _ = load_saved_result(path, with_bars=False)
    np.testing.assert_array_equal(result.balance, result.equity)
    document["balance"] = document["balance"] if "balance" in document else [1.0]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="'balance' must be a list of one number per equity point"):
        load_saved_result(path, with_bars=False)
