"""``mas ui`` as a user starts it: the URL with a fresh token on stdout, a real server, refusals before binding."""

from __future__ import annotations

import os
import socket
import subprocess
import time

import httpx
import pytest
import typer
from typer.testing import CliRunner

from mas.web.cli import ui
from mas.web.security import csrf_cookie

from .server import URL, running_ui, ui_command


def test_mas_ui_prints_its_url_with_a_token_and_serves_the_app(isolated_mas_home):
    with running_ui(isolated_mas_home) as url:
        match = URL.search(url)
        port, token = int(match.group(2)), match.group(3)
        assert len(token) >= 40
        base = url.split("/?")[0]
        with httpx.Client(base_url=base, timeout=30) as client:
            assert client.get("/api/runs").status_code == 401
            page = client.get(url, follow_redirects=True)
            assert page.status_code == 200 and "<title>MAS</title>" in page.text
            assert client.get("/api/runs").json() == []
            csrf = client.cookies.get(csrf_cookie(port))
            reading = client.post("/api/strategy/parse", json={"text": "buy when RSI(14) < 30"},
                                  headers={"X-CSRF-Token": csrf})
            assert reading.status_code == 200
            plotly = client.get("/static/vendor/plotly.min.js")
            assert plotly.status_code == 200 and len(plotly.content) > 1_000_000  # served by the package, offline
    assert (isolated_mas_home / "ui.sqlite3").is_file()


def test_each_start_makes_a_new_token(isolated_mas_home):
    with running_ui(isolated_mas_home) as first:
        pass
    with running_ui(isolated_mas_home) as second:
        pass
    assert URL.search(first).group(3) != URL.search(second).group(3)


def test_another_bind_address_without_a_password_is_refused_before_listening(isolated_mas_home):
    env = {k: v for k, v in os.environ.items() if k != "MAS_UI_PASSWORD"}
    done = subprocess.run(ui_command("--host", "0.0.0.0", "--port", "0"), capture_output=True, text=True,
                          timeout=120, env={**env, "MAS_HOME": str(isolated_mas_home)})
    assert done.returncode == 2
    assert "MAS_UI_PASSWORD" in done.stderr and "--host 0.0.0.0" in done.stderr
    assert "running" not in done.stdout
    assert not (isolated_mas_home / "ui.sqlite3").exists()


def test_another_bind_address_with_the_password_from_the_environment_starts(isolated_mas_home):
    password = "a long enough password"
    with running_ui(isolated_mas_home, "--host", "0.0.0.0", env={"MAS_UI_PASSWORD": password}) as url:
        base = url.split("/?")[0]
        port = int(URL.search(url).group(2))
        with httpx.Client(base_url=base, timeout=30) as client:
            client.get("/login")
            csrf = client.cookies.get(csrf_cookie(port))
            wrong = client.post("/api/login", json={"password": "not the password"}, headers={"X-CSRF-Token": csrf})
            assert wrong.status_code == 403
            assert client.post("/api/login", json={"password": password},
                               headers={"X-CSRF-Token": csrf}).status_code == 200
            assert client.get("/api/runs").status_code == 200


def test_a_taken_port_is_a_clear_error(isolated_mas_home):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(ui_command("--port", str(port)), capture_output=True, text=True, timeout=120,
                              env={**os.environ, "MAS_HOME": str(isolated_mas_home)})
    assert done.returncode == 2
    assert f"--port {port}" in done.stderr and "cannot listen" in done.stderr


@pytest.mark.parametrize(("args", "words"), [
    (["--host", "10.1.2.3"], "MAS_UI_PASSWORD"),
    (["--host", "0.0.0.0", "--password", "short"], "at least 8"),
    (["--port", "70000"], "not a port"),
])
def test_the_command_function_refuses_bad_options(args, words):
    app = typer.Typer()
    app.command()(ui)
    result = CliRunner().invoke(app, [*args, "--no-browser"])
    assert result.exit_code == 2
    assert words in result.output


def test_runs_survive_a_killed_server(isolated_mas_home):
    """A finished run is committed: SIGKILL the server, start it again (new token), the run is there unchanged."""
    text = "buy when RSI(14) < 30, sell when RSI(14) > 70"
    with running_ui(isolated_mas_home, kill=True) as url:
        base, port = url.split("/?")[0], int(URL.search(url).group(2))
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get(url, follow_redirects=True)
            csrf = client.cookies.get(csrf_cookie(port))
            job = client.post("/api/backtests", json={"strategy": {"kind": "text", "text": text}},
                              headers={"X-CSRF-Token": csrf}).json()["job"]
            for _ in range(6000):
                state = client.get(f"/api/jobs/{job}").json()["state"]
                if state not in ("queued", "running"):
                    break
                time.sleep(0.02)
            assert state == "done"
            before = client.get(f"/api/runs/{job}").json()
    with running_ui(isolated_mas_home) as url:
        base = url.split("/?")[0]
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get(url, follow_redirects=True)
            runs = client.get("/api/runs").json()
            assert [r["id"] for r in runs] == [job]
            assert client.get(f"/api/runs/{job}").json() == before


def test_without_the_ui_extra_the_command_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "fastapi", None)  # as if the extra were not installed
    app = typer.Typer()
    app.command()(ui)
    result = CliRunner().invoke(app, ["--no-browser"])
    assert result.exit_code == 2
    assert "pip install 'mas-sdk[ui]'" in result.output


def test_a_corrupt_database_stops_the_start_with_the_fix(isolated_mas_home):
    isolated_mas_home.mkdir(parents=True)
    (isolated_mas_home / "ui.sqlite3").write_bytes(b"garbage, not SQLite" * 200)
    done = subprocess.run(ui_command("--port", "0"), capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MAS_HOME": str(isolated_mas_home)})
    assert done.returncode == 2
    assert "ui.sqlite3" in done.stderr and "move it aside" in done.stderr
    assert "Traceback" not in done.stderr and "running" not in done.stdout
