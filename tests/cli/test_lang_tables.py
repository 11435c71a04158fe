"""The tables and summaries ``mas`` prints, under ``--lang zh-tw`` / ``MAS_LANG=zh-cn``: titles, headings and row
labels in Chinese (numbers, symbols, timeframes and parameter names as they are); in English unchanged. On the
bundled EURUSD sample, no network."""

from __future__ import annotations

import os
import subprocess
import sys

from typer.testing import CliRunner

from cli.test_lang import english_left
from mas.cli import app
from mas.i18n import message

runner = CliRunner()


def run(*args: str, lang: str | None = "zh-tw", env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, [*(["--lang", lang] if lang else []), *args], prog_name="mas",
                           env={"COLUMNS": "200", **(env or {})})
    return result.exit_code, result.output


HEADLINE_EN = ["bars replayed", "final equity", "net profit", "total return", "profit factor", "expected payoff",
               "recovery factor", "win rate", "closed trades (long / short won %)", "largest loss trade",
               "equity drawdown maximal", "Sharpe / Sortino", "max consecutive losses", "min margin level",
               "replay seconds", "engine"]
HEADLINE_TW = ["重播K線數", "最終淨值", "淨利", "總報酬率", "獲利因子", "期望收益", "恢復因子", "勝率",
               "已平倉交易（多單 / 空單勝率 %）", "最大虧損交易", "淨值最大回撤", "夏普 / 索提諾", "最多連續虧損",
               "最低保證金水平", "重播秒數", "引擎"]


def test_backtest_summary_in_chinese_and_unchanged_in_english():
    code, text = run("backtest", "ma", "--timeframe", "D1")
    assert code == 0, text
    assert "MACrossStrategy：EURUSD D1" in text and "指標" in text and "數值" in text
    assert all(label in text for label in HEADLINE_TW), text
    assert "淨值 2017-01-01 → 2017-12-29：10,000.00 → " in text and "最低 " in text and "，最高 " in text
    assert not any(label in text for label in HEADLINE_EN[:-1]), text
    assert english_left(text, ["MACrossStrategy"]) == [], text
    code, text = run("backtest", "ma", "--timeframe", "D1", "--engine", "event", lang=None, env={"MAS_LANG": "zh-cn"})
    assert code == 0 and "事件引擎（" in text and "重播K线数" in text and "夏普 / 索提诺" in text, text
    code, text = run("backtest", "ma", "--timeframe", "D1", lang=None)
    assert code == 0
    assert "MACrossStrategy on EURUSD D1" in text and "metric" in text and "value" in text
    assert all(label in text for label in HEADLINE_EN) and "vectorized fast path" in text
    assert "Equity 2017-01-01 → 2017-12-29: 10,000.00 → " in text and "low " in text and ", high " in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_optimizer_ranking_and_walk_forward_tables(tmp_path):
    args = ("optimize", "ma", "--param", "fast=5:10:5", "--wf-in-sample", "6M", "--wf-out-of-sample", "3M")
    code, text = run(*args)
    assert code == 0, text
    assert "依 sharpe_ratio 排名前 2 組，共 2 組（最大化）" in text
    assert all(h in text for h in ("夏普", "報酬率 %", "最大回撤 %", "勝率 %", "交易數")) and "fast" in text
    assert "前推分析（滾動，樣本內6M，樣本外3M；sharpe_ratio的樣本內與樣本外值）" in "".join(text.split())
    assert all(h in text for h in ("樣本外日期", "最佳參數", "樣本內", "衰退")) and "fast=5" in text
    assert "最佳化中" in text
    assert english_left(text, []) == [], text
    code, text = run(*args, "--anchored", "--minimize", lang="zh-cn")
    assert code == 0 and "按 sharpe_ratio 排名前 2 组，共 2 组（最小化）" in text and "前推分析（锚定，" in text, text
    assert english_left(text, []) == [], text
    code, text = run(*args, lang=None)
    assert code == 0
    assert "best 2 of 2 by sharpe_ratio (max)" in text and "return %" in text and "max DD %" in text
    flat = " ".join(text.split())  # the title wraps over the table's width
    assert "walk-forward (rolling, in-sample 6M, out-of-sample 3M; sharpe_ratio in and out of sample)" in flat
    assert "out-of-sample dates" in text and "best params" in text and "degr." in text and "optimizing" in text


def test_group_backtest_table(tmp_path):
    assert run("broker", "add", "paper", "--terminal", "sim", "--server", "MAS-Sim", "--login", "7")[0] == 0
    assert run("broker", "group", "add", "desk", "--members", "paper")[0] == 0
    code, text = run("broker", "group", "backtest", "desk", "ma", "--timeframe", "D1", lang="zh-cn")
    assert code == 0, text
    assert "ma：账户组 desk（EURUSD D1，分配方式 equity，合计以 USD 计）" in text
    assert all(h in text for h in ("账户", "币种", "入金", "杠杆", "最终净值", "强制平仓", "最低保证金水平 %"))
    assert "合计" in text and "│ total" not in text and "paper" in text
    assert english_left(text, []) == [], text
    code, text = run("broker", "group", "backtest", "desk", "ma", "--timeframe", "D1", lang=None)
    assert code == 0
    assert "ma on group desk (EURUSD D1, allocation equity, totals in USD)" in text
    assert "min margin level %" in text and "stop-outs" in text and "│ total " in text


def test_the_group_table_headings_are_the_catalogs():
    """The group table's English headings (mas.groups, also in its HTML summary) are the catalog's English."""
    from mas.groups.backtest_report import COLUMNS

    assert "|".join(heading for _, heading in COLUMNS) == message("en", "grp_columns")


def test_symbols_list_and_show():
    code, text = run("symbols", "list", "--group", "EUR*")
    assert code == 0, text
    assert all(h in text for h in ("商品", "基礎貨幣", "獲利貨幣", "小數位數", "合約大小", "保證金公式", "來源"))
    assert "內建" in text and "built-in" not in text and "Symbol" not in text
    assert run("symbols", "add", "EURUSD", "--like", "EURUSD", "--spread", "7")[0] == 0
    code, text = run("symbols", "list", "--group", "EURUSD", lang="zh-cn")
    assert "用户（替换内置）" in text, text
    assert run("symbols", "show", "EURUSD")[1].startswith("EURUSD (使用者（取代內建）)\n")
    assert run("symbols", "show", "GBPUSD", lang=None)[1].startswith("GBPUSD (built-in)\n")
    code, text = run("symbols", "list", "--group", "EURUSD", lang=None)
    assert "Symbol" in text and "Contract" in text and "user over built-in" in text


def test_copy_status_lines(tmp_path):
    from mas.live.copier_state import new_state, save_state

    state = new_state("desk", {"profile": "boss", "account": 1001, "server": "MAS-Sim"})
    state["settings"] = {"sizing": "multiplier"}
    state["followers"]["alice"] = {
        "account": 2002, "server": "MAS-Sim", "cursor": 17, "actions": {}, "history": [],
        "mirrors": {"5": {"master_symbol": "EURUSD", "master_side": "buy", "master_volume": 0.5, "state": "open",
                          "side": "buy", "symbol": "EURUSD.m", "tickets": {"91": 1.0}, "note": ""}}}
    save_state("desk", state)
    code, text = run("copy", "status", "desk")
    assert code == 0, text
    assert text.splitlines() == [
        "跟單 desk：已停止；主帳戶 boss（MAS-Sim 上的帳號 1001）；手數計算 multiplier",
        "  alice（MAS-Sim 上的帳號 2002）：已處理至主帳戶成交 #17，1 筆未平倉複製，0 筆待處理",
        "    主帳戶 #5 EURUSD buy 0.5 -> open buy EURUSD.m #91 1"]
    assert run("copy", "status", "desk", lang=None)[1].splitlines() == [
        "copier desk: stopped; master boss (account 1001 on MAS-Sim); sizing multiplier",
        "  alice (account 2002 on MAS-Sim): up to master deal #17, 1 open copy, 0 pending",
        "    master #5 EURUSD buy 0.5 -> open buy EURUSD.m #91 1"]


def test_a_user_runs_the_demo_in_chinese(tmp_path):
    """``MAS_LANG=zh-tw mas demo`` in its own process: the intro, the equity lines and the summary table."""
    env = {**os.environ, "MAS_LANG": "zh-tw", "COLUMNS": "100", "MAS_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-m", "mas.cli", "demo", "--report-dir", str(tmp_path / "r")], env=env,
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "MAS 示範：" in out.stdout and "淨值 2017-01-01 → " in out.stdout and "最終淨值" in out.stdout
    assert "報告：" in out.stdout
    assert english_left(out.stdout, []) == [], out.stdout


def test_group_status_and_dry_run_tables():
    """``mas broker group status`` / ``allocate`` print these lines (their live reads are tested in tests/groups):
    the headings in Chinese and the columns still aligned on a Chinese name; English: the report's own lines."""
    from mas.cli.group_status import dry_run_lines, status_lines
    from mas.groups.accounts import DryRun, split_for
    from mas.groups.allocation import AccountSnapshot
    from mas.groups.report import AccountReport, Exposure, GroupReport
    from mas.groups.store import AccountGroup

    exposure = Exposure("EURUSD", 1.0, 0.5, 0.5, 52000.0)
    accounts = (AccountReport("alice", 1001, "MAS-Sim", "USD", 10000, 9990.5, 200, 9790.5, -9.5, 2, 1, -3.25,
                              "2017-01-02", (exposure,)),
                AccountReport("鮑伯", 2001, "MAS-Sim", "USD", 5000, 5000, 0, 5000, 0, 0, 0, 0, "2017-01-02"))
    totals = {"balance": 15000, "equity": 14990.5, "margin": 200, "margin_free": 14790.5, "profit": -9.5,
              "realised_today": -3.25, "positions": 2, "pending_orders": 1, "currency": "USD", "accounts": 2}
    report = GroupReport("desk", accounts, totals, (exposure,), {"carol": "timed out"})
    assert status_lines(report, "en") == report.lines()
    lines = status_lines(report, "zh-tw")
    assert lines[0] == "帳戶群組 desk" and lines[1].split() == ["帳戶", "帳號", "餘額", "淨值", "保證金", "可用保證金",
                                                          "浮動損益", "已實現", "部位", "掛單", "日期"]
    from rich.cells import cell_len

    ends = {cell_len(line[:line.index("2017-01-02")]) for line in lines[2:4]}
    assert len(ends) == 1  # alice's and 鮑伯's rows end their numbers in the same column
    assert lines[4].startswith("合計 ") and "15000.00" in lines[4]
    assert "曝險（手數；價值以帳戶幣別計）：" in lines and "  EURUSD       多 1  空 0.5  淨 0.5  價值 52000.00" in lines
    assert lines[-1] == "carol：無法讀取（timed out）"
    assert english_left("\n".join(lines), ["timed out"]) == []
    snapshots = (AccountSnapshot("alice", 10000, 10000, 9000), AccountSnapshot("bob", 30000, 30000, 29000))
    group = AccountGroup("desk", ("alice", "bob"), "equity")
    run = DryRun(group, "EURUSD", split_for(group, list(snapshots), 1.0), snapshots)
    assert dry_run_lines(run, "en") == run.lines()
    lines = dry_run_lines(run, "zh-cn")
    assert lines[0] == "账户组 desk：EURUSD 1 手，分配方式 equity（最小手数规则 raise）；不发送任何订单"
    assert lines[3].split() == ["账户", "目标", "手数", "备注"] and lines[-1].startswith("合计 ")


def test_skipped_parameter_sets_say_why_in_chinese():
    code, text = run("optimize", "ma", "--timeframe", "D1", "--param", "fast=5:20:5", "--param", "slow=10,20",
                     "--constraint", "fast < slow")
    assert code == 0, text
    assert "  略過: fast=10 slow=10: 限制條件 'fast < slow' 不成立" in text and "does not hold" not in text
    code, text = run("optimize", "ma", "--timeframe", "D1", "--param", "fast=5:20:5", "--param", "slow=10,20",
                     "--constraint", "fast < slow", lang=None)
    assert "  skipped: fast=10 slow=10: constraint 'fast < slow' does not hold" in text
