"""Issue 20 item 7 for data, reports, the optimizer and plots: a user's mistake in ``mas symbols``, ``mas optimize``,
``mas report``, ``mas data remove``, a damaged symbols file or saved result, and a strategy's bad ``self.plot`` call
are answered in the user's language, with the user's own value as typed; ``str(error)`` stays English."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli.test_lang import english_left
from mas import MAS
from mas.cli import app
from mas.data.bi5 import CANDLE_RECORD, Bi5Error, decode_records
from mas.i18n import localize
from mas.optimize.constraints import ConstraintError, parse_constraint
from mas.optimize.space import ParamSpace, ParamSpecError, parse_param_spec
from mas.reports.saved_result import SavedResultError, load_saved_result

runner = CliRunner()
US30 = ["symbols", "add", "US30", "--base", "USD", "--profit", "USD", "--digits", "1", "--contract-size", "1"]


def run(lang: str, *args: str) -> tuple[int, str]:
    """``mas --lang LANG ARGS`` in this process: the exit code and everything printed."""
    result = runner.invoke(app, ["--lang", lang, *args])
    assert "Traceback" not in result.output and not isinstance(result.exception, (KeyError, TypeError)), \
        result.output
    return result.exit_code, result.output


# (command line, what the zh-tw answer says, what the zh-cn answer says, the user's value it must quote)
MISTAKES = [
    ([*US30[:-1], "-5"], "商品 US30：contract_size = -5.0 超出範圍；允許的值：大於 0 的數字（每手單位數",
     "品种 US30：contract_size = -5.0 超出范围；允许的值：大于 0 的数字（每手单位数", "-5.0"),
    ([*US30, "--set", "volume_max=lots"], "商品 US30：volume_max = 'lots' 不是數字；允許的值：大於 0 的數字（手數）",
     "品种 US30：volume_max = 'lots' 不是数字；允许的值：大于 0 的数字（手数）", "'lots'"),
    ([*US30, "--set", "volum_max=5"], "--set volum_max=5：未知的欄位 'volum_max'；可用的欄位：description",
     "--set volum_max=5：未知的字段 'volum_max'；可用的字段：description", "volum_max=5"),
    ([*US30, "--calc-mode", "cfdx"], "calc_mode = 'cfdx' 不在可選的值之中；允許的值：forex",
     "calc_mode = 'cfdx' 不在可选的值之中；允许的值：forex", "'cfdx'"),
    (["symbols", "add", "US30", "--base", "USD"], "商品 US30 不是內建商品，因此需要 base, profit, digits, "
     "contract_size；缺少：profit, digits, contract_size", "品种 US30 不是内置品种，因此需要 base, profit, digits, "
     "contract_size；缺少：profit, digits, contract_size", "US30"),
    (["symbols", "add", "US 30", "--base", "USD"], "商品名稱 'US 30'：請使用字母、數字與",
     "品种名称 'US 30'：请使用字母、数字与", "'US 30'"),
    (["symbols", "suffix", ".m", "--profile", "my broker"], "suffixes：'my broker' 不是券商設定檔名稱",
     "suffixes：'my broker' 不是券商配置名称", "'my broker'"),
    (["symbols", "suffix"], "請提供 SUFFIX，或使用 --remove（不可同時使用）",
     "请提供 SUFFIX，或使用 --remove（不可同时使用）", "SUFFIX"),
    (["symbols", "remove", "US30"], "中沒有 US30 的規格（'mas symbols list' 會列出所有商品）",
     "中没有 US30 的规格（'mas symbols list' 会列出所有品种）", "US30"),
    (["symbols", "show", "EURUSX"], "也不在商品規格檔中；", "也不在品种规格文件中；", "'EURUSX'"),
    (["symbols", "show", "EURUSX"], "contract_size；您是指 'EURUSD' 嗎？", "contract_size；您是指 'EURUSD' 吗？",
     "'EURUSD'"),
    (["optimize", "ma", "--param", "fast=10:5"], "--param 'fast=10:5'：'fast' 的範圍需要 start:stop:step；格式應為",
     "--param 'fast=10:5'：'fast' 的范围需要 start:stop:step；格式应为", "'fast=10:5'"),
    (["optimize", "ma", "--param", "fast=10:5:1"], "'fast' 的 step 1 離 stop 5 越來越遠（start 10）；請使用負的 step",
     "'fast' 的 step 1 离 stop 5 越来越远（start 10）；请使用负的 step", "'fast=10:5:1'"),
    (["optimize", "ma", "--param", "fast=5:x:5"], "'fast' 的 stop 'x' 不是數字", "'fast' 的 stop 'x' 不是数字", "'x'"),
    (["optimize", "ma", "--param", "fast=5,8,5"], "'fast' 重複列出了 5", "'fast' 重复列出了 5", "'fast=5,8,5'"),
    (["optimize", "ma", "--param", "fast=5:10:5", "--param", "slow=20,30", "--constraint", "fast <"],
     "限制條件 'fast <'：內容提前結束；應為參數與數字的比較", "约束条件 'fast <'：内容提前结束；应为参数与数字的比较",
     "'fast <'"),
    (["optimize", "ma", "--param", "fast=5:10:5", "--constraint", "fast ! slow"],
     "限制條件 'fast ! slow'：第 5 個字元處出現非預期的 '! slow'",
     "约束条件 'fast ! slow'：第 5 个字符处出现意外的 '! slow'", "'fast ! slow'"),
    (["optimize", "ma", "--param", "fast=5:10:5", "--workers", "0"], "--workers：必須是 1 或以上，收到 0",
     "--workers：必须是 1 或以上，收到 0", "0"),
    (["optimize", "ma", "--param", "fast=5:10:5", "--self-contained"],
     "--self-contained 用於 HTML 報告：請一併提供 --report-dir",
     "--self-contained 用于 HTML 报告：请同时提供 --report-dir", "--self-contained"),
    (["optimize", "ma"], "--param：請至少提供一個要掃描的參數", "--param：请至少提供一个要扫描的参数", "--param"),
    (["backtest", "ma", "--llm"], "--llm：向 LLM 後端索取 --text 描述的規格；請提供 --text",
     "--llm：向 LLM 后端获取 --text 描述的规格；请提供 --text", "--llm"),
    (["data", "remove", "EURUSD", "--timeframe", "M5"],
     "沒有儲存 EURUSD 的任何資料（資料儲存區是空的）。EURUSD 的內建範例K線",
     "没有存储 EURUSD 的任何数据（数据存储区是空的）。EURUSD 的内置示例K线", "EURUSD"),
]


@pytest.mark.parametrize("lang", ["zh-tw", "zh-cn"])
@pytest.mark.parametrize(("args", "tw", "cn", "value"), MISTAKES, ids=[" ".join(m[0]) for m in MISTAKES])
def test_a_mistake_is_answered_in_chinese_quoting_the_users_value(lang, args, tw, cn, value):
    code, text = run(lang, *args)
    assert code == 2, text
    assert (tw if lang == "zh-tw" else cn) in text, text
    assert value in text and english_left(text, args) == [], text


def test_the_same_mistakes_stay_english_without_a_language():
    result = runner.invoke(app, ["optimize", "ma", "--param", "fast=10:5"])
    assert result.exit_code == 2
    assert "--param 'fast=10:5': a range of 'fast' needs start:stop:step; expected name=start:stop:step" \
           in result.output
    result = runner.invoke(app, [*US30[:-1], "-5"])
    assert "symbol US30: contract_size = -5.0 is out of range; allowed: a number above 0 (units per lot" \
           in result.output


def test_a_second_process_reads_a_damaged_symbols_file_in_chinese(tmp_path):
    """Another process wrote symbols.toml by hand: `mas symbols list` names the file, the symbol and the field."""
    home = Path(os.environ["MAS_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MAS_LANG": "zh-cn"}
    (home / "symbols.toml").write_text('[symbols.US30]\nbase = "USD"\nprofit = "USD"\ndigits = "one"\n'
                                       'contract_size = 1\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mas", "symbols", "list"], capture_output=True, text=True,
                          timeout=120, env=env)
    text = done.stdout + done.stderr
    assert done.returncode == 2 and "Traceback" not in text, text
    assert "symbols.toml：品种 US30：digits = 'one' 不是数字；允许的值：0 到 10 的整数" in text, text
    (home / "symbols.toml").write_text("[symbols.US30\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mas", "--lang", "zh-tw", "symbols", "show", "EURUSD"],
                          capture_output=True, text=True, timeout=120, env=env)
    text = done.stdout + done.stderr
    assert done.returncode == 2, text
    assert "symbols.toml：不是有效的 TOML（" in text and "）；請修正檔案或將它移走" in text, text


@pytest.fixture
def saved_run(tmp_path) -> dict:
    """A real ``mas backtest ma --json`` document of January 2017."""
    path = tmp_path / "run.json"
    result = runner.invoke(app, ["backtest", "ma", "--to", "2017-01-31", "--json", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_corrupt_saved_result_is_named_in_chinese(saved_run, tmp_path):
    assert saved_run["trades"], "the month has trades to corrupt"
    cases = []
    document = json.loads(json.dumps(saved_run))
    document["trades"][0]["direction"] = "long"
    cases.append((document, "trades[0].direction：應為 'buy' 或 'sell'，收到 'long'", "'long'"))
    document = json.loads(json.dumps(saved_run))
    document["equity"][3][0] = "2017-02-30 10:00:00"
    cases.append((document, "equity[3][0]：'2017-02-30 10:00:00' 不是 'YYYY-MM-DD HH:MM:SS' 格式的時間",
                  "2017-02-30 10:00:00"))
    document = json.loads(json.dumps(saved_run))
    document["balance"] = document["balance"][:-1]
    cases.append((document, "不是 'mas backtest --json' 儲存的結果：'balance' 必須是每個淨值點各一個數字的清單",
                  "balance"))
    document = {k: v for k, v in saved_run.items() if k != "trades"}
    cases.append((document, "不是 'mas backtest --json' 儲存的結果：缺少 trades", "trades"))
    for i, (document, expected, value) in enumerate(cases):
        path = tmp_path / f"corrupt{i}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        code, text = run("zh-tw", "report", str(path))
        assert code == 2 and f"corrupt{i}.json：" in text and expected in text and value in text, text
        with pytest.raises(SavedResultError) as caught:
            load_saved_result(path, with_bars=False)
        assert isinstance(caught.value, ValueError) and str(caught.value).startswith(f"{path}: ")
        assert localize(caught.value, "zh-tw").startswith(f"{path}：")
    cut = tmp_path / "cut.json"
    cut.write_text(json.dumps(saved_run, indent=1)[:2000], encoding="utf-8")  # a copy that stopped half way
    with pytest.raises(json.JSONDecodeError) as where:
        json.loads(cut.read_text(encoding="utf-8"))
    code, text = run("zh-cn", "report", str(cut))
    line, column = where.value.lineno, where.value.colno
    assert code == 2 and f"cut.json：不是有效的 JSON（第 {line} 行第 {column} 列：" in text, text
    code, text = run("zh-cn", "report", str(tmp_path / "nosuch.json"))
    assert code == 2 and "nosuch.json：文件不存在" in text, text


class _BadPlot(MAS):
    def __init__(self, **plot: object) -> None:
        super().__init__()
        self.plot_args = plot

    def receive_bars(self, symbol, data, is_end):
        self.plot(**self.plot_args)


@pytest.mark.parametrize(("plot", "tw", "cn"), [
    ({"name": "sma", "value": "high"}, "plot：'sma' 的值必須是數字（或以 None 表示空缺），收到 'high'",
     "plot：'sma' 的值必须是数字（或以 None 表示空缺），收到 'high'"),
    ({"name": "sma", "value": 1.0, "panel": "top"}, "plot：panel 必須是 'price', 'lower' 其中之一，收到 'top'",
     "plot：panel 必须是 'price', 'lower' 其中之一，收到 'top'"),
    ({"name": "", "value": 1.0}, "plot：name 必須是非空的文字，最多 60 個字元，收到 ''",
     "plot：name 必须是非空的文本，最多 60 个字符，收到 ''"),
    ({"name": "sma", "value": 1.0, "symbol": "GBPUSD"}, "plot：此回測沒有重播商品 'GBPUSD'（EURUSD）",
     "plot：此回测没有重播品种 'GBPUSD'（EURUSD）"),
])
def test_a_bad_plot_call_in_a_backtest_is_a_value_error_in_any_language(plot, tw, cn):
    strategy = _BadPlot(**plot)
    with pytest.raises(ValueError) as caught:
        strategy.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-02", "to": "2017-01-06",
                                 "backtest_toggle": True})
    assert type(caught.value) is ValueError and str(caught.value).startswith("plot: ")
    assert localize(caught.value, "zh-tw") == tw and localize(caught.value, "zh-cn") == cn


def test_optimizer_errors_keep_their_language_across_processes():
    """A worker process sends its error back pickled: the copy still renders in Chinese."""
    with pytest.raises(ParamSpecError) as caught:
        ParamSpace.from_specs(["fast=5:10:5", "slow=20", "fast=6"])
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is ParamSpecError and str(copy) == "--param: fast given more than once"
    assert localize(copy, "zh-cn") == "--param：fast 重复指定了不止一次"
    with pytest.raises(Bi5Error) as caught:
        decode_records(b"not lzma", CANDLE_RECORD, "2017/00/02/BID_candles_min_1.bi5")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert localize(copy, "zh-tw").startswith("2017/00/02/BID_candles_min_1.bi5：不是 Dukascopy 的 .bi5 檔案"
                                              "（應為 LZMA 資料：")


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="fastlow=:,.0123456789-e ", max_size=24))
def test_every_param_spec_mistake_is_translated_and_quotes_the_spec(spec):
    try:
        parse_param_spec(spec)
    except ParamSpecError as exc:
        for lang in ("zh-tw", "zh-cn"):
            text = localize(exc, lang)
            assert text.startswith(f"--param {spec!r}：") and _chinese(text), (spec, text)
        assert str(exc).startswith(f"--param {spec!r}: ")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="fast slow<>=!()+-*/%0123456789.#", max_size=24))
def test_every_malformed_constraint_is_translated_and_quotes_it(text):
    try:
        parse_constraint(text)
    except ConstraintError as exc:
        for lang in ("zh-tw", "zh-cn"):
            shown = localize(exc, lang)
            assert shown.startswith(("限制條件 ", "约束条件 ")) and repr(text) in shown, (text, shown)
        assert str(exc).startswith(f"constraint {text!r}: ")


MT5_EXPORT = ("<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>\n"
              "2017.01.02\t00:00:00\t1.05\t1.06\t1.04\t1.055\t10\t0\t0\n"
              "2017.01.02\t01:00:00\t1.05\t1.04\t1.06\t1.055\t10\t0\t0\n"  # inverted: high below low
              "2017.01.02\t02:00:00\t1.05\t1.06\t1.04\t1.055\t10\t0\t0\n")


def test_what_an_import_found_is_said_in_chinese(tmp_path):
    path = tmp_path / "EURUSD_H1.csv"
    path.write_text(MT5_EXPORT, encoding="utf-8")
    code, text = run("zh-tw", "data", "import", str(path), "--symbol", "EURUSD", "--timeframe", "H1")
    assert code == 0, text
    assert "1 顛倒的 K 棒，high < low（未儲存）；第 3 行" in text
    result = runner.invoke(app, ["data", "import", str(path), "--symbol", "EURUSD", "--timeframe", "H1"])
    assert "1 inverted candles, high < low (not stored); line(s) 3" in result.output
