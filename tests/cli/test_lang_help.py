"""``mas --lang zh-tw CMD --help`` (and ``MAS_LANG=zh-cn``): every command's description, option helps, example
and typer's labels in Chinese, nothing cut short; without a language the English help is the declared one.
The tables the commands print (titles, headings, row labels) follow the language too."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from cli.test_lang import english_left
from mas.cli import app
from mas.cli.help import help_text
from mas.i18n import message
from mas.i18n.cli_help import CLI_HELP

runner = CliRunner()
ROOT = typer.main.get_command(app)


def command_paths(command=ROOT, path=()):
    """Every command of ``mas`` as its words: (), ("backtest",), ("broker", "group", "add"), ..."""
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*path, name))


def command_at(path):
    command = ROOT
    for name in path:
        command = command.commands[name]
    return command


def flat(text):
    return " ".join(inspect.cleandoc(text).split())


def declared_texts(command):
    """The English texts a command's --help shows: its description, its options' helps, its subcommands'."""
    texts = [command.help or ""] + [p.help for p in command.params if getattr(p, "help", None)]
    texts += [sub.help or "" for sub in getattr(command, "commands", {}).values()]
    return [flat(t) for t in texts if t]


def shown(command, lang):
    """(English, what --help shows in ``lang``) of each help text: a subcommand's summary is its first paragraph."""
    pairs = [(command.help, False)] if command.help else []
    pairs += [(p.help, False) for p in command.params if getattr(p, "help", None)]
    pairs += [(sub.help, True) for sub in getattr(command, "commands", {}).values() if sub.help]
    return [(flat(text), help_text(text, lang).split("\n\n")[0] if summary else help_text(text, lang))
            for text, summary in pairs]


def run(*args, lang="zh-tw", env=None, columns=200):
    """``mas [--lang LANG] ARGS`` in this process: the exit code and everything printed."""
    result = runner.invoke(app, [*(["--lang", lang] if lang else []), *args], prog_name="mas",
                           env={"COLUMNS": str(columns), **(env or {})})
    return result.exit_code, result.output


def squeezed(text):
    """``text`` without white space and box lines: a help column's wrapped lines joined back."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "│╭╮╰╯─")


PATHS = list(command_paths())
IDS = [" ".join(p) or "mas" for p in PATHS]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
@pytest.mark.parametrize("how", ["--lang zh-tw", "MAS_LANG=zh-cn"])
def test_every_help_is_wholly_chinese(path, how):
    lang = "zh-tw" if "zh-tw" in how else "zh-cn"
    code, text = run(*path, "--help", lang="zh-tw" if lang == "zh-tw" else None,
                     env={"MAS_LANG": "zh-cn"} if lang == "zh-cn" else None)
    assert code == 0, text
    assert english_left(text, []) == [], text
    for english, chinese in shown(command_at(path), lang):
        assert english not in " ".join(text.split()), (english, text)  # no declared English sentence is left
        assert squeezed(chinese) in squeezed(text), chinese  # and the Chinese one is there, whole
    assert "用法：" in text and "Usage:" not in text
    assert ("選項" if lang == "zh-tw" else "选项") in text and "Options" not in text
    example = command_at(path).epilog
    if example:
        assert ("範例：" if lang == "zh-tw" else "示例：") in text and "Example:" not in text


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_help_text_has_its_translations(path):
    """Each text a command declares is a catalog key's English (a new or reworded help needs its key)."""
    command = command_at(path)
    texts = [command.help, *(p.help for p in command.params)]
    texts += [sub.help for sub in getattr(command, "commands", {}).values()]
    for english in filter(None, texts):
        assert help_text(english, "zh-tw") != english and help_text(english, "zh-cn") != english, english


@pytest.mark.parametrize("path", PATHS[:8], ids=IDS[:8])
def test_the_english_help_is_the_declared_one(path):
    code, text = run(*path, "--help", lang=None)
    assert code == 0
    assert run(*path, "--help", lang="en")[1] == text
    assert "Usage: mas" in text and "Options" in text and "用法" not in text
    command = command_at(path)
    assert flat(command.help.split("\n\n")[0]) in " ".join(text.replace("│", " ").split())
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_labels_and_the_defaults():
    code, text = run("backtest", "--help")
    assert code == 0
    assert "[預設：EURUSD]" in text and "引數" in text and "範例：mas backtest ma --from 2017-01-01" in text
    code, text = run("--help", lang="zh-cn")
    assert "[环境变量：MAS_LANG]" in text and "命令" in text and "Commands" not in text
    code, text = run("sim", "serve", "--help")
    assert "[必填]" in text and "[required]" not in text
    code, text = run("broker", "test", "--help")
    assert "範例：mas broker test demo（密碼取自 MAS_PASSWORD_DEMO 或作業系統金鑰圈）" in text


def test_lang_after_help_still_counts():
    """``--help`` is handled before ``--lang``: a --lang among the root options is used first all the same."""
    result = runner.invoke(app, ["--help", "--lang", "zh-tw"], prog_name="mas", env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "相容 MAS 的外匯保證金交易 SDK" in result.output
    result = runner.invoke(app, ["--help", "--lang=zh-cn"], prog_name="mas", env={"COLUMNS": "200"})
    assert "兼容 MAS 的外汇保证金交易 SDK" in result.output
    assert "MAS-compatible forex" in run("--help", lang=None)[1]  # and the next run is English again


def test_a_user_reads_the_help_in_chinese_on_a_narrow_terminal(tmp_path):
    """A real ``mas`` process, 80 columns: long Chinese helps wrap (rich would cut a text without spaces
    short with an ellipsis), and the usage errors name the usage in Chinese too."""
    env = {**os.environ, "COLUMNS": "80", "MAS_HOME": str(tmp_path)}
    env.pop("MAS_LANG", None)
    out = subprocess.run([sys.executable, "-m", "mas.cli", "--lang", "zh-tw", "backtest", "--help"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "…" not in out.stdout and english_left(out.stdout, []) == []
    for key in ("help_backtest_llm", "help_backtest_engine", "help_backtest_self_contained"):
        assert squeezed(message("zh-tw", key)) in squeezed(out.stdout), key
    out = subprocess.run([sys.executable, "-m", "mas.cli", "optimize", "--help"], env={**env, "MAS_LANG": "zh-cn"},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "用已保存的数据扫描策略参数，并为各组参数排名。" in out.stdout and "[默认：sharpe_ratio]" in out.stdout
    out = subprocess.run([sys.executable, "-m", "mas.cli", "--lang", "zh-tw", "backtest", "--fomr", "x"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "用法：mas backtest [OPTIONS] [TARGET]" in out.stderr, out.stderr
    out = subprocess.run([sys.executable, "-m", "mas.cli", "backtest", "--help"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert "Usage: mas backtest [OPTIONS] [TARGET]" in out.stdout and "Backtest a strategy on stored data" in out.stdout


def test_the_catalog_texts_of_the_help_are_the_declared_ones():
    """The help catalog holds no stale English (a text no command declares any more)."""
    declared = {t for p in PATHS for t in declared_texts(command_at(p))}
    declared |= {flat((command_at(p).epilog or "").removeprefix("Example: ")) for p in PATHS}
    declared.add("Show this message and exit.")
    stale = [key for key, texts in CLI_HELP.items()
             if key.startswith("help_") and not key.startswith(("help_usage", "help_arguments", "help_options",
                                                                "help_commands", "help_default", "help_env_var",
                                                                "help_required", "help_deprecated", "help_example"))
             and " ".join(texts["en"].replace("\n\n", " ").split()) not in declared]
    assert stale == []


def test_a_group_without_its_command_shows_the_help_in_chinese_and_no_empty_error():
    """``MAS_LANG=zh-cn mas data``: typer prints the group's help (exit 2); there was an empty error panel after
    it. ``mas --lang zh-tw`` alone: the missing command is said in Chinese."""
    result = runner.invoke(app, ["data"], prog_name="mas", env={"MAS_LANG": "zh-cn", "COLUMNS": "200"})
    assert result.exit_code == 2
    assert "导入、下载、列出并检查历史数据。" in result.output and "错误" not in result.output
    code, text = run(lang="zh-tw")
    assert code == 2 and "缺少命令。" in text and "Missing command" not in text
    assert "Missing command." in run(lang="en")[1]
