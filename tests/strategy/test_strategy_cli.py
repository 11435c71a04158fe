"""``mas strategy ...`` and ``mas backtest`` with a spec file or a text."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mas.cli import app
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.spec import load_spec

from .test_llm import SPEC, FakeEndpoint, endpoint  # noqa: F401 - the fixture

runner = CliRunner()
EXAMPLE = "buy when RSI(14) < 30 and MACD crosses above its signal, sell when RSI > 70, stop loss 30 pips"
SAMPLE = ["--symbol", "EURUSD", "--timeframe", "H1", "--from", "2017-01-01", "--to", "2017-12-31"]


def test_parse_writes_the_spec_and_explains_it(tmp_path):
    out = tmp_path / "spec.json"
    result = runner.invoke(app, ["strategy", "parse", EXAMPLE, "-o", str(out)])
    assert result.exit_code == 0 and "Stop loss: 30 pips." in result.stdout
    assert load_spec(out).risk.stop_loss.value == 30
    explained = runner.invoke(app, ["strategy", "explain", str(out), "--lang", "zh-cn"])
    assert explained.exit_code == 0 and "止损" in explained.stdout


def test_parse_prints_json_in_the_texts_language():
    result = runner.invoke(app, ["strategy", "parse", "RSI超賣時買進，超買時賣出"])
    assert result.exit_code == 0 and '"entry_long"' in result.stdout and "買進做多" in result.stdout


@pytest.mark.parametrize(("text", "quoted"), [("buy when RSI < 30 and the moon is full", "moon"),
                                               ("sell when RSI > 70", "sell")])
def test_unreadable_or_ambiguous_text_exits_with_2(text, quoted):
    result = runner.invoke(app, ["strategy", "parse", text])
    assert result.exit_code == 2 and f'"{quoted}"' in result.stdout


def test_schema_and_export(tmp_path):
    schema = runner.invoke(app, ["strategy", "schema"])
    assert schema.exit_code == 0 and "entry_long" in json.loads(schema.stdout)["properties"]
    program = tmp_path / "strategy.py"
    result = runner.invoke(app, ["strategy", "export", EXAMPLE, "-o", str(program), "--live"])
    assert result.exit_code == 0 and "BACKTEST = False" in program.read_text()


def test_backtest_takes_a_spec_file_or_a_text(tmp_path):
    spec_file = tmp_path / "rsi.json"
    spec_file.write_text(builtin_spec("rsi").to_json())
    out = tmp_path / "result.json"
    by_file = runner.invoke(app, ["backtest", str(spec_file), *SAMPLE, "--json", str(out)])
    assert by_file.exit_code == 0, by_file.stdout
    trades = json.loads(out.read_text())["trades"]
    by_text = runner.invoke(app, ["backtest", "buy when RSI(14) < 30, sell when RSI(14) > 70", *SAMPLE,
                                  "--json", str(out)])
    assert by_text.exit_code == 0 and json.loads(out.read_text())["trades"] == trades
    refused = runner.invoke(app, ["backtest", "buy when the moon is full", *SAMPLE])
    assert refused.exit_code == 2 and '"moon"' in refused.stdout


def test_llm_is_used_only_when_asked(endpoint, monkeypatch):  # noqa: F811 - the fixture
    monkeypatch.setenv("MAS_LLM_BASE_URL", endpoint.base_url)
    monkeypatch.setenv("MAS_LLM_MODEL", endpoint.model)
    FakeEndpoint.answers.append((200, json.dumps(SPEC)))
    refused = runner.invoke(app, ["strategy", "parse", "buy on a hunch"])
    assert refused.exit_code == 2 and not FakeEndpoint.requests
    asked = runner.invoke(app, ["strategy", "parse", "buy on a hunch", "--llm-fallback"])
    assert asked.exit_code == 0 and len(FakeEndpoint.requests) == 1 and "RSI(14)" in asked.stdout


def test_backtest_with_llm_runs_the_spec_the_llm_proposed(endpoint, monkeypatch, tmp_path):  # noqa: F811
    """`mas backtest --text ... --llm`: the fake server's spec is explained and backtested, trading like the same spec
    from a file; without MAS_LLM_BASE_URL the error names it; --llm without --text is refused."""
    monkeypatch.delenv("MAS_LLM_BASE_URL", raising=False)
    unset = runner.invoke(app, ["backtest", "--text", "buy on a hunch", "--llm", *SAMPLE])
    assert unset.exit_code == 2 and "MAS_LLM_BASE_URL" in unset.stdout and not FakeEndpoint.requests
    no_text = runner.invoke(app, ["backtest", "rsi", "--llm", *SAMPLE])
    assert no_text.exit_code == 2 and "--text" in no_text.stdout

    monkeypatch.setenv("MAS_LLM_BASE_URL", endpoint.base_url)
    monkeypatch.setenv("MAS_LLM_MODEL", endpoint.model)
    FakeEndpoint.answers.append((200, json.dumps(SPEC)))
    out, expected = tmp_path / "llm.json", tmp_path / "file.json"
    asked = runner.invoke(app, ["backtest", "--text", "buy on a hunch", "--llm", *SAMPLE, "--json", str(out)])
    assert asked.exit_code == 0, asked.stdout
    assert len(FakeEndpoint.requests) == 1 and "RSI(14)" in asked.stdout
    spec_file = tmp_path / "rsi.json"
    spec_file.write_text(json.dumps(SPEC))
    assert runner.invoke(app, ["backtest", str(spec_file), *SAMPLE, "--json", str(expected)]).exit_code == 0
    trades = json.loads(out.read_text())["trades"]
    assert trades and trades == json.loads(expected.read_text())["trades"]
