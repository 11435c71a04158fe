"""Every command of the README's and docs' shell blocks runs as written, as a user types it: a subprocess
in a fresh working folder with an empty ``MAS_HOME``, against the bundled EURUSD sample, in document order
(later commands use what earlier ones wrote: ``result.json``, the imported file). Each must exit 0.

What the test changes or supplies, all listed here:
- ``SKIPPED``: commands that need the network, a broker or the package index, each with its reason
  (reported as skipped tests, never dropped silently; an entry that no longer matches a command fails).
- ``USER_FILES``: files a command names that the user is expected to have (their own MT5 export, their
  own MetaTrader5 script); ``examples/`` is copied from the repository, as a clone has it.
- the documented sim-server port 18812 is replaced by a free one, so parallel runs do not collide.
- a command that runs until stopped (``mas sim serve``) is started, must print its listening line, serves
  the rest of its block, and is then stopped with Ctrl-C (SIGINT) and must exit cleanly.
The README's Python program is run too (``python readme_example.py``).
"""

from __future__ import annotations

import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md",  # docs/NAME.zh-TW.md, a translation, repeats the commands of docs/NAME.md
             *sorted(p for p in (ROOT / "docs").glob("*.md") if not p.name.endswith(".zh-TW.md"))]
SAMPLE_H1 = ROOT / "src" / "mas" / "data" / "sample" / "EURUSD_H1.parquet"
SHELL_FENCE = re.compile(r"^```(?:bash|sh|shell|console)[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
PYTHON_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
DOCUMENTED_PORT = "18812"
LONG_RUNNING = (("mas", "sim", "serve"),)
COMMAND_TIMEOUT = 300  # a bound on a hung command, not a speed requirement

LLM = "asks the LLM endpoint of MAS_LLM_BASE_URL (a model server) for a spec"
# (argv prefix, an argument it must also have or None) -> why the test cannot run it
SKIPPED: dict[tuple[tuple[str, ...], str | None], str] = {
    (("pip", "install"), None): "installs from the package index (network) and rebuilds the package under test; "
                                "the test runs the installed `mas` instead",
    (("pytest",), None): "runs the whole test suite, this test included",
    (("mas", "data", "download", "EURUSD", "--source", "dukascopy"), None): "downloads from Dukascopy (network)",
    (("mas", "data", "download", "EURUSD", "--source", "mt5"), None): "copies from a MetaTrader 5 terminal through "
                                                                      "the broker profile 'mybroker' (a broker login)",
    (("mas", "strategy", "parse"), "--llm"): LLM,
    (("mas", "strategy", "parse"), "--llm-fallback"): LLM + " (the parser refuses the placeholder TEXT)",
    (("mas", "backtest"), "--llm"): LLM,
    (("mas", "ui"), None): "starts the web app's server and opens a browser; tests/web start it on 127.0.0.1 and "
                           "drive it with Chromium",
}


def _matches(argv: list[str], prefix: tuple[str, ...], flag: str | None) -> bool:
    return tuple(argv[: len(prefix)]) == prefix and (flag is None or flag in argv)


def _write_mt5_export(path: Path) -> None:
    """The user's MT5 history export (server time UTC+2, hence ``--tz-offset 2``): the bundled sample's real
    candles of 2017-01-02 .. 2017-01-06 in MT5's export layout."""
    bars = pd.read_parquet(SAMPLE_H1)
    bars = bars[(bars["time"] >= "2017-01-02") & (bars["time"] < "2017-01-07")]
    lines = ["<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>"]
    for row in bars.itertuples():
        stamp = row.time + timedelta(hours=2)
        lines.append(f"{stamp:%Y.%m.%d}\t{stamp:%H:%M:%S}\t{row.open}\t{row.high}\t{row.low}\t{row.close}\t"
                     f"{int(row.tick_volume)}\t0\t0")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


MT5_SCRIPT = '''import sys

import MetaTrader5 as mt5

assert mt5.initialize(), mt5.last_error()
tick = mt5.symbol_info_tick(sys.argv[1])
print("account", mt5.account_info().login, "bid", tick.bid, "ask", tick.ask)
mt5.shutdown()
'''

USER_FILES = {
    "EURUSD_M1.csv": _write_mt5_export,
    "my_script.py": lambda path: path.write_text(MT5_SCRIPT, encoding="utf-8"),
}


@dataclass
class Command:
    where: str  # "README.md:72"
    block: int  # commands of one block share a long-running server
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    background: bool = False

    @property
    def text(self) -> str:
        return " ".join([*(f"{k}={v}" for k, v in self.env.items()), shlex.join(self.argv)])

    def skip_reason(self) -> str | None:
        for (prefix, flag), reason in SKIPPED.items():
            if _matches(self.argv, prefix, flag):
                return reason
        return None

    def long_running(self) -> bool:
        return self.background or any(tuple(self.argv[: len(p)]) == p for p in LONG_RUNNING)


def documented_commands() -> list[Command]:
    """The commands of every shell block, in document order: ``\\`` continuations joined, comments dropped,
    ``a && b`` split, a trailing ``&`` read as "runs in the background", ``NAME=value`` prefixes as env."""
    commands: list[Command] = []
    for block_no, (doc, match) in enumerate((d, m) for d in DOCUMENTS for m in SHELL_FENCE.finditer(d.read_text())):
        first_line = doc.read_text()[: match.start(1)].count("\n") + 1
        lines = match.group(1).split("\n")
        i = 0
        while i < len(lines):
            start, line = i, lines[i]
            while line.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line.rstrip()[:-1] + " " + lines[i].strip()
            i += 1
            tokens = shlex.split(line, comments=True)
            where = f"{doc.relative_to(ROOT)}:{first_line + start}"
            while tokens:
                cut = tokens.index("&&") if "&&" in tokens else len(tokens)
                part, tokens = tokens[:cut], tokens[cut + 1:]
                cmd = Command(where, block_no, part)
                if cmd.argv and cmd.argv[-1] == "&":
                    cmd.argv, cmd.background = cmd.argv[:-1], True
                while cmd.argv and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", cmd.argv[0]):
                    name, _, value = cmd.argv.pop(0).partition("=")
                    cmd.env[name] = value
                if cmd.argv:
                    commands.append(cmd)
    return commands


COMMANDS = documented_commands()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _executable(name: str) -> str:
    if name == "python":
        return sys.executable
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed"
    return found


class Workspace:
    """The user's shell: a working folder, an empty MAS_HOME, no MAS_* settings of the machine running the test."""

    def __init__(self, root: Path) -> None:
        self.cwd = root / "work"
        self.cwd.mkdir()
        shutil.copytree(ROOT / "examples", self.cwd / "examples")
        for name, write in USER_FILES.items():
            write(self.cwd / name)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("MAS_")}
        self.env.update(MAS_HOME=str(root / "mas_home"), PYTHONUNBUFFERED="1", COLUMNS="100")
        self.port = str(_free_port())

    def argv(self, cmd: Command) -> list[str]:
        return [_executable(cmd.argv[0]), *(arg.replace(DOCUMENTED_PORT, self.port) for arg in cmd.argv[1:])]

    def run(self, cmd: Command) -> subprocess.CompletedProcess:
        return subprocess.run(self.argv(cmd), cwd=self.cwd, env={**self.env, **cmd.env}, capture_output=True,
                              text=True, timeout=COMMAND_TIMEOUT)

    def start(self, cmd: Command) -> tuple[subprocess.Popen, queue.Queue]:
        proc = subprocess.Popen(self.argv(cmd), cwd=self.cwd, env={**self.env, **cmd.env}, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_pump, args=(proc, lines), daemon=True).start()
        return proc, lines


def _pump(proc: subprocess.Popen, lines: queue.Queue) -> None:
    """A server's output lines into ``lines``, then None when it closes its output."""
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.put(line)
    lines.put(None)


def _wait_for_listening(lines: queue.Queue) -> list[str]:
    """The server's output up to its listening line (bounded: 60 lines, 60 s)."""
    seen: list[str] = []
    for _ in range(60):
        try:
            line = lines.get(timeout=60)
        except queue.Empty:
            break
        if line is None:
            lines.put(None)  # the server has ended: _stop reads its end too
            break
        seen.append(line)
        if "listening on" in line:
            return seen
    raise AssertionError("the server printed no listening line:\n" + "".join(seen))


def _stop(proc: subprocess.Popen, lines: queue.Queue) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)  # Ctrl-C, as a user stops it
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -9, "did not stop on Ctrl-C"
    rest = []
    for _ in range(10_000):
        try:
            line = lines.get(timeout=10)
        except queue.Empty:
            break
        if line is None:
            break
        rest.append(line)
    return code, "".join(rest)


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def test_the_docs_have_the_commands_this_test_runs() -> None:
    texts = [cmd.text for cmd in COMMANDS]
    assert len(COMMANDS) >= 15, texts
    assert any(t.startswith("mas backtest ma ") and "--report-dir reports" in t for t in texts)  # continuation joined
    assert "pytest" in texts and "mas demo" in texts  # `a && b` split
    serve = [cmd for cmd in COMMANDS if cmd.argv[:3] == ["mas", "sim", "serve"]]
    assert serve and all(cmd.long_running() for cmd in serve)
    assert any(cmd.env.get("MAS_PASSWORD") == "..." for cmd in COMMANDS)


def test_every_skip_and_user_file_is_still_needed() -> None:
    for prefix, flag in SKIPPED:
        assert any(_matches(cmd.argv, prefix, flag) for cmd in COMMANDS), f"no documented command {prefix} {flag}"
    for name in USER_FILES:
        assert any(name in cmd.argv for cmd in COMMANDS), f"no documented command uses {name}"


@pytest.mark.parametrize("cmd", [c for c in COMMANDS if c.skip_reason()], ids=lambda c: f"{c.where} {c.text}"[:90])
def test_commands_needing_network_or_a_broker_are_named(cmd: Command) -> None:
    pytest.skip(f"{cmd.where}: `{cmd.text}` not run: {cmd.skip_reason()}")


def test_every_documented_command_runs_as_written(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    failures: list[str] = []
    ran: list[str] = []
    servers: list[tuple[Command, subprocess.Popen, queue.Queue]] = []

    def stop_servers() -> None:
        while servers:
            cmd, proc, lines = servers.pop()
            code, output = _stop(proc, lines)
            if code != 0 or "stopped" not in output:
                failures.append(f"{cmd.where}: `{cmd.text}` did not stop cleanly on Ctrl-C (exit {code}):\n"
                                f"{_tail(output)}")

    exported: dict[str, str] = {}  # `export NAME=value` lines hold for the rest of their block
    block = None
    try:
        for cmd in COMMANDS:
            if cmd.block != block:
                stop_servers()
                exported, block = {}, cmd.block
            if cmd.argv[0] == "export":
                exported.update(arg.partition("=")[::2] for arg in cmd.argv[1:])
                continue
            if cmd.skip_reason():
                continue
            cmd = replace(cmd, env={**exported, **cmd.env})
            ran.append(cmd.text)
            if cmd.long_running():
                proc, lines = ws.start(cmd)
                servers.append((cmd, proc, lines))
                try:
                    _wait_for_listening(lines)
                except AssertionError as exc:
                    failures.append(f"{cmd.where}: `{cmd.text}`: {exc}")
                continue
            done = ws.run(cmd)
            if done.returncode != 0:
                failures.append(f"{cmd.where}: `{cmd.text}` exited {done.returncode}:\n"
                                f"{_tail(done.stdout)}\n{_tail(done.stderr)}")
            elif cmd.argv[:2] == ["mas", "mt5"]:
                assert "account 1001 bid" in done.stdout, done.stdout  # the script really talked to the server
        stop_servers()
    finally:
        for _, proc, _ in servers:
            proc.kill()
            proc.wait()

    assert not failures, "\n\n".join(failures)
    # what the commands say they write is there
    assert (ws.cwd / "result.json").is_file() and (ws.cwd / "sweep.json").is_file()
    assert list((ws.cwd / "reports").glob("kpi_*.html")) and list((ws.cwd / "mas_reports").glob("*.html"))
    assert any(t.startswith("mas sim serve") for t in ran) and any(t.startswith("mas data import") for t in ran)


def test_the_readme_program_runs_as_written(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    programs = [m.group(1) for m in PYTHON_FENCE.finditer(readme) if "import mas" in m.group(1)]
    assert programs, "the README has no Python program"
    ws = Workspace(tmp_path)
    for number, program in enumerate(programs):
        (ws.cwd / f"readme_example_{number}.py").write_text(program, encoding="utf-8")
        done = ws.run(Command("README.md", -1, ["python", f"readme_example_{number}.py"]))
        assert done.returncode == 0, done.stderr
        assert "'status': True" in done.stdout and "kpi_EURUSD" in done.stdout, done.stdout
