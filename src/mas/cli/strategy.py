"""``mas strategy``: text -> spec, explanations, the JSON schema and program export.

    mas strategy parse "buy when RSI(14) < 30, sell when RSI > 70" [-o spec.json] [--lang zh-tw] [--llm]
    mas strategy explain spec.json [--lang zh-cn]
    mas strategy schema [-o docs/strategy-spec.schema.json]
    mas strategy export spec.json|"TEXT" -o strategy.py [--live] [--exe]

Backtests take a spec file or a quoted text as the target: ``mas backtest spec.json ...`` or
``mas backtest "buy when ..." ...``. Text the parser cannot read exits with code 2 and quotes it.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import typer
from rich.console import Console

from mas.cli.errors import fail
from mas.cli.lang import say
from mas.i18n import current_lang, normalise_lang
from mas.i18n.errors import InputError
from mas.strategy.spec import load_spec, spec_json_schema
from mas.strategy.targets import missing_spec, spec_from_target

__all__ = ["app"]

app = typer.Typer(help="Text -> strategy: parse English or Chinese text, explain and export specs.",
                  no_args_is_help=True, add_completion=False)
console = Console()


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(InputError("cannot_write", path=path, reason=exc.strerror or str(exc)))


@app.command()
def parse(
    text: str = typer.Argument(..., help='The strategy in words, e.g. "buy when RSI(14) < 30, sell when RSI > 70".'),
    output: Path = typer.Option(None, "-o", "--output", "--json", help="Write the spec JSON here."),
    lang: str = typer.Option(None, help="Language of the explanation: en, zh-tw, zh-cn (default: the text's)."),
    llm: bool = typer.Option(False, "--llm", help="Ask the LLM backend (MAS_LLM_* variables) instead of the parser."),
    llm_fallback: bool = typer.Option(False, "--llm-fallback", help="Ask the LLM only if the parser refuses."),
) -> None:
    """Parse a text into a validated spec; print it and a plain-language explanation."""
    try:
        spec, explanation = spec_from_target(text, llm=llm, llm_fallback=llm_fallback, lang=_lang(lang))
    except ValueError as exc:
        fail(exc)
    if output is not None:
        _write(output, spec.to_json() + "\n")
        console.print(say("strategy_spec_written", path=output))
    else:
        print(spec.to_json())
    print(explanation)


@app.command()
def explain(
    spec_file: Path = typer.Argument(..., help="A spec JSON file."),
    lang: str = typer.Option(None, help="en, zh-tw or zh-cn (default: mas --lang, else $MAS_LANG, else en)."),
) -> None:
    """Explain a spec file in plain words."""
    from mas.strategy.explain import explain_spec

    try:
        spec = load_spec(spec_file) if spec_file.is_file() else missing_spec(spec_file)
        print(explain_spec(spec, _lang(lang) or current_lang()))
    except ValueError as exc:
        fail(exc)


@app.command()
def schema(output: Path = typer.Option(None, "-o", "--output", help="Write the schema here.")) -> None:
    """Print (or write) the JSON schema of strategy specs."""
    text = json.dumps(spec_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        print(text, end="")
    else:
        _write(output, text)
        console.print(say("strategy_schema_written", path=output))


@app.command()
def export(
    target: str = typer.Argument(..., help="A spec JSON file or a quoted text."),
    output: Path = typer.Option(..., "-o", "--output", help="The program file to write, e.g. strategy.py."),
    symbol: str = typer.Option(None, help="Symbol (default: the spec's, else EURUSD)."),
    timeframe: str = typer.Option(None, help="Timeframe (default: the spec's, else H1)."),
    date_from: str = typer.Option("2017-01-01", "--from", help="First day of the backtest."),
    date_to: str = typer.Option("2017-12-31", "--to", help="Last day of the backtest."),
    capital: float = typer.Option(10_000.0, help="Initial capital of the backtest."),
    live: bool = typer.Option(False, "--live", help="Write BACKTEST = False: the program trades your MT5 account."),
    profile: str = typer.Option(None, "--profile", help="Broker profile the program logs in with (mas broker add); "
                                                         "its password stays in the environment or the keyring."),
    exe: bool = typer.Option(False, "--exe", help="Also build a single-file executable with PyInstaller."),
) -> None:
    """Write a readable standalone program (on the public mas API) that trades the spec."""
    from mas.strategy.export import export_program

    try:
        spec, _ = spec_from_target(target)
        source = export_program(spec, symbol=symbol, timeframe=timeframe, date_from=date_from, date_to=date_to,
                                capital=capital, backtest=not live, profile=profile)
    except ValueError as exc:
        fail(exc)
    _write(output, source)
    console.print(say("strategy_program_written", path=output))
    if exe:
        _build_executable(output)


def engine_hidden_imports() -> list[str]:
    """PyInstaller options for the compiled engine's shared library module, when it is installed."""
    from mas.build_info import ENGINE_GROUP

    module = f"{ENGINE_GROUP}__mypyc"
    return ["--hidden-import", module] if importlib.util.find_spec(module) is not None else []


def _build_executable(program: Path) -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        fail(InputError("exe_needs_pyinstaller"))
    command = [sys.executable, "-m", "PyInstaller", "--onefile", "--noconfirm", "--collect-data", "mas",
               # the compiled engine's modules import from C, where PyInstaller's analysis does not look
               "--collect-submodules", "mas", *engine_hidden_imports(),
               "--distpath", str(program.parent / "dist"), str(program)]
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        fail(InputError("pyinstaller_failed", code=result.returncode))
    console.print(say("strategy_exe_written", path=program.parent / "dist"))


def _lang(lang: str | None) -> str | None:
    if lang is None:
        return None
    return normalise_lang(lang)
