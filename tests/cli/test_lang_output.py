"""``mas --lang zh-tw``: the success lines, notes and summaries (not only the errors) in Chinese, their values
(symbols, paths, numbers) as given; without ``--lang`` the English lines are unchanged."""

from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from mas.cli import app

runner = CliRunner()


def run(*args: str, lang: str | None = "zh-tw") -> tuple[int, str]:
    """``mas [--lang LANG] ARGS``: the exit code and everything printed (stdout and stderr)."""
    result = runner.invoke(app, [*(["--lang", lang] if lang else []), *args], env={"COLUMNS": "200"})
    errors = result.stderr if result.stderr_bytes is not None else ""
    return result.exit_code, result.output if errors in result.output else result.output + errors


def home_file(name: str) -> str:
    return os.path.join(os.environ["MAS_HOME"], name)


def test_symbols_add_remove_and_suffix_in_chinese():
    code, text = run("symbols", "add", "EURX", "--like", "EURUSD", "--digits", "3")
    assert code == 0, text
    assert "商品 EURX 已儲存於 " in text and "symbols" in text and "saved in" not in text
    code, text = run("symbols", "add", "EURUSD", "--like", "EURUSD", "--spread", "7")
    assert code == 0, text
    assert "注意：EURUSD 是內建商品" in text and "'mas symbols remove EURUSD' 可還原" in text
    assert "built-in symbol" not in text
    code, text = run("symbols", "remove", "EURUSD")
    assert code == 0, text
    assert "商品 EURUSD 已從 " in text and "（恢復使用內建規格）" in text
    code, text = run("symbols", "remove", "EURX")
    assert code == 0, text
    assert "商品 EURX 已從 " in text and "移除" in text and "恢復" not in text
    code, text = run("symbols", "suffix", ".m")
    assert code == 0, text
    assert "* 的字尾 = '.m'（" in text
    code, text = run("symbols", "list", "--group", "EURUSD")
    assert code == 0, text
    assert "券商字尾：* -> .m" in text and "商品（您的設定在 " in text
    code, text = run("symbols", "show", "GBPUSD.m")
    assert code == 0, text
    assert "GBPUSD.M (加上券商字尾的 GBPUSD 規格)" in text and "point = 1e-05" in text
    code, text = run("symbols", "suffix", "--remove")
    assert code == 0, text
    assert "* 的字尾已於 " in text and "中移除" in text
    code, text = run("symbols", "list", "--group", "NOPE*")
    assert code == 0 and "沒有符合 'NOPE*' 的商品" in text


def test_broker_profiles_and_groups_in_chinese():
    code, text = run("broker", "list")
    assert code == 0 and f"{home_file('brokers.toml')} 中沒有券商設定檔" in text, text
    code, text = run("broker", "add", "paper", "--terminal", "sim", "--server", "MAS-Sim", "--login", "7")
    assert code == 0, text
    assert "設定檔 paper 已儲存於 " in text and "密碼：請設定 MAS_PASSWORD_PAPER、傳入 login()" in text
    code, text = run("broker", "group", "list")
    assert code == 0 and "中沒有帳戶群組" in text, text
    code, text = run("broker", "group", "add", "desk", "--members", "paper")
    assert code == 0 and "帳戶群組 desk 已儲存於 " in text, text
    code, text = run("broker", "group", "remove", "desk")
    assert code == 0 and "帳戶群組 desk 已移除" in text, text
    code, text = run("broker", "group", "remove", "desk")
    assert code == 1 and "mas broker group remove: 沒有帳戶群組 'desk'" in text, text
    code, text = run("broker", "remove", "paper")
    assert code == 0 and "設定檔 paper 已移除" in text, text
    code, text = run("broker", "remove", "paper")
    assert code == 1 and "mas broker remove: 沒有設定檔 'paper'" in text, text


def test_copy_status_without_a_copier_in_chinese():
    code, text = run("copy", "status")
    assert code == 0 and "尚未執行過任何跟單（mas copy start --master PROFILE --followers A,B）" in text, text
    code, text = run("copy", "status", "nosuch")
    assert code == 1 and "沒有名為 'nosuch' 的跟單（已知：無）" in text, text


def test_backtest_json_and_report_in_chinese(tmp_path):
    saved = tmp_path / "r.json"
    code, text = run("backtest", "ma", "--timeframe", "D1", "--json", str(saved))
    assert code == 0, text
    assert "結果已寫入 " in text and "r.json" in text and "result written" not in text
    assert json.loads(saved.read_text())["trades"] is not None
    code, text = run("report", str(saved), "--report-dir", str(tmp_path / "reports"))
    assert code == 0, text
    assert text.count("報告：") >= 1 and "reports" in text and "report:" not in text


def test_optimize_summary_in_chinese(tmp_path):
    out = tmp_path / "opt.json"
    code, text = run("optimize", "ma", "--timeframe", "D1", "--param", "fast=5:10:5", "--json", str(out))
    assert code == 0, text
    assert "2 組已執行，0 組略過，0 組失敗" in text
    assert "最佳：{'fast': " in text and "結果已寫入 " in text and "results written" not in text


def test_the_english_lines_are_unchanged(tmp_path):
    code, text = run("broker", "add", "paper", "--terminal", "sim", "--server", "MAS-Sim", "--login", "7",
                     lang=None)
    assert code == 0
    assert text == (f"profile paper saved in {home_file('brokers.toml')}\n"
                    "password: set MAS_PASSWORD_PAPER, pass it to login(), or re-run with --keyring\n")
    assert run("broker", "remove", "paper", lang=None)[1] == "profile paper removed\n"
    assert run("broker", "remove", "paper", lang=None)[1] == "mas broker remove: no profile 'paper'\n"
    assert run("copy", "status", lang=None)[1] == \
        "no copier has run yet (mas copy start --master PROFILE --followers A,B)\n"
    code, text = run("symbols", "add", "EURUSD", "--like", "EURUSD", lang=None)
    assert code == 0
    assert "symbol EURUSD saved in " in text
    assert ("note: EURUSD is a built-in symbol; these fields now replace the built-in's in every backtest "
            "('mas symbols remove EURUSD' restores it)\n") in text
    assert run("symbols", "remove", "EURUSD", lang=None)[1].endswith(" (the built-in spec applies again)\n")
    assert run("symbols", "suffix", ".m", lang=None)[1].startswith("suffix of * = '.m' in ")
    saved = tmp_path / "r.json"
    code, text = run("backtest", "ma", "--timeframe", "D1", "--json", str(saved), lang=None)
    assert code == 0 and "result written to " in text and "結果" not in text
    code, text = run("optimize", "ma", "--timeframe", "D1", "--param", "fast=5:10:5", lang=None)
    assert code == 0 and "2 run, 0 skipped, 0 failed\n" in text and "best: {'fast': " in text


def test_zh_cn_through_the_environment():
    result = runner.invoke(app, ["broker", "list"], env={"MAS_LANG": "zh-cn"})
    assert result.exit_code == 0 and "中没有券商配置" in result.output
