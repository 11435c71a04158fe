"""The application services called directly, as the web app calls them: load a strategy, backtest it on
either engine, read its report, save and reload the result, optimize, and the errors a careless caller gets."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mas.app import (
    exact_spec,
    load_result,
    load_strategy,
    load_text_strategy,
    result_document,
    run_backtest,
    run_optimization,
    save_result,
)
from mas.reports.metrics import compute_metrics
from mas.reports.saved_result import result_from_document

YEAR = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31"}
HALF = {**YEAR, "to": "2017-06-30"}


def backtest(name: str, engine: str, params: dict | None = None, settings: dict | None = None):
    """A built-in's strategy and its result on ``engine``, with the spec that trades exactly like it."""
    strategy = load_strategy(name, dict(params or {}))
    spec = exact_spec(strategy, name, dict(params or {}))
    return strategy, run_backtest(strategy, settings or YEAR, spec=spec, engine=engine)


def trades(result) -> list[dict]:
    return [t.as_dict() for t in result.trades]


@pytest.mark.parametrize(("name", "params"), [("ma", {}), ("rsi", {"period": 10}), ("bband", {})])
def test_every_engine_gives_the_same_trades_and_equity_for_a_builtin(name, params):
    runs = {engine: backtest(name, engine, params)[1] for engine in ("auto", "event", "fast")}
    assert runs["auto"].settings["engine"] == "fast"  # the fast path is exact for a built-in on this data
    assert runs["fast"].settings["engine"] == "fast"
    assert runs["event"].settings.get("engine") != "fast"
    assert len(runs["event"].trades) > 10
    for engine in ("auto", "fast"):
        assert trades(runs[engine]) == trades(runs["event"]), engine
        assert float(runs[engine].equity[-1]) == float(runs["event"].equity[-1]), engine
        np.testing.assert_array_equal(runs[engine].equity_times, runs["event"].equity_times)
        assert compute_metrics(runs[engine]) == compute_metrics(runs["event"]), engine


@pytest.mark.parametrize("engine", ["fast", "event"])
def test_the_strategys_data_report_shows_the_backtest_it_was_given(engine):
    strategy, result = backtest("ma", engine, settings=HALF)
    assert strategy.backtest_result is result
    report = strategy.generate_data_report()
    assert report["status"] is True, report
    data = report["data"]
    document = result_document(result)
    assert data["performance_metrics"].items() <= document["metrics"].items()
    assert data["general_data"]["number_of_trades"] == compute_metrics(result)["number_of_trades"]
    assert data["tester_metrics"]["bars"] == len(result.equity_times)
    assert data["annual_pnl_usd"]["annual_pnl_usd"]["2017"] == pytest.approx(float(result.equity[-1]))


def test_the_data_report_is_the_same_whichever_engine_ran():
    reports = [backtest("macd", engine, settings=HALF)[0].generate_data_report() for engine in ("fast", "event")]
    assert reports[0] == reports[1]


def test_a_strategy_file_runs_on_the_event_engine_and_refuses_the_fast_one(tmp_path):
    path = tmp_path / "buyer.py"
    path.write_text("from mas import MAS\n\n\nclass Buyer(MAS):\n    done = False\n\n"
                    "    def receive_bars(self, symbol, data, is_end):\n"
                    "        if not self.done and not is_end:\n"
                    "            self.done = self.send_order({'symbol': symbol, 'order_type': 'buy', 'volume': 0.1,\n"
                    "                                         'backtest_toggle': self.backtest_toggle}) is not None\n")
    strategy = load_strategy(str(path), {})
    assert exact_spec(strategy, str(path), {}) is None
    result = run_backtest(strategy, HALF, spec=None, engine="auto")
    assert result.settings.get("engine") != "fast"
    assert len(result.trades) == 1 and result.trades[0].is_open
    with pytest.raises(ValueError, match=r"engine fast: the fast path runs spec strategies.*\.py"):
        run_backtest(load_strategy(str(path), {}), HALF, spec=None, engine="fast")


def test_a_text_strategy_runs_on_the_fast_path_like_the_event_engine():
    text = "buy when RSI(14) < 30, sell when RSI > 70"
    results = []
    for engine in ("auto", "event"):
        strategy = load_text_strategy(text)
        results.append(run_backtest(strategy, YEAR, spec=exact_spec(strategy, None, {}), engine=engine))
    assert results[0].settings["engine"] == "fast"
    assert trades(results[0]) == trades(results[1]) and len(results[0].trades) > 0


def test_bad_engine_and_empty_range_are_errors_that_say_so():
    strategy = load_strategy("ma", {})
    with pytest.raises(ValueError, match="engine: 'turbo' is not an engine; use auto, event or fast"):
        run_backtest(strategy, YEAR, engine="turbo")
    with pytest.raises((ValueError, LookupError), match="2030"):
        run_backtest(load_strategy("ma", {}), {**YEAR, "from": "2030-01-01", "to": "2030-01-31"}, engine="event")


@pytest.mark.parametrize(("target", "close"), [("rsii", "rsi"), ("bbands", "bband"), ("MA", "ma"),
                                               ("mcad", "macd")])
def test_a_careless_target_name_suggests_the_nearest_builtin(target, close):
    with pytest.raises(ValueError) as caught:
        load_strategy(target, {})
    message = str(caught.value)
    assert message.startswith(f"TARGET: {target!r} is neither a built-in strategy (did you mean {close!r}?")
    assert "valid: ma, rsi, macd, kd, bband" in message


def test_a_missing_strategy_file_and_a_wrong_parameter_name_are_named():
    with pytest.raises(ValueError, match=r"TARGET: no such file 'mine\.py'"):
        load_strategy("mine.py", {})
    with pytest.raises(ValueError, match=r"--param fats: ma has no parameter 'fats'; did you mean 'fast'\?"):
        load_strategy("ma", {"fats": 5})
    with pytest.raises(ValueError, match="--param: parameters apply to built-ins and .py strategies"):
        load_strategy("buy when RSI(14) < 30, sell when RSI > 70", {"period": 3})


def test_a_file_with_two_strategies_is_refused_with_their_names(tmp_path):
    path = tmp_path / "two.py"
    path.write_text("from mas import MAS\n\n\nclass One(MAS):\n    pass\n\n\nclass Two(MAS):\n    pass\n")
    with pytest.raises(ValueError, match=r"must define exactly one MAS subclass \(found One, Two\)"):
        load_strategy(str(path), {})


def test_the_result_document_round_trips_through_the_saved_result(tmp_path):
    _, result = backtest("kd", "auto", settings=HALF)
    document = result_document(result)
    assert set(document) >= {"settings", "metrics", "trades", "equity"}
    assert len(document["equity"]) == len(result.equity_times)
    saved = json.loads(json.dumps(document, default=str))
    again, notes = result_from_document(saved)
    assert notes == []
    path = save_result(result, tmp_path / "deep" / "r.json")
    loaded, notes = load_result(path)
    assert notes == [] and json.loads(path.read_text(encoding="utf-8")) == saved
    for reread in (result_document(again), result_document(loaded)):
        for key in ("settings", "trades", "equity"):
            assert reread[key] == saved[key], key
        for key, value in saved["metrics"].items():  # recomputed from the equity saved to the cent
            assert reread["metrics"][key] == pytest.approx(value, rel=1e-6, abs=1e-9), key
    assert trades(loaded) == trades(again) and len(loaded.trades) == len(result.trades)


def test_a_corrupt_saved_result_is_a_value_error(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"settings": {"capital": 10000}, "metrics": {}, "trades": [], "equ', encoding="utf-8")
    with pytest.raises(ValueError):
        load_result(path)


def test_run_optimization_ranks_the_sets_like_single_backtests():
    result = run_optimization("ma", ["fast=5,10", "slow=30"], start=HALF["from"], end=HALF["to"],
                              metric="total_return_rate", engine="auto")
    assert result.counts()["ok"] == 2
    for trial in result.trials:
        strategy, single = backtest("ma", "event", trial.params, settings=HALF)
        assert trial.metrics["total_return_rate"] == pytest.approx(compute_metrics(single)["total_return_rate"])
