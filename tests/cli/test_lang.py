"""``mas --lang zh-tw`` and ``MAS_LANG=zh-cn``: the careless inputs of issue 20 answered wholly in Chinese
(the user's input, numbers, names and commands as typed), a non-zero exit and no traceback."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import textwrap

import pytest
from typer.testing import CliRunner

from mas.cli import app

runner = CliRunner()

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
_COMMAND = re.compile(r"\b(?:mas|pip install|python) [^\n（）()：；，。]*")
_OPTION = re.compile(r"--?[A-Za-z][\w-]*")
_PATH = re.compile(r"(?:[A-Za-z]:)?[\w.~-]*/[^\s，。；：）（]*")
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]+(?:\s+[A-Za-z]+){2,}\b")


def english_left(text: str, typed: list[str]) -> list[str]:
    """Runs of three or more English words in ``text``, once the user's own input (``typed``), quoted values,
    commands, options, paths and click's usage line (syntax, not a sentence) are taken out."""
    lines = [line for line in text.splitlines() if not line.lstrip("│ ").startswith("Usage:")]
    text = "\n".join(lines)
    for pattern in (_QUOTED, _COMMAND, _PATH, _OPTION):
        text = pattern.sub(" ", text)
    for value in sorted(typed, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    return _ENGLISH_RUN.findall(text)


def run(lang_args: list[str], env: dict[str, str], *args: str):
    result = runner.invoke(app, [*lang_args, *args], env=env)
    return result, result.output + (result.stderr if result.stderr_bytes is not None else "")


LANGS = {"zh-tw": (["--lang", "zh-tw"], {}), "zh-cn": ([], {"MAS_LANG": "zh-cn"})}

# (command line, the fragment that says what is wrong in zh-tw, in zh-cn)
CARELESS = [
    (["backtest", "ma", "--param", "fsat=10"], "沒有參數 'fsat'；您是指 'fast' 嗎？",
     "没有参数 'fsat'；您是指 'fast' 吗？"),
    (["backtest", "ma", "--margin-mode", "foo"], "'foo' 無效；可用的值：hedging, netting",
     "'foo' 无效；可用的值：hedging, netting"),
    (["backtest", "ma", "--from", "2017-13-01"], "'2017-13-01' 不是日期", "'2017-13-01' 不是日期"),
    (["backtest", "ma", "--symbol", "NOSUCH"], "沒有 NOSUCH H1 K線", "没有 NOSUCH H1 K线"),
    (["backtest", "ma", "--timeframe", "H7"], "'H7' 不是 MetaTrader 5 的時間週期", "'H7' 不是 MetaTrader 5 的时间周期"),
    (["backtest", "nosuch"], "'nosuch' 不是內建策略", "'nosuch' 不是内置策略"),
    (["backtest", "ma", "--capital", "-5"], "--capital：必須大於 0，收到 -5", "--capital：必须大于 0，收到 -5"),
    (["backtest", "ma", "--symbol", "GBPJPY", "--from", "2017-01-01", "--to", "2017-02-01"],
     "沒有 GBPJPY H1 K線（2017-01-01 00:00 至 2017-02-01 23:59 UTC）", "没有 GBPJPY H1 K线（2017-01-01 00:00 至"),
    (["optimize", "ma", "--param", "fast=abc"], "'abc' 不是數字（預設值為 5）", "'abc' 不是数字（默认值为 5）"),
    (["optimize", "ma", "--param", "fast=5:10:5", "--wf-in-sample", "6X", "--wf-out-of-sample", "1M"],
     "前進分析長度 '6X' 無效", "前进分析长度 '6X' 无效"),
    (["optimize", "ma", "--param", "fast=5:10:5", "--metric", "sharp"],
     "'sharp' 不是績效指標；您是指 'sharpe_ratio' 嗎？", "'sharp' 不是绩效指标；您是指 'sharpe_ratio' 吗？"),
    (["sim", "serve", "--from", "yesterday", "--allow-new-accounts"], "'yesterday' 不是日期", "'yesterday' 不是日期"),
    (["sim", "serve", "--from", "2017-01-02"], "沒有任何帳號可以登入", "没有任何账号可以登录"),
    (["data", "check", "NOSUCH"], "沒有儲存 NOSUCH 的K線", "没有存储 NOSUCH 的K线"),
    (["data", "download", "EURUSD", "--from", "yesterday", "--to", "2017-01-02"], "'yesterday' 不是日期",
     "'yesterday' 不是日期"),
    (["data", "list", "--min-gap", "0"], "必須大於 0 分鐘", "必须大于 0 分钟"),
    (["broker", "test", "nosuch"], "登入失敗：沒有設定檔 'nosuch'", "登录失败：没有配置 'nosuch'"),
    (["backtest", "ma", "--fomr", "2017-01-01"], "沒有此選項：--fomr", "没有此选项：--fomr"),
    (["backtest", "ma", "--leverage", "abc"], "的值無效：應為有效的整數", "的值无效：应为有效的整数"),
    (["backtest", "ma", "--param", "fast"], "格式應為 名稱=值", "格式应为 名称=值"),
    (["sim", "serve"], "缺少選項 '--from'", "缺少选项 '--from'"),
    (["data", "chek"], "沒有此指令 'chek'。您是指 'check' 嗎？", "没有此命令 'chek'。您是指 'check' 吗？"),
]


@pytest.mark.parametrize("lang", sorted(LANGS))
@pytest.mark.parametrize(("args", "tw", "cn"), CARELESS, ids=[" ".join(c[0]) for c in CARELESS])
def test_careless_input_is_answered_in_chinese(lang, args, tw, cn):
    lang_args, env = LANGS[lang]
    result, text = run(lang_args, env, *args)
    assert result.exit_code != 0, text
    assert "Traceback" not in text and not isinstance(result.exception, (KeyError, TypeError, AttributeError)), text
    assert (tw if lang == "zh-tw" else cn) in text, text
    assert english_left(text, args) == [], text


def test_the_same_inputs_stay_english_without_a_language():
    result, text = run([], {}, "backtest", "ma", "--margin-mode", "foo")
    assert result.exit_code == 2 and "error: --margin-mode: 'foo' is not valid; valid: hedging, netting" in text
    result, text = run([], {}, "backtest", "ma", "--fomr", "2017-01-01")
    assert result.exit_code == 2 and "No such option: --fomr" in text and "backtest --help' for help." in text


def test_lang_wins_over_mas_lang_and_an_unknown_language_is_refused():
    result, text = run(["--lang", "zh-tw"], {"MAS_LANG": "zh-cn"}, "backtest", "ma", "--margin-mode", "foo")
    assert "錯誤：--margin-mode：'foo' 無效" in text
    result, text = run(["--lang", "fr"], {}, "backtest", "ma")
    assert result.exit_code == 2 and "'fr'" in text and "en, zh-tw, zh-cn" in text
    result, text = run([], {"MAS_LANG": "en"}, "backtest", "ma", "--margin-mode", "foo")
    assert "is not valid" in text  # an earlier run's --lang does not linger in the process


def _refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_refused_login_in_a_real_process_is_chinese(monkeypatch):
    result, _ = run([], {}, "broker", "add", "paper", "--terminal", "sim", "--server", "MAS-Sim", "--login", "7",
                    "--port", str(_refused_port()))
    assert result.exit_code == 0
    env = {**os.environ, "MAS_PASSWORD_PAPER": "secret", "MAS_LANG": "zh-cn"}
    done = subprocess.run([sys.executable, "-m", "mas", "broker", "test", "paper"], capture_output=True, text=True,
                          timeout=120, env=env)
    text = done.stdout + done.stderr
    assert done.returncode == 1 and "Traceback" not in text
    assert "登录失败：无法连接到位于 sim://127.0.0.1:" in text and "连接被拒绝" in text and "mas sim serve" in text
    assert text.count("登录失败") == 1 and english_left(text, ["paper"]) == [], text
    done = subprocess.run([sys.executable, "-m", "mas", "--lang", "zh-tw", "backtest", "ma", "--margin-mode", "foo"],
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert done.returncode == 2 and "錯誤：--margin-mode：'foo' 無效" in done.stdout + done.stderr


KEY_ERROR = textwrap.dedent("""\
    import mas


    class MAS_Client(mas):
        def receive_bars(self, symbol, data, is_end):
            price = data["closee"]
            return price
""")


def test_an_error_in_the_users_strategy_is_introduced_in_chinese(tmp_path):
    path = tmp_path / "my_strategy.py"
    path.write_text(KEY_ERROR)
    result, text = run(["--lang", "zh-tw"], {}, "backtest", str(path), "--to", "2017-01-10")
    assert result.exit_code == 1 and "Traceback" not in text
    assert "您的策略發生錯誤" in text and f'檔案 "{path}"，第 6 行，於 receive_bars' in text
    assert "您是指 'close' 嗎？" in text and "KeyError: 'closee'" in text  # Python's own line stays as Python says
    broken = tmp_path / "broken.py"
    broken.write_text("import mas\n\nclass S(mas):\n    def receive_bars(self, symbol, data, is_end)\n        pass\n")
    result, text = run([], {"MAS_LANG": "zh-cn"}, "backtest", str(broken))
    assert result.exit_code == 1 and f"您的策略 {broken} 第 4 行有 SyntaxError：" in text


BAD_PLOT = textwrap.dedent("""\
    import mas


    class MAS_Client(mas):
        def receive_bars(self, symbol, data, is_end):
            self.plot("sma", "high")
""")


def test_our_error_raised_in_the_users_strategy_is_said_in_chinese(tmp_path):
    """A bad ``self.plot`` call fails in the user's file; the error line is ours, so it is said in the language."""
    path = tmp_path / "plots.py"
    path.write_text(BAD_PLOT)
    result, text = run(["--lang", "zh-tw"], {}, "backtest", str(path), "--to", "2017-01-10")
    assert result.exit_code == 1 and "Traceback" not in text
    assert f'檔案 "{path}"，第 6 行，於 receive_bars' in text
    assert "ValueError: plot：'sma' 的值必須是數字" in text and "must be a number" not in text
    result, text = run([], {}, "backtest", str(path), "--to", "2017-01-10")
    assert "ValueError: plot: the value of 'sma' must be a number" in text


def test_english_left_finds_a_sentence():
    assert english_left("錯誤：--from：'x' is not a date", []) == ["is not a date"]
    assert english_left("錯誤：--from：'x' 不是日期；例如 mas data import FILE --symbol X", []) == []


def test_the_commands_own_summaries_are_chinese():
    result, text = run(["--lang", "zh-tw"], {}, "data", "check", "EURUSD", "--timeframe", "H1")
    assert result.exit_code == 0, text
    assert "EURUSD H1（內附範例資料）：6225 筆" in text and "缺口：無" in text and "沒有重複或亂序的時間戳記" in text
    assert english_left(text, ["EURUSD", "H1"]) == [], text
    result, text = run([], {"MAS_LANG": "zh-cn"}, "data", "list")
    assert result.exit_code == 0 and "已存储的数据" in text and "品种" in text and "内置示例" in text, text
    result, text = run([], {}, "data", "list")
    assert "Stored data" in text and "Symbol" in text  # English without a language
